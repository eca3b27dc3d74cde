"""The checks a referral passes before it is saved or moved on: codes, dates, the case's
attachments, and the minor rule (DOMAIN.md: exit work rests on agreement; for a person under
18 the guardians' consent must be answered before the referral is sent)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from infohus_desktop.domain.cpr import age_on, parse_cpr
from infohus_desktop.domain.errors import Conflict, InvalidInput, NotFound
from infohus_desktop.domain.referral_workflow import ReferralStatus, SendMethod
from infohus_desktop.domain.referrals import NO, YES, FieldValue, Programme, ReferralForm
from infohus_desktop.services.core.access import CaseHandle
from infohus_desktop.vault.case_schema import AttachmentRow
from infohus_desktop.vault.codecs.cases import person_from_json


def parse_programme(value: Programme | str) -> Programme:
    try:
        return Programme(str(value).strip())
    except ValueError:
        known = ", ".join(p.value for p in Programme)
        raise InvalidInput(
            f"Ukendt modtagerprogram; brug en af {known}.",
            f"Unknown recipient programme; use one of {known}.",
        ) from None


def parse_status(value: ReferralStatus | str) -> ReferralStatus:
    try:
        return ReferralStatus(str(value).strip())
    except ValueError:
        known = ", ".join(s.value for s in ReferralStatus)
        raise InvalidInput(
            f"Ukendt status; brug en af {known}.", f"Unknown status; use one of {known}."
        ) from None


def parse_method(value: SendMethod | str | None) -> SendMethod | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return SendMethod(str(value).strip())
    except ValueError:
        known = ", ".join(m.value for m in SendMethod)
        raise InvalidInput(
            f"Ukendt forsendelsesmåde; brug en af {known}.",
            f"Unknown sending method; use one of {known}.",
        ) from None


def check_on_date(day: date) -> date:
    if day > datetime.now(UTC).date():
        raise InvalidInput("Datoen ligger i fremtiden.", "The date lies in the future.")
    return day


def differing_keys(a: Mapping[str, FieldValue], b: Mapping[str, FieldValue]) -> set[str]:
    """Keys whose values differ (a missing key counts as empty)."""
    return {k for k in set(a) | set(b) if (a.get(k) or "") != (b.get(k) or "")}


def check_attachments(
    session: Session, case_id: uuid.UUID, values: Mapping[str, FieldValue]
) -> None:
    """Every id in the ``attachments`` field must be an attachment of this case."""
    chosen = values.get("attachments") or []
    if isinstance(chosen, str):
        chosen = [chosen]
    if not chosen:
        return
    try:
        ids = {uuid.UUID(a) for a in chosen}
    except ValueError:
        ids = set()
    known = set(session.scalars(select(AttachmentRow.id).where(AttachmentRow.case_id == case_id)))
    if not ids or not ids <= known or len(ids) != len(chosen):
        raise InvalidInput(
            "Feltet »Bilag« må kun nævne sagens egne bilag (deres id), hvert én gang.",
            "The field 'Attachments' may only name the case's own attachments (by id), each once.",
        )


def birth_date_of(values: Mapping[str, FieldValue], handle: CaseHandle) -> date | None:
    """The person's birth date: the form's, else from the form's CPR number, else the case's."""
    given = values.get("person_birth_date")
    if isinstance(given, str) and given:
        return date.fromisoformat(given)
    candidates: list[str] = []
    cpr = values.get("person_cpr")
    if isinstance(cpr, str) and cpr.strip():
        candidates.append(cpr)
    person = person_from_json(handle.open_case("person"))
    if person.birth_date is not None and not candidates:
        return person.birth_date
    if person.cpr:
        candidates.append(person.cpr)
    for text in candidates:
        try:
            return parse_cpr(text).birth_date
        except InvalidInput:
            continue
    return person.birth_date


def check_minor_consent(values: Mapping[str, FieldValue], handle: CaseHandle, on: date) -> None:
    """Refuse to send a minor's referral whose guardians' consent is not answered ja/nej.
    An unknown age counts as possibly a minor: the rule must not be escaped by leaving the
    birth date out."""
    answered = values.get("guardians_consent") in (YES, NO)
    if answered:
        return
    born = birth_date_of(values, handle)
    if born is None:
        raise InvalidInput(
            "Personens alder er ukendt: angiv fødselsdato, eller besvar om "
            "forældremyndighedsindehaverne samtykker, før henvisningen sendes.",
            "The person's age is unknown: give the date of birth, or answer whether the "
            "guardians consent, before the referral is sent.",
        )
    if age_on(born, on) < 18:
        raise InvalidInput(
            "Personen er under 18 år: svar ja eller nej på, om forældremyndighedsindehaverne "
            "samtykker, før henvisningen sendes.",
            "The person is under 18: answer yes or no to whether the guardians consent "
            "before the referral is sent.",
        )


def referral_not_found(ref: object) -> NotFound:
    # The same answer whether the referral does not exist or its case cannot be read.
    return NotFound(
        f"Ingen henvisning {ref} blandt dem, du kan læse.",
        f"No referral {ref} among those you can read.",
    )


class ReferralConflict(Conflict):
    """A save against a stale version; ``fields`` are the keys this save wanted to change
    (the message names them by their labels when the form is given)."""

    def __init__(
        self,
        referral_id: uuid.UUID,
        base: int,
        current: int,
        fields: list[str],
        form: ReferralForm | None = None,
    ) -> None:
        self.referral_id, self.base_version, self.current_version = referral_id, base, current
        self.fields = fields

        def names(lang: str) -> str:
            labels = []
            for key in fields:
                f = form.get(key) if form else None
                labels.append(f.label(lang) if f else key)
            return ", ".join(labels) or "status"

        super().__init__(
            f"Henvisningen er ændret af en anden (version {base} → {current}), mens du "
            f"arbejdede: {names('da')}. Intet er gemt.",
            f"The referral was changed by someone else (version {base} → {current}) while "
            f"you worked: {names('en')}. Nothing was saved.",
        )


def as_uuid(ref: uuid.UUID | str) -> uuid.UUID:
    if isinstance(ref, uuid.UUID):
        return ref
    try:
        return uuid.UUID(str(ref).strip())
    except ValueError:
        raise referral_not_found(ref) from None
