"""Handing a case over to another Infohus (*overdragelse*, issue 13): the sending vault (Infohus
Nordjylland, SQLite) transfers a case with every part and two attachments to the district
under test (either engine), which imports it into one of its Infohus Kommuner."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from infohus_desktop.crypto import bundle
from infohus_desktop.domain.bundles import BundleKind, BundleRejected, RejectReason
from infohus_desktop.domain.cases import LegalBasis
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.workflow import CaseStatus
from infohus_desktop.services.referrals.bundle_keys import decode_card
from tests.integration.bundle_fixtures import (
    SENDER_APPROVAL,
    Pair,
    assert_only_one_rejection,
    pair,
    snapshot,
)
from tests.integration.case_fixtures import fill_case, new_case
from tests.integration.conftest import District
from tests.unit.crypto.bundle_craft import Crafter, canon, header_end

__all__ = ["pair"]  # the fixture, imported for pytest
NAME = "Tove Flytning"
CPR = "150190-1234"


def _transfer(p: Pair, tmp_path: Path, name: str = NAME) -> tuple[str, Path]:
    case = fill_case(p.sender, name, CPR, "Aarhus Kommune").number
    for file_name, body in p.files.items():
        p.sender.attachments.add(case, file_name, io.BytesIO(body))
    out = tmp_path / "overdragelse.ihb"
    sent = p.sender.transfers.export(
        case, "EXIT", out, "Personen er flyttet til Østjylland", approval=SENDER_APPROVAL
    )
    assert sent.number == case and sent.attachments == 1 + len(p.files)
    return case, out


def test_a_case_arrives_whole_and_the_sender_keeps_a_read_only_copy(
    pair: Pair, tmp_path: Path
) -> None:
    p = pair
    number, path = _transfer(p, tmp_path)
    # The sender: overdraget, the disclosure recorded, nothing more can be changed.
    sent = p.sender.cases.show(number)
    assert sent.summary.status is CaseStatus.TRANSFERRED
    assert "Overdraget til EXIT: Personen er flyttet" in sent.history[-1].reason
    disclosure = sent.disclosures[-1]
    assert disclosure.to_party == "EXIT" and disclosure.legal_basis is LegalBasis.RPL_115_1_1
    with pytest.raises(InvalidInput, match="kan kun læses"):
        p.sender.case_records.add_journal(number, sent.journal[0].kind, "Efterskrift")

    # The receiver knows the person already; without an Infohus Kommune nothing happens.
    known = p.receiver.cases.open_case(new_case(NAME, CPR), accept_duplicate=True).number
    before = snapshot(p.receiver)
    with pytest.raises(InvalidInput, match="Infohus Kommune"):
        p.receiver.bundles.import_file(path)
    assert_only_one_rejection(p.receiver, before, "no municipality")

    # A new case in the chosen Infohus Kommune, the history in its journal, the person
    # reported as possibly known, never merged.
    result = p.receiver.bundles.import_file(path, "Aarhus Kommune")
    assert result.kind is BundleKind.CASE_TRANSFER and result.case is not None
    received = result.case
    assert received.possible_duplicates == (known,)
    assert {c.number for c in p.receiver.cases.list()} == {known, received.number}
    assert received.original_number == number and received.sender == "Infohus Nordjylland"
    case = p.receiver.cases.show(received.number)
    assert case.person.name == NAME and case.person.cpr == CPR.replace("-", "")
    assert case.summary.municipality == "Aarhus Kommune"
    assert case.summary.number == received.number and received.number.startswith("AAR-")
    note = case.journal[-1].text
    assert note.startswith(f"Overdraget fra Infohus Nordjylland (deres sag {number})")
    for text in ("Samtale med mor om bekymringen", "Mentor fra korpset", "Fravær stigende"):
        assert text in note
    # In words, not the sender's codes (user trial: "→ i_infohus", "(rpl_115_1_1)").
    assert "Modtaget → Screening" in note and "Screening → I Infohus" in note
    assert "Skolen (Retsplejelovens § 115, stk. 1, nr. 1): Fravær stigende" in note
    assert "Behandles i Infohus (lars)" in note and "Samtale (lars)" in note
    for code in ("i_infohus", "rpl_115", "samtale (", "mentor ved"):
        assert code not in note, code
    names = {a.filename: a for a in case.attachments}
    assert f"overdragelse-{number}.json" in names
    for file_name, body in p.files.items():
        out = io.BytesIO()
        p.receiver.attachments.read(received.number, names[file_name].id, out)
        assert out.getvalue() == body
    kept = io.BytesIO()
    p.receiver.attachments.read(received.number, names[f"overdragelse-{number}.json"].id, kept)
    data = json.loads(kept.getvalue())
    assert len(data["assessments"]) == 2 and data["journal"][1]["corrects"] == 0
    assert data["handover"]["reason"] == "Personen er flyttet til Østjylland"

    # The same bundle again: refused as a replay, nothing else changes.
    before = snapshot(p.receiver)
    with pytest.raises(BundleRejected) as caught:
        p.receiver.bundles.import_file(path, "Aarhus Kommune")
    assert caught.value.reason is RejectReason.REPLAY
    assert_only_one_rejection(p.receiver, before, "replay")


def test_a_closed_case_cannot_be_handed_over(pair: Pair, tmp_path: Path) -> None:
    from infohus_desktop.domain.workflow import ClosingReason

    p = pair
    case = fill_case(p.sender, NAME, CPR, "Aarhus Kommune").number
    p.sender.cases.change_status(case, CaseStatus.CLOSED, "Afklaret", ClosingReason.UNFOUNDED)
    with pytest.raises(InvalidInput) as caught:
        p.sender.transfers.export(case, "EXIT", tmp_path / "x.ihb", approval=SENDER_APPROVAL)
    # What to do first, not only that the workflow says no (user trial).
    assert caught.value.message("da") == (
        f"Sag {case} kan ikke overdrages med status »Afsluttet«. En afsluttet sag genåbnes "
        "først (»I Infohus«)."
    )
    assert not (tmp_path / "x.ihb").exists()


def test_a_case_the_receiver_would_refuse_is_not_handed_over(pair: Pair, tmp_path: Path) -> None:
    """A journal entry longer than a transfer carries: the receiving Infohus would refuse the
    file, and the case, marked handed over here, would be read-only in both. Refused here,
    before any file or mark; the case stays as it was."""
    from infohus_desktop.domain.cases import JournalKind

    p = pair
    case = fill_case(p.sender, NAME, CPR, "Aarhus Kommune").number
    p.sender.case_records.add_journal(case, JournalKind.NOTE, "Lang samtale. " * 12_000)
    with pytest.raises(InvalidInput, match=r"højst 100\.000 tegn"):
        p.sender.transfers.export(case, "EXIT", tmp_path / "x.ihb", approval=SENDER_APPROVAL)
    assert not (tmp_path / "x.ihb").exists()
    assert p.sender.cases.show(case).summary.status is not CaseStatus.TRANSFERRED


def test_a_handover_whose_status_cannot_be_saved_leaves_no_file(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is written, then the case cannot be marked (a full disk): the error says
    nothing was saved, and so no importable copy of the case is left behind, and no
    disclosure of it either (the disclosure had its own transaction, and stayed)."""
    from infohus_desktop.domain.errors import VaultUnavailable
    from infohus_desktop.services.cases.service import CaseService

    p = pair
    case = fill_case(p.sender, NAME, CPR, "Aarhus Kommune").number
    before = p.sender.cases.show(case)

    def full(*_args: object, **_kwargs: object) -> None:
        raise VaultUnavailable("Disken er fuld. Intet er gemt.", "The disk is full.")

    monkeypatch.setattr(CaseService, "apply_status", full)
    with pytest.raises(VaultUnavailable):
        p.sender.transfers.export(case, "EXIT", tmp_path / "x.ihb", approval=SENDER_APPROVAL)
    assert not (tmp_path / "x.ihb").exists()
    monkeypatch.undo()
    after = p.sender.cases.show(case)
    assert after.disclosures == before.disclosures
    assert after.summary.status is before.summary.status


