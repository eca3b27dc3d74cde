"""The insight report (*indsigt*) as a PDF for the citizen: what the Infohus holds about them
and the log of look-ups and changes (reportlab, on the shared base: FORTROLIGT, page X of Y
and who printed it on every page).

Written for the person it is about, not for staff: plain headings, codes in words, dates as
dd.mm.yyyy and times in Danish local time. Staff logins and names appear only in a report made
with staff names; otherwise a part of a case says what was done, not by whom. Every value is
user text and goes through ``para`` (escaped, long words broken).
"""

from __future__ import annotations

from datetime import date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from infohus_desktop.domain.insight import InsightReport, SearchBy, action_label, purpose_label
from infohus_desktop.reports.base import (
    DocumentRenderer,
    PrintStamp,
    data_table,
    fitted_widths,
    label_value_table,
    local_time,
    para,
)
from infohus_desktop.reports.insight_case import CaseSections

KEEP_WITH_NEXT = 30 * mm


def day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def moment(value: datetime) -> str:
    """A stored moment (UTC) as Danish local date and time."""
    return local_time(value).strftime("%d.%m.%Y %H.%M")


def cpr_text(cpr: str | None) -> str:
    if cpr and len(cpr) == 10 and cpr.isdigit():
        return f"{cpr[:6]}-{cpr[6:]}"
    return cpr or "—"


