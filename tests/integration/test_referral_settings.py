"""Referrals, part 3: the coordinator's form (add, rename, reorder, mark required; built-in
fields stay), and incoming referrals stored for the bundle import."""

from __future__ import annotations

import io
import uuid

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from infohus_desktop.domain.errors import AccessDenied, InvalidInput, NotFound
from infohus_desktop.domain.organisations import OrgKind, Role
from infohus_desktop.domain.referral_workflow import ReferralStatus
from infohus_desktop.domain.referrals import DEFAULT_FORM, FieldType, Section
from infohus_desktop.services.referrals.incoming import IncomingAttachmentData
from infohus_desktop.vault.codecs.referrals import form_to_json
from infohus_desktop.vault.referral_schema import IncomingReferralRow
from tests.integration.conftest import District
from tests.integration.referral_fixtures import COMPLETE, case_with_draft, jens, mette


def test_a_coordinator_adjusts_the_form_and_new_referrals_follow_it(district: District) -> None:
    lars = district.coordinator
    settings = lars.referrals.settings
    settings.add_field("school_contact", "Kontakt på skolen", "School contact", "text", "person")
    settings.rename("reason", "Hvorfor henvise?", "Why refer?")
    settings.set_required("school_contact", True)
    settings.set_required("legal_basis", False)
    form = settings.reorder(["reason", "programme"])
    assert [f.key for f in form.fields[:2]] == ["reason", "programme"]
    custom = form.get("school_contact")
    assert custom is not None and custom.section is Section.PERSON and custom.required
    assert not custom.builtin
    m = mette(district)
    assert m.referrals.form() == form  # every member reads the vault's form
    _case, draft = case_with_draft(m)
    r = m.referrals.edit(draft.id, draft.version, COMPLETE)
    with pytest.raises(InvalidInput) as refused:
        m.referrals.change_status(r.id, ReferralStatus.SENT, how="email")
    assert refused.value.da == "Udfyld de påkrævede felter: »Kontakt på skolen«."
    r = m.referrals.edit(r.id, r.version, {"school_contact": "Lærer Ærbødig", "legal_basis": ""})
    assert m.referrals.change_status(r.id, ReferralStatus.SENT, how="email").status.value == "sendt"
    entries = lars.audit.list(action="referral.form.change")
    assert len(entries) == 5


def test_the_built_in_fields_stay_and_keep_their_type(district: District) -> None:
    settings = district.coordinator.referrals.settings
    with pytest.raises(InvalidInput, match="standardformularen"):
        settings.remove_field("person_consent")
    with pytest.raises(InvalidInput, match="altid påkrævet"):
        settings.set_required("programme", False)
    with pytest.raises(InvalidInput, match="findes allerede"):
        settings.add_field("reason", "x", "x", "text")
    with pytest.raises(InvalidInput, match="Type skal være"):
        settings.add_field("ny_felt", "x", "x", "billede")
    with pytest.raises(InvalidInput, match="Valgfeltet"):
        settings.add_field("ny_valg", "Valg", "Choice", "choice")
    with pytest.raises(InvalidInput, match="1-120 tegn"):
        settings.rename("reason", "")
    # a whole form that drops and retypes built-in fields gets them back as shipped
    data = form_to_json(DEFAULT_FORM)
    data = [f for f in data if f["key"] != "guardians_consent"]
    next(f for f in data if f["key"] == "person_consent")["type"] = "text"
    form = settings.set_form(data)
    assert form.get("guardians_consent") is not None
    person_consent = form.get("person_consent")
    assert person_consent is not None and person_consent.type is FieldType.YES_NO_UNKNOWN
    with pytest.raises(InvalidInput, match="JSON-liste"):
        settings.set_form({"not": "a list"})
    added = settings.add_field("noter", "Noter", "Notes", "long_text")
    assert added.get("noter") is not None
    assert settings.remove_field("noter").get("noter") is None
    assert settings.reset() == DEFAULT_FORM