def _crafter(p: Pair, path: Path) -> tuple[Crafter, bytes]:
    """A crafter signing as the real sender, and the plaintext of a real transfer."""
    with p.receiver.vault.uow() as s:
        receiver_identity = p.receiver.bundles.keys.identity(s)
    with p.sender.vault.uow() as s:
        sender_identity = p.sender.bundles.keys.identity(s)
    plain = bytes(bundle.decrypt(bundle.parse(path.read_bytes()), receiver_identity.kem))
    keys = decode_card(p.receiver_card).keys
    return Crafter(sender_identity, keys, plain, kind="case-transfer"), plain


def _rewritten(c: Crafter, plain: bytes, change: dict[str, object], wrong_hash: bool) -> bytes:
    """The transfer with its case data changed (or its last attachment's hash wrong), sound
    in every byte and signature."""
    length = int.from_bytes(plain[:4], "big")
    manifest = json.loads(plain[4 : 4 + length])
    if wrong_hash:
        manifest["attachments"][-1]["sha256"] = "0" * 64
    raw = canon({**manifest, "data": {**manifest["data"], **change}})
    payload = len(raw).to_bytes(4, "big") + raw + plain[4 + length :]
    return c.build(c.header(payload_length=len(payload)), payload=payload)


BAD_DATA: dict[str, dict[str, object]] = {
    "person": {"person": {"name": "x"}},
    "history": {"history": [{"at": "i går"}]},
    "journal": {"journal": "tekst"},
    "handover-date": {"handover": {"from": "X", "on": "2026-13-01", "reason": ""}},
    "extra-key": {"shoe_size": 44},
}


