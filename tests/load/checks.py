"""The read-back after the run: what the coordinator checks, as one member who reads all.

Each check returns a :class:`Check` with a verdict and a one-line detail; none stops at the
first problem, so the report shows every check's state.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from infohus_desktop.services.front_door import MemberServices
from tests.load.district import SHARED_TITLE


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def no_errors(results: list[dict[str, Any]]) -> Check:
    """No workstation met an exception other than a reported conflict (deadlocks,
    serialization failures, "database busy" included)."""
    errors = [(r["index"], e) for r in results for e in r["errors"]]
    if not errors:
        return Check("no errors surfaced to a user", True, "0 unexpected exceptions")
    first = f"ws{errors[0][0]:02d} {errors[0][1].strip().splitlines()[-1]}"
    return Check("no errors surfaced to a user", False, f"{len(errors)} errors; first: {first}")


def acknowledged_writes(lars: MemberServices, written: list[dict[str, Any]]) -> Check:
    """Every write a workstation was told was saved is there, as it was written."""
    missing: list[str] = []
    listed = {c.number: c for c in lars.cases.list()}
    cases = {n: name for w in written for n, name in w["cases"].items()}
    for number, name in cases.items():
        if number not in listed or listed[number].person_name != name:
            missing.append(f"case {number}")
    journal_by_case: dict[str, list[list[str]]] = defaultdict(list)
    for w in written:
        for ref, entry_id, entry_text in w["journal"]:
            journal_by_case[ref].append([entry_id, entry_text])
    statuses = {n: s for w in written for n, s in w["statuses"].items()}
    for ref in sorted(set(journal_by_case) | set(statuses)):
        case = lars.cases.show(ref)
        entries = {str(e.id): e.text for e in case.journal}
        for entry_id, entry_text in journal_by_case.get(ref, []):
            if entries.get(entry_id) != entry_text:
                missing.append(f"journal entry {entry_id[:8]} of {ref}")
        if ref in statuses:
            moved = [c.new.value for c in case.history if c.old is not None]
            if moved != statuses[ref] or case.summary.status.value != statuses[ref][-1]:
                missing.append(f"status history of {ref}")
    trends = {i: t for w in written for i, t in w["trend_notes"].items()}
    for note_id, title in trends.items():
        if lars.trends.get(uuid.UUID(note_id)).content.title != title:
            missing.append(f"trend note {note_id[:8]}")
    referrals = {i: n for w in written for i, n in w["referrals"].items()}
    for referral_id, number in referrals.items():
        if lars.referrals.show(uuid.UUID(referral_id)).summary.case_number != number:
            missing.append(f"referral {referral_id[:8]}")
    total = len(cases) + sum(len(v) for v in journal_by_case.values())
    total += sum(len(v) for v in statuses.values()) + len(trends) + len(referrals)
    detail = (
        f"{total} acknowledged writes read back (cases, journal entries, status changes, "
        "trend notes, referrals; the shared edits and meeting notes under 0 lost updates)"
    )
    if missing:
        detail += f"; {len(missing)} missing or changed: {', '.join(missing[:5])}"
    return Check("every acknowledged write present", not missing, detail)


def no_lost_updates(
    lars: MemberServices, shared_cases: list[str], written: list[dict[str, Any]]
) -> Check:
    """The shared cases' titles hold exactly the tokens of the saves that succeeded (each
    once), and each meeting item holds the notes of its last acknowledged save."""
    problems: list[str] = []
    acked = [t for w in written for t in w["shared_tokens"]]
    refused = {t for w in written for t in w["shared_conflicts"]} - set(acked)
    in_titles: list[str] = []
    for ref in shared_cases:
        title = lars.cases.show(ref).title
        if not title.startswith(SHARED_TITLE):
            problems.append(f"title of {ref} lost its beginning")
        in_titles += title[len(SHARED_TITLE) :].split()
    counts = Counter(in_titles)
    lost = set(acked) - set(counts)
    doubled = [t for t, n in counts.items() if n > 1]
    smuggled = set(counts) & refused
    unknown = set(counts) - set(acked) - refused
    if lost:
        problems.append(f"{len(lost)} acknowledged edits overwritten")
    if doubled:
        problems.append(f"{len(doubled)} edits applied twice")
    if smuggled or unknown:
        problems.append(f"{len(smuggled) + len(unknown)} refused or unknown edits saved")
    last: dict[str, tuple[int, str]] = {}
    for w in written:
        for item_id, version, notes in w["meeting_notes"]:
            if item_id not in last or int(version) > last[item_id][0]:
                last[item_id] = (int(version), notes)
    meetings = {m.id for m in lars.meetings.list()}
    items = {str(i.id): i for meeting_id in meetings for i in lars.meetings.get(meeting_id).items}
    for item_id, (version, notes) in last.items():
        item = items.get(item_id)
        if item is None or item.notes != notes or item.version != version:
            problems.append(f"meeting item {item_id[:8]} lost its last notes")
    attempts = [t for w in written for t in w["shared_conflicts"]]
    detail = (
        f"shared cases: {len(acked)} edits saved, {len(set(attempts))} edits met a conflict "
        f"({len(attempts)} saves refused and reported, {len(refused)} edits still refused "
        f"after one reload); meeting items: {len(last)} checked"
    )
    if problems:
        detail += "; " + "; ".join(problems)
    return Check("0 lost updates", not problems, detail)


def case_numbers(url: str, lars: MemberServices) -> Check:
    """Per Infohus Kommune and year the serials are 1..n, each once, and the counter is at n;
    and every case in the database is in the coordinator's list."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT local_infohus_id, year, serial, number FROM cases")
            ).all()
            counters = {
                (r[0], r[1]): r[2]
                for r in connection.execute(
                    text("SELECT local_infohus_id, year, last_serial FROM case_counters")
                )
            }
    finally:
        engine.dispose()
    problems: list[str] = []
    serials: dict[tuple[Any, int], list[int]] = defaultdict(list)
    for local_id, year, serial, _number in rows:
        serials[(local_id, year)].append(serial)
    for key, found in serials.items():
        if sorted(found) != list(range(1, len(found) + 1)):
            problems.append(f"serials of one Kommune/year are not 1..{len(found)}")
        if counters.get(key) != len(found):
            problems.append("a counter is not at the last serial")
    numbers = Counter(r[3] for r in rows)
    if any(n > 1 for n in numbers.values()):
        problems.append("a case number is used twice")
    listed = {c.number for c in lars.cases.list()}
    if listed != set(numbers):
        problems.append(f"{len(set(numbers) ^ listed)} cases differ between list and database")
    detail = f"{len(rows)} cases in {len(serials)} series"
    if problems:
        detail += "; " + "; ".join(problems)
    return Check("case numbers unique and gap-free", not problems, detail)


def audit_chain(lars: MemberServices) -> Check:
    """The product's own verification of the whole log (chain, checkpoints, signatures)."""
    result = lars.audit.verify()
    detail = f"{result.entries} entries, {result.checkpoints} checkpoints"
    if result.signatures_checked is not None:
        detail += f", {result.signatures_checked} signatures"
    if not result.ok:
        detail += f"; first bad entry {result.first_bad_seq}: {result.problem}"
    return Check("audit chain verifies", result.ok, detail)
