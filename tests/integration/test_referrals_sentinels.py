"""Referrals, part 5: a referral's whole life (draft, edits, every status with reasons, the
PDF, an incoming referral with an attachment) leaves none of its text in clear in the SQLite
file, its WAL or the logs. SQLite only: the test reads the files on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.referrals import DEFAULT_FORM
from infohus_desktop.services.referrals.incoming import IncomingAttachmentData
from tests.integration import test_cases_sentinels as base
from tests.integration.conftest import District
from tests.integration.referral_fixtures import COMPLETE, case_with_draft, mette

everything_logged = base.everything_logged

REASON = "Henvisningsbegrundelse som aldrig må stå i klartekst"
RISK = "Risikofaktor Sentinel-Ærø"
CONTACT = "Kontaktperson Qvistesen-Henvis"
RECEIVED_NOTE = "Modtagelsesnote om Sentinel"
OUTCOME = "Forløbsresultat for Sentinel"
INCOMING_NAME = "Indgående Sentinelius Øby"
INCOMING_FILE = "indgående-bilag-sentinel.txt"
INCOMING_CONTENT = "Indgående bilagsindhold ÆØÅ sentinel"
SENDER = "Afsender Sentinel-Infohus"
SENTINELS = [
    REASON,
    RISK,
    CONTACT,
    RECEIVED_NOTE,
    OUTCOME,
    INCOMING_NAME,
    INCOMING_FILE,
    INCOMING_CONTENT,
    SENDER,
    base.NAME,
]


@pytest.mark.parametrize("db_engine", ["sqlite"], indirect=True)
def test_a_whole_referral_life_leaves_no_sentinel_on_disk(
    everything_logged: Path, district: District, tmp_path: Path
) -> None:
    db_url = district.url
    m = mette(district)
    _case, draft = case_with_draft(m, base.NAME, base.CPR)
    r = m.referrals.edit(
        draft.id,
        draft.version,
        {**COMPLETE, "reason": REASON, "risk_factors": [RISK], "contact_persons": [CONTACT]},
    )
    r = m.referrals.change_status(r.id, ReferralStatus.SENT, how="bundle")
    r = m.referrals.change_status(r.id, ReferralStatus.RECEIVED, RECEIVED_NOTE)
    r = m.referrals.change_status(r.id, ReferralStatus.DECLINED, "afvist")
    r = m.referrals.change_status(r.id, ReferralStatus.CLOSED, OUTCOME)
    pdf = m.referrals.referral_pdf(r.id)
    assert pdf.startswith(b"%PDF")
    lars = district.unlock("lars")
    with lars.transaction() as session:
        incoming_id = lars.referrals.store_incoming(
            session,
            bundle_id="sentinel-bundle",
            sender=SENDER,
            values={"programme": "pet_exit", "person_name": INCOMING_NAME},
            form=DEFAULT_FORM,
            attachments=[
                IncomingAttachmentData(INCOMING_FILE, "text/plain", INCOMING_CONTENT.encode() * 30)
            ],
        )
    # everything really went in and comes out
    seen = lars.referrals.show(r.id)
    assert (seen.values["reason"], seen.values["risk_factors"]) == (REASON, [RISK])
    assert [e.reason for e in seen.history][-3:] == [RECEIVED_NOTE, "afvist", OUTCOME]
    incoming = lars.referrals.show_incoming(incoming_id)
    assert incoming.values["person_name"] == INCOMING_NAME and incoming.sender == SENDER
    assert incoming.attachments[0].filename == INCOMING_FILE
    lars.audit.list(limit=500)

    database = Path(db_url.split("///", 1)[1])
    assert database.with_name(database.name + "-wal").stat().st_size > 0
    found = []
    for path in base._files(tmp_path):
        data = path.read_bytes()
        for sentinel in SENTINELS:
            if any(needle and needle in data for needle in base._encodings(sentinel)):
                found.append(f"{sentinel!r} in {path.name}")
    assert found == []
