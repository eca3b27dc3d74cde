"""Referrals, part 4: the PDF form holds every field with its label and value, Danish
letters and hostile text shown literally, consent as check boxes, and the page chrome."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pypdf
import pytest

from infohus_desktop.domain.cpr import age_on
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.referrals import DEFAULT_FORM, FieldType, ReferralForm
from infohus_desktop.services.referrals.incoming import IncomingAttachmentData
from tests.integration.conftest import District
from tests.integration.referral_fixtures import case_with_draft, mette

HOSTILE = '<img src="http://127.0.0.1:9/x.png"/> & <b>fed</b> &amp; <a href="x">her</a>'
LONG = "Begrundelse med æøå ÆØÅ. " * 150


def _text(pdf: bytes) -> tuple[list[str], str]:
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    return pages, re.sub(r"\s+", " ", " ".join(pages))


def _every_field(attachment_id: str) -> dict[str, object]:
    values: dict[str, object] = {}
    for f in DEFAULT_FORM.fields:
        if f.type is FieldType.LIST:
            values[f.key] = [f"{f.key} punkt ét æøå", f"{f.key} punkt to"]
        elif f.type is FieldType.CHOICE:
            values[f.key] = f.choices[-1].code
        elif f.type is FieldType.YES_NO_UNKNOWN:
            values[f.key] = "ja"
        elif f.type is FieldType.DATE:
            values[f.key] = "2011-03-04"
        else:
            values[f.key] = f"{f.key}: værdi med Æblegrød"
    values["attachments"] = [attachment_id]
    values["reason"] = LONG
    values["consent_note"] = HOSTILE
    values["person_consent"] = "nej"
    values["guardians_informed"] = ""
    return values


def test_the_pdf_holds_every_field_label_and_value(district: District) -> None:
    m = mette(district)
    case, draft = case_with_draft(m)
    att = m.attachments.add(case.number, "skoleudtalelse-æøå.pdf", io.BytesIO(b"x" * 3000))
    values = _every_field(str(att.id))
    r = m.referrals.edit(draft.id, draft.version, values)
    r = m.referrals.change_status(r.id, ReferralStatus.SENT, how="sikker_mail")
    pages, text = _text(m.referrals.referral_pdf(r.id))
    assert len(pages) >= 3  # the long reason runs over pages
    for f in DEFAULT_FORM.fields:
        assert re.sub(r"\s+", " ", f.label_da) in text, f.key
        value = values[f.key]
        if f.type is FieldType.LIST and f.key != "attachments":
            for item in value:  # type: ignore[union-attr]
                assert item in text, f.key
        elif f.type in (FieldType.TEXT,):
            assert str(value) in text, f.key
    for choice in ("Anden modtager", "Akut", "Andet (se bemærkning)"):
        assert f"☒ {choice}" in text.replace("\xa0", " ")
    assert "04.03.2011" in text
    assert "Bilag 1: skoleudtalelse-æøå.pdf (3 KB)" in text
    assert "Begrundelse med æøå ÆØÅ." in text and text.count("Begrundelse med æøå") == 150
    assert HOSTILE in text  # markup shown as typed, nothing interpreted
    consent = text.replace("\xa0", " ")
    assert "Personen samtykker til henvisningen ☐ Ja ☒ Nej ☐ Ukendt" in consent
    # an unanswered question shows every box empty
    assert "(under 18 år) ☐ Ja ☐ Nej ☐ Ukendt" in consent
    # the history, and the chrome on every page
    assert "Sendt Sikker mail mette" in text
    for n, page in enumerate(pages, start=1):
        assert "FORTROLIGT" in page
        assert f"Side {n} af {len(pages)}" in page
        assert "Udskrevet af Mette Fjord (mette)" in page
    assert "Infohus Østjylland" in pages[0] and case.number in pages[0]


def test_the_english_pdf_and_a_minor_s_notice(district: District) -> None:
    m = mette(district)
    _case, draft = case_with_draft(m, "Ung Ærø", cpr="0101124001")
    pages, text = _text(m.referrals.referral_pdf(draft.id, "en"))
    assert "Referral to an exit programme" in text and "Recipient programme" in text
    assert "Page 1 of" in pages[0] and "Printed by Mette Fjord (mette)" in pages[0]
    age = age_on(date(2012, 1, 1), date.today())
    assert f"The person is {age} on the referral date" in text
    _pages, da = _text(m.referrals.referral_pdf(draft.id))
    assert "Personen er" in da and "år på henvisningsdatoen" in da
    assert "010112-4001" in da


@pytest.mark.parametrize("language", ["da", "en"])
def test_an_empty_draft_renders(district: District, language: str) -> None:
    m = mette(district)
    case, _ = case_with_draft(m)
    r = m.referrals.create(case.number, "andet", prefill=False)
    pages, text = _text(m.referrals.referral_pdf(r.id, language))
    assert pages and "—" in text


def test_an_incoming_referral_prints_with_the_sender_s_labels(district: District) -> None:
    lars = district.coordinator
    fields = [
        replace(f, label_da="Afsenders egen etiket") if f.key == "reason" else f
        for f in DEFAULT_FORM.fields
    ]
    values = {"programme": "pet_exit", "person_name": "Indgående Ærø", "reason": HOSTILE}
    with lars.transaction() as session:
        incoming_id = lars.referrals.store_incoming(
            session,
            bundle_id="pdf-bundle",
            sender="Infohus Sydjylland",
            values=values,
            form=ReferralForm(tuple(fields)),
            attachments=[IncomingAttachmentData("bilag-æøå.txt", "text/plain", b"x" * 2048)],
        )
    m = mette(district)
    pages, text = _text(m.referrals.incoming_pdf(incoming_id))
    assert "Modtaget" in text and "fra Infohus Sydjylland" in text and "pdf-bundle" in text
    assert "Afsenders egen etiket" in text and HOSTILE in text and "Indgående Ærø" in text
    assert "Bilag 1: bilag-æøå.txt (2 KB)" in text
    assert all("FORTROLIGT" in p for p in pages)
    m.referrals.incoming_output_audit(incoming_id)(m, "print")
    actions = [e.action for e in lars.audit.list(limit=20) if e.actor_login == "mette"]
    assert actions[:2] == ["referral.incoming.print", "referral.incoming.pdf"]