class InsightRenderer(DocumentRenderer):
    def __init__(self, report: InsightReport, stamp: PrintStamp) -> None:
        title = stamp.t("Indsigt i egne oplysninger", "Subject access report")
        if report.person_name:
            subtitle = stamp.t(
                f"{report.person_name} · CPR-nr. {cpr_text(report.person_cpr)}",
                f"{report.person_name} · CPR no. {cpr_text(report.person_cpr)}",
            )
        elif report.searched_case:
            subtitle = stamp.t(
                f"Søgt på sag {report.searched_case}", f"Searched for case {report.searched_case}"
            )
        else:
            subtitle = stamp.t(
                f"CPR-nr. {cpr_text(report.person_cpr)}", f"CPR no. {cpr_text(report.person_cpr)}"
            )
        super().__init__(
            title=title,
            stamp=stamp,
            header_left=f"Infohus {report.infohus_name}",
            subtitle=subtitle,
        )
        self.report = report
        self.lang = stamp.language

    # -- the opening ------------------------------------------------------------------------

    def _intro(self) -> list[Flowable]:
        r, s = self.report, self.styles
        out: list[Flowable] = [
            para(
                self.t(
                    f"Denne rapport viser de oplysninger, Infohus {r.infohus_name} behandler om "
                    "dig, og en log over hvornår, af hvilken organisation og med hvilket formål "
                    "oplysningerne er slået op eller ændret.",
                    f"This report shows the information Infohus {r.infohus_name} processes "
                    "about you, and a log of when, by which organisation and for which purpose "
                    "the information was looked up or changed.",
                ),
                s.body,
            ),
            para(
                # Of the log: names written in the case itself (who assessed, who reported)
                # are part of the information shown, and the user trial read "not included"
                # as a promise about them too.
                self.t(
                    "Loggen nævner medarbejdernes navne efter særlig beslutning."
                    if r.with_staff_names
                    else "Loggen nævner organisationen, ikke medarbejderens navn. Navne, der "
                    "står i selve sagen, fx hvem der har vurderet, er en del af oplysningerne.",
                    "The log names the staff members by a specific decision."
                    if r.with_staff_names
                    else "The log names the organisation, not the staff member. Names written "
                    "in the case itself, such as who assessed it, are part of the information.",
                ),
                s.body,
            ),
        ]
        return out

    def _scope(self) -> list[Flowable]:
        r, s = self.report, self.styles
        if r.searched_by is SearchBy.CASE:
            searched = self.t(
                f"Søgt ud fra sagsnummer {r.searched_case}"
                + (" og personens CPR-nummer." if r.cases and r.person_cpr else "."),
                f"Searched by case number {r.searched_case}"
                + (" and the person's CPR number." if r.cases and r.person_cpr else "."),
            )
        else:
            searched = self.t("Søgt ud fra CPR-nummer.", "Searched by CPR number.")
        notes = [
            searched,
            self.t(
                "En sag, der er registreret uden CPR-nummer, findes kun ved søgning på dens "
                "sagsnummer.",
                "A case registered without a CPR number is found only by its case number.",
            ),
            self.t(
                "Slettede sager: Når en sag slettes, gemmes kun sagsnummer, kommune og datoer, "
                "ikke navn eller CPR-nummer. En slettet sag kan derfor ikke findes ud fra et "
                "CPR-nummer, kun ud fra sit sagsnummer.",
                "Deleted cases: when a case is deleted, only its number, municipality and "
                "dates are kept, not the name or CPR number. A deleted case can therefore not "
                "be found from a CPR number, only from its case number.",
            ),
        ]
        if r.limited_to_groups:
            notes.append(
                self.t(
                    "Søgningen omfatter de adgangskredse, som rapportens udsteder er medlem af.",
                    "The search covers the access groups the issuer of this report is a member of.",
                )
            )
        out: list[Flowable] = [para(self.t("Søgningens omfang", "Scope of the search"), s.h2)]
        out += [para(f"• {note}", s.body) for note in notes]
        if r.possibly_elsewhere:
            out.append(
                para(
                    self.t(
                        "CPR-nummeret findes muligvis også i en sag i en adgangskreds, som "
                        "rapportens udsteder ikke er medlem af. En koordinator i den kreds må "
                        "supplere rapporten.",
                        "The CPR number possibly also appears in a case of an access group the "
                        "issuer of this report is not a member of. A coordinator of that group "
                        "must add to the report.",
                    ),
                    s.warning,
                )
            )
        return out

    def _overview(self) -> list[Flowable]:
        r, s = self.report, self.styles
        if not r.cases and not r.deleted:
            if r.possibly_elsewhere:
                # Not "no cases": the citizen would read the headline, not the note below.
                headline = self.t(
                    "Rapportens udsteder kan ikke se nogen sag om personen i Infohus "
                    f"{r.infohus_name}, men personen findes muligvis i en sag, som udstederen "
                    "ikke kan læse (se nedenfor).",
                    "The issuer of this report can see no case about the person in Infohus "
                    f"{r.infohus_name}, but the person possibly appears in a case the issuer "
                    "cannot read (see below).",
                )
            else:
                headline = self.t(
                    f"Der er ingen sager om personen i Infohus {r.infohus_name}.",
                    f"There are no cases about the person in Infohus {r.infohus_name}.",
                )
            return [para(headline, s.h2)]
        rows = [
            (
                self.t("Sager", "Cases"),
                ", ".join(c.case.summary.number for c in r.cases) or self.t("Ingen", "None"),
            )
        ]
        if r.deleted:
            rows.append(
                (
                    self.t("Slettede sager", "Deleted cases"),
                    ", ".join(d.number for d in r.deleted),
                )
            )
        rows.append((self.t("Loglinjer", "Log lines"), str(len(r.log))))
        return [label_value_table(rows, s)]

    def _deleted(self) -> list[Flowable]:
        r, s = self.report, self.styles
        if not r.deleted:
            return []
        out: list[Flowable] = [
            CondPageBreak(KEEP_WITH_NEXT),
            para(self.t("Slettede sager", "Deleted cases"), s.h1),
        ]
        for d in r.deleted:
            out.append(
                para(
                    self.t(
                        f"Sag {d.number} ({d.municipality}): modtaget {day(d.received)}, "
                        f"afsluttet {day(d.closed_on)}. Sagen blev slettet {day(d.deleted_on)}; "
                        "dens oplysninger findes ikke længere.",
                        f"Case {d.number} ({d.municipality}): received {day(d.received)}, "
                        f"closed {day(d.closed_on)}. The case was deleted {day(d.deleted_on)}; "
                        "its information no longer exists.",
                    ),
                    s.body,
                )
            )
        return out

    # -- the log ------------------------------------------------------------------------------

    def _log(self) -> list[Flowable]:
        r, s = self.report, self.styles
        out: list[Flowable] = [
            CondPageBreak(KEEP_WITH_NEXT),
            para(self.t("Log over opslag og ændringer", "Log of look-ups and changes"), s.h1),
            para(
                self.t(
                    "Tidspunkter er dansk tid. Formålet er det, medarbejderen angav i programmet.",
                    "Times are Danish time. The purpose is the one the staff member gave in "
                    "the program.",
                ),
                s.muted,
            ),
        ]
        if not r.log:
            out.append(para(self.t("Ingen loglinjer.", "No log lines."), s.body))
            return out
        action, purpose = self.t("Handling", "Action"), self.t("Formål", "Purpose")
        organisation = self.t("Organisation", "Organisation")
        rows: list[list[str]] = []
        if r.with_staff_names:
            # Six columns do not fit side by side: the case number goes under the time.
            header = [
                self.t("Tidspunkt og sag", "Time and case"),
                action,
                purpose,
                organisation,
                self.t("Medarbejder", "Staff member"),
            ]
            for line in r.log:
                rows.append(
                    [
                        f"{moment(line.at)}\n{line.case_number}",
                        action_label(line.action, self.lang),
                        purpose_label(line.purpose, self.lang),
                        line.organisation,
                        line.staff or "?",
                    ]
                )
        else:
            header = [self.t("Tidspunkt", "Time"), self.t("Sag", "Case"), action, purpose]
            header.append(organisation)
            for line in r.log:
                rows.append(
                    [
                        moment(line.at),
                        line.case_number,
                        action_label(line.action, self.lang),
                        purpose_label(line.purpose, self.lang),
                        line.organisation,
                    ]
                )
        # Widths from the words of this log: fixed ones broke the longer labels and names
        # inside a word ("Revisionslogge" / "n", "Ungdoms" / "psykiatrien").
        out.append(data_table(header, rows, s, fitted_widths(header, rows, s)))
        return out

    def story(self) -> list[Flowable]:
        r = self.report
        sections = CaseSections(self.styles, self.stamp, r.with_staff_names)
        out = [*self._intro(), *self._overview(), *self._scope(), *self._deleted()]
        for case in r.cases:
            out += sections.case(case)
        out += [Spacer(1, 4 * mm), *self._log()]
        return out


def render_insight(report: InsightReport, language: str = "da") -> bytes:
    stamp = PrintStamp(report.produced_by, report.produced_at, language)
    return InsightRenderer(report, stamp).render()
