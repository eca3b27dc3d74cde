"""The access matrix of a concern case: every role, inside and outside the case's access
group, against every case operation, through the real services.

The expected table is written out by hand below, from DOMAIN.md ("People and organisations")
and the role rule's own comment: it is *not* read from ``domain.access.CASE_ROLES``, so a
change of that table shows up here as a failing cell.

How a refusal looks (DOMAIN.md, docs/SECURITY.md):

- a role that may never do an operation gets :class:`AccessDenied`;
- a member whose role allows it but who is outside the case's access group gets
  :class:`NotFound` with the very answer a case that does not exist gets; ``list`` and a
  search simply do not show the case; opening a case in a group one is not in is refused
  and creates nothing;
- a refused operation changes nothing (case version, rows, data keys) and leaves no audit
  entry claiming it happened; an allowed one is audited with its case.

One test per database engine builds the district once and checks every cell, reporting all
mismatches together (the ``district`` fixture is function-scoped, and a district per cell
would make this file slow).
"""

from __future__ import annotations

import io
import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from infohus_desktop.domain.access import CaseOp
from infohus_desktop.domain.cases import (
    JournalKind,
    LegalBasis,
    MeasureStatus,
    MeasureType,
    ScreeningOutcome,
)
from infohus_desktop.domain.errors import AccessDenied, InfohusError, InvalidInput, NotFound
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.domain.workflow import CaseStatus, ClosingReason
from infohus_desktop.services.cases.editing import CaseEdit
from infohus_desktop.services.cases.records import MeasureInput
from infohus_desktop.services.core.access import not_found
from infohus_desktop.services.core.case_meta import open_meta
from infohus_desktop.services.front_door import MemberServices, Vault
from infohus_desktop.services.retention.deletion import Approval
from infohus_desktop.vault.case_schema import (
    AssessmentRow,
    AttachmentChunkRow,
    AttachmentRow,
    CaseRow,
    DisclosureRow,
    InformationRow,
    JournalRow,
    MeasureRow,
    ScreeningRow,
    StatusChangeRow,
)
from infohus_desktop.vault.retention_schema import HoldRow
from infohus_desktop.vault.schema import AuditEntryRow, DataKeyRow
from tests.integration.audit_reading import opened_since
from tests.integration.case_fixtures import assessment, new_case
from tests.integration.conftest import District

SHARED = "Sag delt med Kriminalforsorgen"  # the case's access group (custom, with a guest)
ELSEWHERE = "Flyttekreds"  # a second custom group, the target of ``move``

Y, N = True, False  # allowed, refused
IN, EX = True, False  # in the case's access group, or excluded from it
C, M, G, D = Role.COORDINATOR, Role.MEMBER, Role.GUEST, Role.DPO

