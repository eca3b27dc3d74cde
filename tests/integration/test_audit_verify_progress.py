"""`audit verify` says how far it got: the chain walk, then (for the audit group) the walk
over every entry's signature, in steps out of a total known from the start."""

from __future__ import annotations

import pytest

from infohus_desktop.domain.organisations import Role
from infohus_desktop.vault import audit_chain
from tests.integration.conftest import District


def test_verification_reports_its_progress_to_the_end(
    district: District, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(audit_chain, "PROGRESS_EVERY", 3)
    lars = district.coordinator
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    for _ in range(5):
        mette.cases.list()

    heard: list[tuple[int, int]] = []
    result = lars.audit.verify(lambda done, total: heard.append((done, total)))
    assert result.ok
    [total] = {t for _, t in heard}
    assert total == 2 * result.entries  # the chain, then the signatures
    steps = [d for d, _ in heard]
    assert steps == sorted(steps) and steps[-1] > result.entries  # into the second walk
    assert all(0 < d <= total for d in steps)

    heard.clear()
    assert mette.audit.verify(lambda done, total: heard.append((done, total))).ok
    assert heard and {t for _, t in heard} == {heard[-1][1]}
    assert heard[-1][1] <= result.entries + 2  # the chain only: she cannot open entries