def test_a_member_cannot_change_the_form(district: District) -> None:
    m = mette(district)
    with pytest.raises(AccessDenied):
        m.referrals.settings.add_field("x_felt", "x", "x", "text")
    with pytest.raises(AccessDenied):
        m.referrals.settings.reset()


def test_a_removed_custom_field_s_value_stays_in_the_referral(district: District) -> None:
    settings = district.coordinator.referrals.settings
    settings.add_field("tolk", "Tolk", "Interpreter", "text")
    m = mette(district)
    _case, draft = case_with_draft(m)
    r = m.referrals.edit(draft.id, draft.version, {"tolk": "Arabisk"})
    settings.remove_field("tolk")
    assert m.referrals.show(r.id).values["tolk"] == "Arabisk"
    pdf = PdfReader(io.BytesIO(m.referrals.referral_pdf(r.id)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "tolk" in text and "Arabisk" in text


def test_an_incoming_referral_is_stored_read_and_its_attachments_intact(
    district: District,
) -> None:
    lars = district.coordinator
    content = bytes(range(256)) * 5000  # 1.28 MB: two chunks
    form = DEFAULT_FORM
    values = {"programme": "pet_exit", "person_name": "Indgående Ærø", "risk_factors": ["a"]}
    with lars.transaction() as session:
        incoming_id = lars.referrals.store_incoming(
            session,
            bundle_id="b-0001",
            sender="Infohus Sydjylland",
            values=values,
            form=form,
            attachments=[IncomingAttachmentData("udtalelse-æøå.pdf", "application/pdf", content)],
        )
    m = mette(district)
    listed = m.referrals.incoming()
    assert [i.id for i in listed] == [incoming_id]
    got = m.referrals.show_incoming(incoming_id)
    assert (got.sender, got.values, got.form) == ("Infohus Sydjylland", values, form)
    assert got.programme.value == "pet_exit" and got.received_by_login == "lars"
    (attachment,) = got.attachments
    from infohus_desktop.services.referrals.incoming import IncomingReferrals

    sink = io.BytesIO()
    IncomingReferrals(m).read_attachment(incoming_id, attachment.id, sink)
    assert sink.getvalue() == content and attachment.filename == "udtalelse-æøå.pdf"
    # the same bundle id twice is refused by the database, and nothing of it stays
    with pytest.raises(Exception), lars.transaction() as session:  # noqa: B017, PT011
        lars.referrals.store_incoming(
            session, bundle_id="b-0001", sender="x", values=values, form=form
        )
    with lars.vault.uow() as s:
        assert s.scalar(select(func.count()).select_from(IncomingReferralRow)) == 1
    with pytest.raises(NotFound):
        m.referrals.show_incoming(uuid.uuid4())
    actions = {e.action for e in lars.audit.list(limit=50)}
    assert {
        "referral.incoming.store",
        "referral.incoming.list",
        "referral.incoming.read",
    } <= actions


def test_every_network_member_sees_incoming_referrals(district: District) -> None:
    lars = district.coordinator
    with lars.transaction() as session:
        lars.referrals.store_incoming(
            session,
            bundle_id="b-0002",
            sender="x",
            values={"programme": "andet"},
            form=DEFAULT_FORM,
        )
    # every member of the network reads incoming referrals (Randers too)
    assert len(jens(district).referrals.incoming()) == 1


def test_a_guest_cannot_read_or_store_incoming_referrals(district: District) -> None:
    karl = district.enrol(
        "karl", "Karl Holm", "Kriminalforsorgen", Role.GUEST, OrgKind.KRIMINALFORSORGEN
    )
    with pytest.raises(AccessDenied):
        karl.referrals.incoming()
    with pytest.raises(AccessDenied), karl.transaction() as session:
        karl.referrals.store_incoming(
            session, bundle_id="b-3", sender="x", values={}, form=DEFAULT_FORM
        )