#: The columns of the table below, in this order: create, read, list, edit, screen, status,
#: assess, measure, journal, disclose, attachment add / read / remove, move, hold, delete.
OPS = (
    CaseOp.CREATE,
    CaseOp.READ,
    CaseOp.LIST,
    CaseOp.EDIT,
    CaseOp.SCREEN,
    CaseOp.STATUS,
    CaseOp.ASSESS,
    CaseOp.MEASURE,
    CaseOp.JOURNAL,
    CaseOp.DISCLOSE,
    CaseOp.ATTACH_ADD,
    CaseOp.ATTACH_READ,
    CaseOp.ATTACH_REMOVE,
    CaseOp.MOVE,
    CaseOp.HOLD,
    CaseOp.DELETE,
)
#: The expected matrix, written out by hand. Keys: (role, in the case's access group).
#: A DPO cannot be put into a content group at all (checked in the setup); the "in group"
#: row is the DPO the coordinator tried to add. Guests only read the cases shared with them
#: and add journal entries and attachments; the DPO never touches case content.
ROWS: dict[tuple[Role, bool], tuple[bool, ...]] = {
    #        cr rd ls ed sc st as me jo di a+ ar a- mv ho de
    (C, IN): (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    (C, EX): (N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    (M, IN): (Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, N, Y, N),
    (M, EX): (N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    (G, IN): (N, Y, Y, N, N, N, N, N, Y, N, Y, Y, N, N, N, N),
    (G, EX): (N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    (D, IN): (N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N),
    (D, EX): (N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N),
}
EXPECTED: dict[tuple[Role, bool], dict[CaseOp, bool]] = {
    cell: dict(zip(OPS, row, strict=True)) for cell, row in ROWS.items()
}

#: Who plays each row. lars (police coordinator), mette (Aarhus member) and karl
#: (Kriminalforsorgen guest) are in the case's custom group; rikke (Randers coordinator),
#: jens (Randers member) and pia (psychiatry guest) are not; dorte is the DPO.
ACTORS: dict[tuple[Role, bool], str] = {
    (C, IN): "lars",
    (C, EX): "rikke",
    (M, IN): "mette",
    (M, EX): "jens",
    (G, IN): "karl",
    (G, EX): "pia",
    (D, IN): "dorte",
    (D, EX): "dorte",
}

CONTENT = b"Fortroligt bilag om personen\n" * 40


def test_expected_table_covers_every_role_and_operation() -> None:
    assert set(OPS) == set(CaseOp) and len(OPS) == len(CaseOp)
    assert set(EXPECTED) == set(itertools.product(Role, (True, False)))
    for cell, ops in EXPECTED.items():
        assert set(ops) == set(CaseOp), cell
    assert set(ACTORS) == set(EXPECTED)


# -- the state of the case as the database holds it ------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    cases: int
    data_keys: int
    version: int
    group_id: uuid.UUID
    status: str
    parts: dict[str, int]
    measure_version: int
    last_seq: int


_PARTS = {
    "history": StatusChangeRow,
    "screenings": ScreeningRow,
    "information": InformationRow,
    "assessments": AssessmentRow,
    "measures": MeasureRow,
    "journal": JournalRow,
    "disclosures": DisclosureRow,
    "attachments": AttachmentRow,
    "holds": HoldRow,
}


@dataclass
class World:
    district: District
    db: Vault
    case_id: uuid.UUID
    ref: str
    shared_id: uuid.UUID
    elsewhere_id: uuid.UUID
    attachment_id: uuid.UUID
    measure_id: uuid.UUID
    sessions: dict[str, MemberServices]
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    prepared: dict[str, Any] = field(default_factory=dict)

    @property
    def lars(self) -> MemberServices:
        return self.sessions["lars"]

    def snapshot(self) -> Snapshot:
        with self.db.uow() as s:
            row = s.get(CaseRow, self.case_id)
            # The status is sealed: read it as a member of the case's group does.
            open_meta(row, self.lars.keyring.field_key_by_id(s, row.data_key_id), True)
            measure = s.get(MeasureRow, self.measure_id)
            assert row is not None and measure is not None
            parts = {
                name: s.scalar(
                    select(func.count()).select_from(model).where(model.case_id == self.case_id)
                )
                or 0
                for name, model in _PARTS.items()
            }
            parts["chunks"] = (
                s.scalar(
                    select(func.count())
                    .select_from(AttachmentChunkRow)
                    .join(AttachmentRow, AttachmentRow.id == AttachmentChunkRow.attachment_id)
                    .where(AttachmentRow.case_id == self.case_id)
                )
                or 0
            )
            return Snapshot(
                cases=s.scalar(select(func.count()).select_from(CaseRow)) or 0,
                data_keys=s.scalar(select(func.count()).select_from(DataKeyRow)) or 0,
                version=row.version,
                group_id=row.group_id,
                status=row.status,
                parts=parts,
                measure_version=measure.version,
                last_seq=s.scalar(select(func.max(AuditEntryRow.seq))) or 0,
            )

    def audit_since(self, seq: int) -> list[tuple[str, str, str | None]]:
        """(actor, action, object id) of every audit entry after ``seq``."""
        return [(b.actor_login, b.action, b.object_id) for _, b in opened_since(self.lars, seq)]

    def case_group(self, case_id: uuid.UUID) -> uuid.UUID | None:
        with self.db.uow() as s:
            row = s.get(CaseRow, case_id)
            return row.group_id if row else None


# -- the calls: one or more per operation -----------------------------------------------------


@dataclass
class Call:
    """One service call. ``run`` does it as ``ms``; ``action`` is the audit action an
    allowed call writes; ``effect`` says what an allowed call changed (problems, or [])."""

    op: CaseOp
    label: str
    run: Callable[[World, MemberServices, Snapshot], Any]
    action: str
    effect: Callable[[World, Snapshot, Snapshot, Any], list[str]]
    audited_object: Callable[[World, Any], str | None] = lambda w, _r: str(w.case_id)
    prepare: Callable[[World], dict[str, Any]] = lambda _w: {}
    cleanup: Callable[[World, Any], None] = lambda _w, _r: None


def _grew(*names: str) -> Callable[[World, Snapshot, Snapshot, Any], list[str]]:
    """Allowed: each named part has one more row; every other part is as it was."""

    def check(_w: World, before: Snapshot, after: Snapshot, _result: Any) -> list[str]:
        problems = []
        for name, count in before.parts.items():
            want = count + 1 if name in names else count
            if name == "chunks":
                continue
            if after.parts[name] != want:
                problems.append(f"{name}: {count} -> {after.parts[name]}, expected {want}")
        return problems

    return check


def _unchanged_parts(_w: World, before: Snapshot, after: Snapshot, _result: Any) -> list[str]:
    return [] if before.parts == after.parts else [f"parts {before.parts} -> {after.parts}"]


def _open(w: World, ms: MemberServices, _b: Snapshot) -> Any:
    n = next(w.counter)
    return ms.cases.open_case(
        new_case(f"Nyopret Person {n}", municipality="Aarhus Kommune", group=SHARED),
        accept_duplicate=True,
    )


def _opened(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = []
    if after.cases != before.cases + 1:
        problems.append(f"cases {before.cases} -> {after.cases}, expected one more")
    if w.case_group(result.id) != w.shared_id:
        problems.append("the new case is not in the group it was opened in")
    return problems


def _read(w: World, ms: MemberServices, _b: Snapshot) -> Any:
    return ms.cases.show(w.ref)


def _was_read(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = _unchanged_parts(w, before, after, result)
    if result.summary.id != w.case_id or result.person.name != "Delt Person":
        problems.append("show returned another case")
    if len(result.history) != after.parts["history"]:
        problems.append("show lacks status history")
    return problems


def _assessments(w: World, ms: MemberServices, _b: Snapshot) -> Any:
    return ms.case_records.assessments(w.ref)


def _assessments_read(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = _unchanged_parts(w, before, after, result)
    if len(result) != after.parts["assessments"]:
        problems.append(f"{len(result)} assessments read, {after.parts['assessments']} stored")
    return problems


def _list(_w: World, ms: MemberServices, _b: Snapshot) -> Any:
    return ms.cases.list()


def _search(w: World, ms: MemberServices, _b: Snapshot) -> Any:
    return ms.cases.list(search=w.ref)


def _no_object(_w: World, _result: Any) -> None:
    return None  # a list or a search is audited without a case


def _listed(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = _unchanged_parts(w, before, after, result)
    if w.case_id not in {c.id for c in result}:
        problems.append("the case is missing from the list")
    return problems


def _edit(w: World, ms: MemberServices, before: Snapshot) -> Any:
    return ms.cases.edit(w.ref, before.version, CaseEdit(title=f"Ny titel {next(w.counter)}"))


def _edited(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = _unchanged_parts(w, before, after, result)
    if after.version != before.version + 1:
        problems.append(f"version {before.version} -> {after.version}, expected +1")
    return problems


def _status(w: World, ms: MemberServices, before: Snapshot) -> Any:
    # IN_INFOHUS <-> MEASURES is allowed both ways, so every allowed call is valid.
    target = (
        CaseStatus.MEASURES
        if before.status == CaseStatus.IN_INFOHUS.value
        else CaseStatus.IN_INFOHUS
    )
    return ms.cases.change_status(w.ref, target, "Drøftet på mødet")


def _status_changed(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = _grew("history")(w, before, after, result)
    if after.status == before.status or result.status.value != after.status:
        problems.append(f"status {before.status} -> {after.status}")
    return problems


def _update_measure(w: World, ms: MemberServices, before: Snapshot) -> Any:
    return ms.case_records.update_measure(
        w.ref,
        w.measure_id,
        before.measure_version,
        MeasureInput(MeasureType.MENTOR, "Aarhus Kommune", status=MeasureStatus.RUNNING),
    )


def _updated(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = _unchanged_parts(w, before, after, result)
    if after.measure_version != before.measure_version + 1:
        problems.append(f"measure version {before.measure_version} -> {after.measure_version}")
    return problems


def _attach_read(w: World, ms: MemberServices, _b: Snapshot) -> Any:
    sink = io.BytesIO()
    ms.attachments.read(w.ref, w.attachment_id, sink)
    return sink.getvalue()


def _read_back(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = _unchanged_parts(w, before, after, result)
    if result != CONTENT:
        problems.append("the attachment's bytes differ")
    return problems


def _fresh_attachment(w: World) -> dict[str, Any]:
    info = w.lars.attachments.add(w.ref, "slet-mig.txt", io.BytesIO(b"midlertidigt bilag"))
    return {"attachment": info.id}


def _removed(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = []
    if after.parts["attachments"] != before.parts["attachments"] - 1:
        problems.append("the attachment row is still there")
    if after.parts["chunks"] != before.parts["chunks"] - 1:
        problems.append("the attachment's chunk is still there")
    return problems


def _move(w: World, ms: MemberServices, _b: Snapshot) -> Any:
    return ms.cases.move(w.ref, ELSEWHERE)


def _moved(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = _unchanged_parts(w, before, after, result)
    if after.group_id != w.elsewhere_id or result.group_id != w.elsewhere_id:
        problems.append("the case is not in the target group")
    return problems


def _move_back(w: World, _result: Any) -> None:
    if w.case_group(w.case_id) != w.shared_id:
        w.lars.cases.move(w.ref, SHARED)


def _closed_case(w: World) -> dict[str, Any]:
    """A closed case of its own in the shared group: what a deletion deletes."""
    case = w.lars.cases.open_case(new_case("Slet Slettesen", group=SHARED), accept_duplicate=True)
    w.lars.cases.change_status(case.number, CaseStatus.CLOSED, "Afklaret", ClosingReason.UNFOUNDED)
    return {"ref": case.number, "case_id": case.id}


def _delete(w: World, ms: MemberServices, _b: Snapshot) -> Any:
    approval = Approval("dorte", w.district.passphrases["dorte"])  # not due yet: four eyes
    return ms.retention.delete(w.prepared["ref"], "Sletning i testen", approval)


def _deleted(w: World, before: Snapshot, after: Snapshot, result: Any) -> list[str]:
    problems = _unchanged_parts(w, before, after, result)
    if after.cases != before.cases - 1 or after.data_keys != before.data_keys - 1:
        problems.append("the case or its data key is still there")
    return problems


CALLS: list[Call] = [
    Call(CaseOp.CREATE, "cases.open_case", _open, "case.create", _opened, lambda _w, r: str(r.id)),
    Call(CaseOp.READ, "cases.show", _read, "case.read", _was_read),
    Call(
        CaseOp.READ,
        "case_records.assessments",
        _assessments,
        "case.read.assessments",
        _assessments_read,
    ),
    Call(CaseOp.LIST, "cases.list", _list, "case.list", _listed, _no_object),
    Call(CaseOp.LIST, "cases.list(search=)", _search, "case.search", _listed, _no_object),
    Call(CaseOp.EDIT, "cases.edit", _edit, "case.edit", _edited),
    Call(
        CaseOp.SCREEN,
        "cases.screen",
        lambda w, ms, _b: ms.cases.screen(w.ref, ScreeningOutcome.INFOHUS, "Relevant"),
        "case.screen",
        _grew("screenings"),
    ),
    Call(
        CaseOp.SCREEN,
        "cases.add_information",
        lambda w, ms, _b: ms.cases.add_information(
            w.ref, "Jobcentret", date(2026, 11, 21), "Ingen oplysninger", LegalBasis.RPL_115_1_1
        ),
        "case.information",
        _grew("information"),
    ),
    Call(CaseOp.STATUS, "cases.change_status", _status, "case.status", _status_changed),
    Call(
        CaseOp.ASSESS,
        "case_records.assess",
        lambda w, ms, _b: ms.case_records.assess(w.ref, assessment()),
        "case.assess",
        _grew("assessments"),
    ),
    Call(
        CaseOp.MEASURE,
        "case_records.add_measure",
        lambda w, ms, _b: ms.case_records.add_measure(
            w.ref, MeasureInput(MeasureType.CONCERN_CONVERSATION, "Aarhus Kommune")
        ),
        "case.measure.add",
        _grew("measures"),
    ),
    Call(
        CaseOp.MEASURE,
        "case_records.update_measure",
        _update_measure,
        "case.measure.update",
        _updated,
    ),
    Call(
        CaseOp.JOURNAL,
        "case_records.add_journal",
        lambda w, ms, _b: ms.case_records.add_journal(w.ref, JournalKind.NOTE, "Telefonsamtale"),
        "case.journal",
        _grew("journal"),
    ),
    Call(
        CaseOp.DISCLOSE,
        "case_records.add_disclosure",
        lambda w, ms, _b: ms.case_records.add_disclosure(
            w.ref, date(2026, 11, 22), "Politiet", "Kommunen", "Bekymringen", LegalBasis.CONSENT
        ),
        "case.disclose",
        _grew("disclosures"),
    ),
    Call(
        CaseOp.ATTACH_ADD,
        "attachments.add",
        lambda w, ms, _b: ms.attachments.add(w.ref, "ny.txt", io.BytesIO(b"nyt bilag")),
        "case.attachment.add",
        _grew("attachments"),
    ),
    Call(CaseOp.ATTACH_READ, "attachments.read", _attach_read, "case.attachment.read", _read_back),
    Call(
        CaseOp.ATTACH_REMOVE,
        "attachments.remove",
        lambda w, ms, _b: ms.attachments.remove(w.ref, w.prepared["attachment"]),
        "case.attachment.remove",
        _removed,
        prepare=_fresh_attachment,
    ),
    Call(CaseOp.MOVE, "cases.move", _move, "case.move", _moved, cleanup=_move_back),
    Call(
        CaseOp.HOLD,
        "retention.holds.add",
        lambda w, ms, _b: ms.retention.holds.add(w.ref, "Klage", date(2099, 1, 1)),
        "case.hold",
        _grew("holds"),
    ),
    Call(
        CaseOp.DELETE,
        "retention.delete",
        _delete,
        "case.delete",
        _deleted,
        audited_object=lambda w, _r: str(w.prepared["case_id"]),
        prepare=_closed_case,
    ),
]


def test_every_operation_has_a_call() -> None:
    assert {call.op for call in CALLS} == set(CaseOp)


# -- the district -----------------------------------------------------------------------------


def _build(district: District) -> World:
    lars = district.coordinator
    extra = {"rikke": "rikkes første lange frase", "pia": "pias første lange frase"}
    district.passphrases.update(extra)
    mette = district.enrol("mette", "Mette Fjord", "Aarhus Kommune", Role.MEMBER)
    karl = district.enrol(
        "karl", "Karl Holm", "Kriminalforsorgen", Role.GUEST, OrgKind.KRIMINALFORSORGEN
    )
    rikke = district.enrol("rikke", "Rikke Dal", "Randers Kommune", Role.COORDINATOR)
    jens = district.enrol("jens", "Jens Bak", "Randers Kommune", Role.MEMBER)
    pia = district.enrol("pia", "Pia Krog", "Psykiatrien", Role.GUEST, OrgKind.PSYCHIATRY)
    dorte = district.enrol("dorte", "Dorte Vang", "police", Role.DPO)

    shared = lars.groups.add(SHARED, ["lars", "mette", "karl"])
    elsewhere = lars.groups.add(ELSEWHERE, ["lars", "mette", "karl", "rikke", "jens", "pia"])
    # A DPO cannot be let into a group that holds case content.
    with pytest.raises(AccessDenied):
        lars.groups.add_member(SHARED, "dorte")
    assert dorte.member.id not in next(
        g.member_ids for g in lars.groups.list() if g.id == shared.id
    )

    # Opened in the Infohus Kommune, then shared with the guest by moving it to the group.
    summary = lars.cases.open_case(new_case("Delt Person"))
    lars.cases.move(summary.number, SHARED)
    lars.cases.change_status(summary.number, CaseStatus.SCREENING, "Forhåndstjek")
    lars.cases.change_status(summary.number, CaseStatus.IN_INFOHUS, "Tages op")
    lars.case_records.assess(summary.number, assessment())
    measure = lars.case_records.add_measure(
        summary.number, MeasureInput(MeasureType.MENTOR, "Aarhus Kommune")
    )
    attachment = lars.attachments.add(summary.number, "notat.txt", io.BytesIO(CONTENT))
    return World(
        district=district,
        db=district.open(),
        case_id=summary.id,
        ref=summary.number,
        shared_id=shared.id,
        elsewhere_id=elsewhere.id,
        attachment_id=attachment.id,
        measure_id=measure.id,
        sessions={
            "lars": lars,
            "mette": mette,
            "karl": karl,
            "rikke": rikke,
            "jens": jens,
            "pia": pia,
            "dorte": dorte,
        },
    )


def _diff(before: Snapshot, after: Snapshot) -> str:
    changed = [
        f"{name} {getattr(before, name)} -> {getattr(after, name)}"
        for name in ("cases", "data_keys", "version", "group_id", "status", "measure_version")
        if getattr(before, name) != getattr(after, name)
    ]
    changed += [
        f"{name} {count} -> {after.parts[name]}"
        for name, count in before.parts.items()
        if after.parts[name] != count
    ]
    return ", ".join(changed)


# -- checking one cell ------------------------------------------------------------------------


def _refusal(role: Role, op: CaseOp) -> str:
    """How a refused cell is refused: by role (the in-group row refuses too) or by group."""
    return "group" if EXPECTED[(role, IN)][op] else "role"


def _check_cell(w: World, role: Role, in_group: bool, call: Call) -> list[str]:
    login = ACTORS[(role, in_group)]
    ms = w.sessions[login]
    allowed = EXPECTED[(role, in_group)][call.op]
    w.prepared = call.prepare(w)
    ref = w.prepared.get("ref", w.ref)  # a call on a case of its own (a deletion)
    before = w.snapshot()
    error: InfohusError | None = None
    result: Any = None
    try:
        result = call.run(w, ms, before)
    except InfohusError as exc:
        error = exc
    except Exception as exc:  # anything but an expected error is a bug: report, go on
        call.cleanup(w, None)
        return [f"crashed: {type(exc).__name__}: {exc}"]
    after = w.snapshot()
    entries = w.audit_since(before.last_seq)
    mine = [(a, o) for actor, a, o in entries if actor == login]
    problems: list[str] = []
    try:
        listing = call.op == CaseOp.LIST
        if allowed:
            if error is not None:
                return [f"expected allowed, got {type(error).__name__}: {error.en}"]
            problems += call.effect(w, before, after, result)
            wanted = (call.action, call.audited_object(w, result))
            if mine.count(wanted) != 1:
                problems.append(f"expected one audit entry {wanted}, got {mine}")
            return problems
        how = _refusal(role, call.op)
        if how == "group" and listing:
            # Not an error: the case is simply not among those listed.
            if error is not None:
                return [f"expected a list without the case, got {type(error).__name__}"]
            if w.case_id in {c.id for c in result}:
                problems.append("the case is listed to a member outside its group")
        elif how == "role":
            if not isinstance(error, AccessDenied):
                got = type(error).__name__ if error else "success"
                problems.append(f"expected AccessDenied (role), got {got}")
        elif call.op == CaseOp.CREATE:
            if not isinstance(error, InvalidInput | AccessDenied):
                got = type(error).__name__ if error else "success"
                problems.append(f"expected a refusal to open outside one's group, got {got}")
        elif not isinstance(error, NotFound):
            got = type(error).__name__ if error else "success"
            problems.append(f"expected NotFound (outside the group), got {got}")
        elif error.en != not_found(ref).en or error.da != not_found(ref).da:
            problems.append(f"NotFound differs from a missing case's: {error.en!r}")
        # The audit head may move (a list is audited; a refusal might be, one day).
        if replace(after, last_seq=before.last_seq) != before:
            problems.append(f"the refused call changed the vault: {_diff(before, after)}")
        if not (how == "group" and listing) and any(a == call.action for a, _o in mine):
            problems.append(f"a refused call left an audit entry {call.action!r}")
        return problems
    finally:
        call.cleanup(w, result if error is None else None)


def test_case_access_matrix(district: District) -> None:
    w = _build(district)
    report: list[str] = []
    wrong = cells = 0
    for role, in_group in EXPECTED:
        for call in CALLS:
            cells += 1
            problems = _check_cell(w, role, in_group, call)
            wrong += bool(problems)
            where = "in group" if in_group else "not in group"
            allowed = "allowed" if EXPECTED[(role, in_group)][call.op] else "refused"
            report += [
                f"{role.value:<11} {where:<12} {call.op.value}/{call.label} "
                f"(expected {allowed}): {problem}"
                for problem in problems
            ]
    assert cells == len(EXPECTED) * len(CALLS)
    if report:
        pytest.fail(f"{wrong} of {cells} cells wrong:\n" + "\n".join(report), pytrace=False)


def test_outside_the_group_a_case_looks_like_a_missing_one(district: District) -> None:
    """The same NotFound, word for word, for a real case outside one's group and a number
    that does not exist; by number and by id."""
    w = _build(district)
    jens = w.sessions["jens"]
    missing = f"{w.ref[:-4]}9999"
    answers = []
    for ref in (w.ref, missing, str(w.case_id), str(uuid.uuid4())):
        with pytest.raises(NotFound) as caught:
            jens.cases.show(ref)
        answers.append(caught.value.en.replace(ref, "<ref>"))
    assert len(set(answers)) == 1, answers
    # ...and the guest inside the group does see it, by number and by id.
    karl = w.sessions["karl"]
    assert karl.cases.show(w.ref).summary.id == w.case_id
    assert karl.cases.show(str(w.case_id)).summary.number == w.ref


def test_a_guest_sees_only_the_cases_shared_with_them(district: District) -> None:
    w = _build(district)
    own = w.lars.cases.open_case(new_case("Ikke Delt Person"))  # Aarhus og politiet only
    karl, mette = w.sessions["karl"], w.sessions["mette"]
    assert {c.id for c in karl.cases.list()} == {w.case_id}
    assert {c.id for c in mette.cases.list()} == {w.case_id, own.id}
    assert karl.cases.list(search="Ikke Delt") == []
    with pytest.raises(NotFound):
        karl.cases.show(own.number)
    # Taken out of the shared group, the case is gone for the guest, not for the member.
    w.lars.cases.move(w.ref, "Aarhus Kommune og politiet")
    assert karl.cases.list() == []
    with pytest.raises(NotFound):
        karl.case_records.add_journal(w.ref, JournalKind.NOTE, "Efter flytningen")
    assert w.case_id in {c.id for c in mette.cases.list()}
