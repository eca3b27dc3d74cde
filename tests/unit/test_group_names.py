"""The system groups are named in Danish when a vault is made; the English window showed
"Alle brugere", "Hele Infohuset", "Sagsbehandlere" and "Revision" (user trial)."""

from __future__ import annotations

from infohus_desktop.domain.labels import LOCAL_GROUP_SUFFIX, SYSTEM_GROUP_NAMES, group_name
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.services.accounts.casework import CASEWORK_NAME


def test_a_system_group_is_shown_in_the_readers_language() -> None:
    assert group_name(GroupKind.NETWORK, "Hele Infohuset", "en") == "The whole Infohus"
    assert group_name(GroupKind.NETWORK, "Hele Infohuset", "da") == "Hele Infohuset"
    assert group_name(GroupKind.CASEWORK, CASEWORK_NAME, "en") == "Caseworkers"
    assert SYSTEM_GROUP_NAMES[GroupKind.CASEWORK][0] == CASEWORK_NAME


def test_a_name_a_coordinator_gave_is_shown_as_written() -> None:
    assert group_name(GroupKind.NETWORK, "Østjyllands netværk", "en") == "Østjyllands netværk"
    assert group_name(GroupKind.CUSTOM, "Revision", "en") == "Revision"


def test_an_infohus_kommunes_group_is_shown_in_the_readers_language() -> None:
    aarhus = "Aarhus Kommune" + LOCAL_GROUP_SUFFIX[0]
    assert aarhus == "Aarhus Kommune og politiet"  # as the vault names it
    assert group_name(GroupKind.LOCAL, aarhus, "en") == "Aarhus Kommune and the police"
    assert group_name(GroupKind.LOCAL, aarhus, "da") == aarhus
    renamed = "Aarhus' Infohus"
    assert group_name(GroupKind.LOCAL, renamed, "en") == renamed
