"""Showing a case's values as text: member and organisation names, categories, dates.

The names come from the services (members and the vault's categories), read once on the
worker into :class:`CaseNames`; formatting itself is plain Python on the GUI thread.
"""

from __future__ import annotations

import html
import uuid
from dataclasses import dataclass, field
from datetime import date

from infohus_desktop.domain.assessment import Assessment
from infohus_desktop.domain.cases import CaseSummary, Guardian
from infohus_desktop.domain.labels import LEVEL_LABELS, RETENTION_LABELS, SEX_LABELS, SOURCE_LABELS
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import Role
from infohus_desktop.services.front_door import MemberServices
from infohus_desktop.ui.i18n import fmt_date, tr
from infohus_desktop.ui.labels import label, question_label

DASH = "–"


@dataclass(frozen=True)
class CaseNames:
    members: dict[uuid.UUID, Member] = field(default_factory=dict)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)

    def member(self, member_id: uuid.UUID | None) -> str:
        if member_id is None:
            return DASH
        member = self.members.get(member_id)
        if member is None:
            return tr("Ukendt medlem", "Unknown member")
        return f"{member.name} ({member.organisation_name})"

    def organisation(self, org_id: uuid.UUID | None) -> str:
        if org_id is None:
            return DASH
        for member in self.members.values():
            if member.organisation_id == org_id:
                return member.organisation_name
        return tr("Ukendt organisation", "Unknown organisation")

    def category(self, code: str) -> str:
        return label(self.categories, code)

    def person(self, login: str) -> str:
        """Who wrote a part of the case, as people say it: the member's name (their login
        when the member is unknown, e.g. a "?" the service could not resolve)."""
        for member in self.members.values():
            if member.login == login:
                return member.name
        return login

    def lead(self, summary: CaseSummary) -> str:
        if summary.lead_member_id is not None:
            return self.member(summary.lead_member_id)
        return self.organisation(summary.lead_organisation_id)

    def lead_choices(self) -> list[Member]:
        """Members who can lead a case: active coordinators and members, by name."""

        return sorted(
            (
                m
                for m in self.members.values()
                if m.active and m.role in (Role.COORDINATOR, Role.MEMBER)
            ),
            key=lambda m: m.name.casefold(),
        )


def load_names(session: MemberServices) -> CaseNames:
    """On the worker: the members (for lead names) and the vault's categories."""
    return CaseNames(
        {m.id: m for m in session.accounts.list(include_removed=True)},
        # Categories changed outside the program show as their codes: the case still opens
        # (the start page and the settings tab say what happened).
        session.case_settings.for_display()[0],
    )


def cpr_text(cpr: str | None) -> str:
    return f"{cpr[:6]}-{cpr[6:]}" if cpr else DASH


def guardians_text(guardians: tuple[Guardian, ...]) -> str:
    out = []
    for g in guardians:
        text = g.name + (f" ({g.relation})" if g.relation else "")
        if g.contact:
            text += f", {g.contact}"
        if g.informed:
            text += tr(", orienteret", ", informed")
        out.append(text)
    return "; ".join(out) or DASH


def answers_text(answers: tuple[tuple[str, str], ...]) -> str:
    return "\n".join(f"{question_label(q)} {a}" for q, a in answers) or DASH


def value_text(key: str, value: object, names: CaseNames) -> str:
    """A field's value (by :class:`CaseEdit` name, or ``person.x`` / ``intake.x``)."""
    if value is None or value == "" or value == ():
        return DASH
    if key == "category":
        return names.category(str(value))
    if key == "lead_member_id" and isinstance(value, uuid.UUID):
        return names.member(value)
    if key == "lead_organisation_id" and isinstance(value, uuid.UUID):
        return names.organisation(value)
    if key == "retention":
        return label(RETENTION_LABELS, value)
    if key == "person.sex":
        return label(SEX_LABELS, value)
    if key == "intake.source":
        return label(SOURCE_LABELS, value)
    if key == "person.cpr":
        return cpr_text(str(value))
    if key == "person.guardians" and isinstance(value, tuple):
        return guardians_text(value)
    if key == "intake.answers" and isinstance(value, tuple):
        return answers_text(value)
    if isinstance(value, bool):
        return tr("Ja", "Yes") if value else tr("Nej", "No")
    if isinstance(value, date):
        return fmt_date(value)
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def assessment_heading(assessment: Assessment, bold_level: bool = False) -> str:
    """ "Level of concern: high · assessed 22.11.2026 by …" for the overview and the
    assessment tab. With ``bold_level`` the result is rich text, so names are escaped."""
    content = assessment.content
    level_da = f"Bekymringsniveau: {label(LEVEL_LABELS, content.level)}"
    level_en = f"Level of concern: {label(LEVEL_LABELS, content.level)}"
    assessors = ", ".join(content.assessors)
    if bold_level:
        level_da, level_en, assessors = (
            f"<b>{level_da}</b>",
            f"<b>{level_en}</b>",
            html.escape(assessors),
        )
    when = fmt_date(content.assessed_on)
    return tr(
        f"{level_da} · vurderet {when} af {assessors}",
        f"{level_en} · assessed {when} by {assessors}",
    )


def serious_signs_text(assessment: Assessment) -> str:
    """The serious signs present in an assessment, for the highlighted line."""
    return tr("Alvorlige tegn: ", "Serious signs: ") + "; ".join(
        tr(i.label_da, i.label_en) for i in assessment.serious_present()
    )
