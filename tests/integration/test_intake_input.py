"""An intake the case's transaction would refuse (an unknown category, Infohus Kommune or
group: only the command line can send one) is refused before its duplicate check is kept in
the audit log: the check's entry and the case go together or not at all."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from infohus_desktop.domain.errors import InvalidInput, NotFound
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.vault.schema import AuditEntryRow
from tests.integration.case_fixtures import new_case
from tests.integration.conftest import District


def _entries(session: MemberServices) -> int:
    with session.uow() as db:
        return int(db.scalar(select(func.count()).select_from(AuditEntryRow)) or 0)


def test_an_unknown_category_or_kommune_is_refused_without_an_audited_check(
    district: District,
) -> None:
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    mette.cases.list()
    mette.cases.prepare_intake()
    before = _entries(mette)
    with pytest.raises(InvalidInput, match="fodbold"):
        mette.cases.open_case(replace(new_case("Ali Hansen"), category="fodbold"))
    with pytest.raises(NotFound, match="Ingen Kommune"):
        mette.cases.open_case(new_case("Ali Hansen", municipality="Ingen Kommune"))
    with pytest.raises(NotFound):
        mette.cases.open_case(new_case("Ali Hansen", group="Ingen kreds"))
    assert _entries(mette) == before
    # The same person with valid input: the check and the case, two entries.
    opened = mette.cases.open_case(new_case("Ali Hansen"))
    assert opened.category == "militant_islamisme"
    assert _entries(mette) == before + 2
    assert district.coordinator.audit.verify().ok


def test_a_category_withdrawn_after_the_last_intake_is_refused_without_an_entry(
    district: District,
) -> None:
    """The input of the session's last case is not read again while nothing was written
    since; a coordinator's change of the categories is written, so it is read again."""
    lars = district.coordinator
    lars.cases.open_case(new_case("Anna Ørsted"))
    again = lars.cases.open_case(new_case("Bo Ærø"))  # the same input, not read again
    assert again.category == "militant_islamisme"
    lars.case_settings.set_categories(
        {"online_radikalisering": ["Online radikalisering", "Online radicalisation"]}
    )
    before = _entries(lars)
    with pytest.raises(InvalidInput, match="militant_islamisme"):
        lars.cases.open_case(new_case("Carl Øster"))
    assert _entries(lars) == before
    made = lars.cases.open_case(replace(new_case("Carl Øster"), category="online_radikalisering"))
    assert made.category == "online_radikalisering"
    assert _entries(lars) == before + 2