def test_a_transfer_that_breaks_the_format_stores_nothing(pair: Pair, tmp_path: Path) -> None:
    """Case data that breaks §8, a manifest over a payload of another kind, and an
    attachment whose hash does not match: the last is found only as the second pass stores
    it, so the case and the attachments before it, already written, are rolled back."""
    from infohus_desktop.crypto.bundle_payload import encode_payload

    p = pair
    _number, path = _transfer(p, tmp_path)
    crafter, plain = _crafter(p, path)
    crafted = {
        name: (_rewritten(crafter, plain, change, False), RejectReason.PAYLOAD)
        for name, change in BAD_DATA.items()
    }
    crafted["hash"] = (_rewritten(crafter, plain, {}, True), RejectReason.PAYLOAD)
    other = encode_payload("referral", {"form": []}, [])
    crafted["kind"] = (
        crafter.build(crafter.header(payload_length=len(other)), payload=other),
        RejectReason.KIND,
    )
    for name, (data, reason) in crafted.items():
        before = snapshot(p.receiver)
        with pytest.raises(BundleRejected) as caught:
            p.receiver.bundles.import_bundle(data, "Aarhus Kommune")
        assert caught.value.reason is reason, name
        assert_only_one_rejection(p.receiver, before, name)
    assert p.receiver.cases.list() == []


def test_the_command_line_hands_over_and_takes_in(
    pair: Pair, district: District, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from infohus_desktop.cli import main
    from infohus_desktop.cli.io import StdinLines
    from tests.integration.conftest import COORDINATOR_PASS

    p = pair
    number = fill_case(p.sender, NAME, CPR, "Aarhus Kommune").number
    secret = tmp_path / "lars.pass"
    secret.write_text(COORDINATOR_PASS + "\n", encoding="utf-8")
    me = ["--user", "lars", "--passphrase-file", str(secret)]
    out = tmp_path / "overdragelse.ihb"
    sender = ["--vault", str(p.sender.vault.url.split("///", 1)[1])]
    handover = ["case", "transfer", number, "--to", "EXIT", "--out", str(out), *sender, *me,
                "--reason", "Flyttet"]  # fmt: skip
    # A handover needs the second person, named on the command line.
    code = main(handover, stdin=StdinLines())
    _shown, err = capsys.readouterr()
    assert code == 2 and "En overdragelse kræver godkendelse" in err and "--approver" in err
    assert not out.exists()
    dpo = tmp_path / "vibeke.pass"
    dpo.write_text(SENDER_APPROVAL.passphrase + "\n", encoding="utf-8")
    code = main(
        [*handover, "--approver", "vibeke", "--approver-passphrase-file", str(dpo)],
        stdin=StdinLines(),
    )
    shown, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    assert f"Sag {number} er overdraget til EXIT" in shown and f"Gemt i {out}." in shown
    url = district.url
    receiver = (
        ["--vault", url.split("///", 1)[1]] if url.startswith("sqlite") else ["--db-url", url]
    )
    code = main(["bundle", "import", str(out), *receiver, *me], stdin=StdinLines())
    _shown, err = capsys.readouterr()
    assert code == 2 and "--municipality" in err and err.count("\n") == 1
    code = main(
        ["bundle", "import", str(out), "--municipality", "AAR", *receiver, *me, "--json"],
        stdin=StdinLines(),
    )
    shown, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    answer = json.loads(shown)
    assert answer["original_number"] == number and answer["sender"] == "Infohus Nordjylland"
    assert answer["attachments"] == 1  # the case's own (the JSON of the data comes beside it)


def test_a_damaged_transfer_is_refused_before_anything_is_stored(
    pair: Pair, tmp_path: Path
) -> None:
    """The streamed import's first pass authenticates every chunk: a flipped byte in the
    first or the last chunk, or a file cut short, stores nothing, not even an attachment."""
    p = pair
    _number, path = _transfer(p, tmp_path)
    good = path.read_bytes()
    first = header_end(good) + 64 + 10  # past the signature, in the first chunk
    damaged = {
        "first": (_flip(good, first), RejectReason.DECRYPT),
        "last": (_flip(good, len(good) - 5), RejectReason.DECRYPT),
        "cut": (good[:-100], RejectReason.LENGTH),
    }
    for where, (data, reason) in damaged.items():
        path.write_bytes(data)
        before = snapshot(p.receiver)
        with pytest.raises(BundleRejected) as caught:
            p.receiver.bundles.import_file(path, "Aarhus Kommune")
        assert caught.value.reason is reason, where
        assert_only_one_rejection(p.receiver, before, where)


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
