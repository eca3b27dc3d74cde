"""One case of an insight report, every field of it: the case, the person, the concern as it
came in, status history, screenings, information gathered, assessments, measures, journal,
disclosures with their legal basis, attachments and referrals.

Parts are tables whose columns say what and when; the staff member who wrote a part is a
column only in a report made with staff names (the citizen's right is to the dates and
purposes, usually without names). Codes are shown in words through the domain's label tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable

from infohus_desktop.domain.assessment import FOCUS_AREAS, Assessment
from infohus_desktop.domain.cases import Case
from infohus_desktop.domain.insight import InsightCase
from infohus_desktop.domain.labels import (
    INDICATOR_STATE_LABELS,
    INTAKE_QUESTIONS,
    JOURNAL_KIND_LABELS,
    LEGAL_BASIS_LABELS,
    LEVEL_LABELS,
    MEASURE_STATUS_LABELS,
    MEASURE_TYPE_LABELS,
    RETENTION_LABELS,
    SCREENING_LABELS,
    SEX_LABELS,
    SOURCE_LABELS,
)
from infohus_desktop.domain.referral_workflow import REFERRAL_STATUS_LABELS
from infohus_desktop.domain.referrals import PROGRAMME_LABELS
from infohus_desktop.domain.workflow import CLOSING_LABELS, STATUS_LABELS
from infohus_desktop.reports.base import (
    PrintStamp,
    Styles,
    data_table,
    fitted_widths,
    label_value_table,
    local_time,
    para,
)

EMPTY = "—"
KEEP_WITH_NEXT = 30 * mm
LABEL_WIDTH = 52 * mm


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else EMPTY


def _moment(value: datetime) -> str:
    return local_time(value).strftime("%d.%m.%Y %H.%M")


def _text(value: str) -> str:
    return value if value.strip() else EMPTY


class CaseSections:
    """The flowables of one case; ``staff`` adds who wrote each part."""

    def __init__(self, styles: Styles, stamp: PrintStamp, staff: bool) -> None:
        self.s = styles
        self.stamp = stamp
        self.staff = staff
        self.en = stamp.language == "en"

    def t(self, da: str, en: str) -> str:
        return en if self.en else da

    def w(self, pair: tuple[str, str]) -> str:
        """A label pair in the report's language."""
        return pair[1] if self.en else pair[0]

    def _heading(self, text: str) -> list[Flowable]:
        return [CondPageBreak(KEEP_WITH_NEXT), para(text, self.s.h2)]

    def _table(self, header: list[str], rows: list[list[str]]) -> list[Flowable]:
        """A table of parts, its columns fitted to their words (a hand-set width split
        "Telefonsamtal|e" in the journal, user trial); with staff names, a last column
        "Af" / "By" (the rows carry it, :meth:`_by`)."""
        if self.staff:
            header = [*header, self.t("Af", "By")]
        return [data_table(header, rows, self.s, fitted_widths(header, rows, self.s))]

    def _by(self, row: list[str], login: str) -> list[str]:
        return [*row, login] if self.staff else row

    # -- the case ---------------------------------------------------------------------------

    def case(self, item: InsightCase) -> list[Flowable]:
        c = item.case
        out: list[Flowable] = [
            CondPageBreak(60 * mm),
            para(self.t(f"Sag {c.summary.number}", f"Case {c.summary.number}"), self.s.h1),
        ]
        out += self._facts(item)
        out += self._person(c)
        out += self._intake(c)
        out += self._history(c)
        out += self._screenings(c)
        out += self._information(c)
        out += self._assessments(item.assessments)
        out += self._measures(c)
        out += self._journal(c)
        out += self._disclosures(c)
        out += self._attachments(c)
        out += self._referrals(item)
        return out

    def _facts(self, item: InsightCase) -> list[Flowable]:
        c, s = item.case, item.case.summary
        rows = [
            (self.t("Sagsnummer", "Case number"), s.number),
            (self.t("Overskrift", "Title"), _text(c.title)),
            ("Status", self.w(STATUS_LABELS[s.status])),
            (self.t("Kategori", "Category"), self.w(item.category) or s.category),
            (self.t("Kilde", "Source"), self.w(SOURCE_LABELS[c.intake.source])),
            (self.t("Modtaget", "Received"), _day(s.received)),
            (self.t("Kommune", "Municipality"), _text(s.municipality)),
            (self.t("Opfølgning", "Follow-up"), _day(s.follow_up)),
            (self.t("Opbevaring", "Retention"), self.w(RETENTION_LABELS[c.retention])),
            (
                self.t("Afslutningsårsag", "Closing reason"),
                self.w(CLOSING_LABELS[c.closing_reason]) if c.closing_reason else EMPTY,
            ),
            (
                self.t("Deltagende organisationer", "Participating organisations"),
                ", ".join(c.participating_organisations) or EMPTY,
            ),
        ]
        return [label_value_table(rows, self.s, LABEL_WIDTH)]

    def _person(self, c: Case) -> list[Flowable]:
        p = c.person
        cpr = f"{p.cpr[:6]}-{p.cpr[6:]}" if p.cpr and len(p.cpr) == 10 else (p.cpr or EMPTY)
        guardians = "\n".join(
            ", ".join(
                part
                for part in (
                    g.name,
                    g.relation,
                    g.contact,
                    self.t("orienteret", "informed") if g.informed else "",
                )
                if part
            )
            for g in p.guardians
        )
        rows = [
            (self.t("Navn", "Name"), p.name),
            (self.t("CPR-nummer", "CPR number"), cpr),
            (self.t("Fødselsdato", "Date of birth"), _day(p.birth_date)),
            (self.t("Køn", "Sex"), self.w(SEX_LABELS[p.sex])),
            (self.t("Adresse", "Address"), _text(p.address)),
            (self.t("Bopælskommune", "Municipality of residence"), _text(p.municipality)),
            (self.t("Telefon", "Phone"), _text(p.phone)),
            ("E-mail", _text(p.email)),
            (self.t("Skole eller arbejde", "School or work"), _text(p.school_or_work)),
            (self.t("Forældre og pårørende", "Parents and next of kin"), guardians or EMPTY),
        ]
        return [*self._heading(self.t("Personen", "The person")), label_value_table(rows, self.s)]

    def _intake(self, c: Case) -> list[Flowable]:
        i = c.intake
        questions = {da: en for da, en in INTAKE_QUESTIONS}
        rows = [
            (self.t("Modtaget", "Received"), _day(i.received)),
            (self.t("Kilde", "Source"), self.w(SOURCE_LABELS[i.source])),
            (
                self.t("Indberettende organisation", "Reporting organisation"),
                _text(i.reporter_organisation),
            ),
            (
                self.t("Indberetterens kontakt", "Reporter's contact"),
                self.t("Anonym", "Anonymous") if i.anonymous else _text(i.reporter_contact),
            ),
            (self.t("Det observerede", "What was observed"), _text(i.observed)),
        ]
        rows += [(questions.get(q, q) if self.en else q, _text(a)) for q, a in i.answers]
        return [
            *self._heading(self.t("Henvendelsen", "The concern as reported")),
            label_value_table(rows, self.s),
        ]

    def _history(self, c: Case) -> list[Flowable]:
        if not c.history:
            return []
        rows = []
        for h in c.history:
            change = (
                f"{self.w(STATUS_LABELS[h.old])} → {self.w(STATUS_LABELS[h.new])}"
                if h.old
                else self.w(STATUS_LABELS[h.new])
            )
            reason = h.reason
            if h.closing_reason:
                reason = f"{reason} ({self.w(CLOSING_LABELS[h.closing_reason])})"
            rows.append(self._by([_moment(h.at), change, _text(reason)], h.by_login))
        header = [self.t("Tidspunkt", "Time"), "Status", self.t("Begrundelse", "Reason")]
        return [
            *self._heading(self.t("Statusforløb", "Status history")),
            *self._table(header, rows),
        ]

    def _screenings(self, c: Case) -> list[Flowable]:
        if not c.screenings:
            return []
        rows = [
            self._by(
                [
                    _moment(x.at),
                    self.w(SCREENING_LABELS[x.outcome]),
                    _text(x.reason),
                    _text(x.legal_reference),
                ],
                x.by_login,
            )
            for x in c.screenings
        ]
        header = [
            self.t("Tidspunkt", "Time"),
            self.t("Resultat", "Outcome"),
            self.t("Begrundelse", "Reason"),
            self.t("Hjemmel", "Legal reference"),
        ]
        return [
            *self._heading(self.t("Screening", "Screening")),
            *self._table(header, rows),
        ]

    def _information(self, c: Case) -> list[Flowable]:
        if not c.information:
            return []
        rows = [
            self._by(
                [
                    _day(x.asked),
                    _text(x.authority),
                    _text(x.answer),
                    self.w(LEGAL_BASIS_LABELS[x.legal_basis]),
                ],
                x.by_login,
            )
            for x in c.information
        ]
        header = [
            self.t("Spurgt", "Asked"),
            self.t("Myndighed", "Authority"),
            self.t("Svar", "Answer"),
            self.t("Hjemmel", "Legal basis"),
        ]
        return [
            *self._heading(self.t("Indhentede oplysninger", "Information gathered")),
            *self._table(header, rows),
        ]

    def _assessments(self, assessments: Sequence[Assessment]) -> list[Flowable]:
        if not assessments:
            return []
        out = self._heading(self.t("Vurderinger", "Assessments"))
        for n, a in enumerate(assessments, start=1):
            x = a.content
            title = self.t(
                f"Vurdering {n} af {len(assessments)}", f"Assessment {n} of {len(assessments)}"
            )
            out += [CondPageBreak(KEEP_WITH_NEXT), para(title, self.s.h3)]
            labels = {i.code: (i.label_da, i.label_en) for i in a.indicators}
            signs = "\n".join(
                f"{self.w(labels.get(code, (code, code)))}: "
                f"{self.w(INDICATOR_STATE_LABELS[answer.state])}"
                + (f" — {answer.comment}" if answer.comment else "")
                for code, answer in x.answers.items()
            )
            rows = [
                (self.t("Vurderet", "Assessed on"), _day(x.assessed_on)),
                (self.t("Bekymringsniveau", "Level of concern"), self.w(LEVEL_LABELS[x.level])),
                (self.t("Begrundelse", "Rationale"), _text(x.rationale)),
                (self.t("Hovedproblemer", "Main problems"), _text(x.main_problems)),
                (self.t("Ressourcer", "Resources"), _text(x.resources)),
                (
                    self.t("Fokusområder", "Focus areas"),
                    ", ".join(self.w(FOCUS_AREAS.get(f, (f, f))) for f in x.focus_areas) or EMPTY,
                ),
                (self.t("Tegn", "Signs"), signs or EMPTY),
                (self.t("Vurderet af", "Assessed by"), ", ".join(x.assessors) or EMPTY),
            ]
            if self.staff:
                rows.append((self.t("Skrevet af", "Written by"), a.by_login))
            out.append(label_value_table(rows, self.s))
        return out

    def _measures(self, c: Case) -> list[Flowable]:
        if not c.measures:
            return []
        rows = [
            [
                self.w(MEASURE_TYPE_LABELS[m.type]),
                _text(m.owner),
                _text(m.description),
                f"{_day(m.start)} – {_day(m.end)}",
                self.w(MEASURE_STATUS_LABELS[m.status]),
                _text(m.outcome),
            ]
            for m in c.measures
        ]
        header = [
            self.t("Indsats", "Measure"),
            self.t("Ansvarlig", "Owner"),
            self.t("Beskrivelse", "Description"),
            self.t("Periode", "Period"),
            "Status",
            self.t("Resultat", "Outcome"),
        ]
        return [
            *self._heading(self.t("Indsatser", "Measures")),
            data_table(header, rows, self.s, fitted_widths(header, rows, self.s)),
        ]

    def _journal(self, c: Case) -> list[Flowable]:
        if not c.journal:
            return []
        rows = []
        for j in c.journal:
            text = j.text
            if j.corrects:
                text = self.t(
                    "Rettelse af et tidligere notat: ", "Correction of an earlier entry: "
                )
                text += j.text
            rows.append(
                self._by([_moment(j.at), self.w(JOURNAL_KIND_LABELS[j.kind]), text], j.by_login)
            )
        header = [
            self.t("Tidspunkt", "Time"),
            self.t("Art", "Kind"),
            "Tekst" if not self.en else "Text",
        ]
        return [
            *self._heading(self.t("Journal", "Journal")),
            *self._table(header, rows),
        ]

    def _disclosures(self, c: Case) -> list[Flowable]:
        if not c.disclosures:
            return []
        rows = [
            self._by(
                [
                    _day(d.on),
                    _text(d.from_party),
                    _text(d.to_party),
                    _text(d.what),
                    self.w(LEGAL_BASIS_LABELS[d.legal_basis]),
                ],
                d.by_login,
            )
            for d in c.disclosures
        ]
        header = [
            self.t("Dato", "Date"),
            self.t("Fra", "From"),
            self.t("Til", "To"),
            self.t("Hvad", "What"),
            self.t("Hjemmel", "Legal basis"),
        ]
        return [
            *self._heading(self.t("Videregivelser", "Disclosures")),
            *self._table(header, rows),
        ]

    def _attachments(self, c: Case) -> list[Flowable]:
        if not c.attachments:
            return []
        rows = [
            self._by(
                [
                    _moment(a.added),
                    a.filename,
                    f"{a.size / 1024:.0f} KB" if a.size >= 1024 else f"{a.size} B",
                ],
                a.by_login,
            )
            for a in c.attachments
        ]
        header = [self.t("Tilføjet", "Added"), self.t("Fil", "File"), self.t("Størrelse", "Size")]
        return [
            *self._heading(self.t("Bilag", "Attachments")),
            para(
                self.t(
                    "Bilagenes indhold udleveres særskilt efter anmodning.",
                    "The attachments' contents are provided separately on request.",
                ),
                self.s.muted,
            ),
            *self._table(header, rows),
        ]

    def _referrals(self, item: InsightCase) -> list[Flowable]:
        if not item.referrals:
            return []
        rows = [
            [
                self.w(PROGRAMME_LABELS[r.programme]),
                _day(r.referral_date),
                _day(r.sent_on),
                self.w(REFERRAL_STATUS_LABELS[r.status]),
            ]
            for r in item.referrals
        ]
        header = [
            self.t("Modtager", "Recipient"),
            self.t("Henvisningsdato", "Referral date"),
            self.t("Sendt", "Sent"),
            "Status",
        ]
        return [
            *self._heading(self.t("Henvisninger", "Referrals")),
            data_table(header, rows, self.s, fitted_widths(header, rows, self.s)),
        ]
