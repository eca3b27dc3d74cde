"""The referral as a form a receiving caseworker can read and file (reportlab, on the shared
base: FORTROLIGT, page X of Y and who printed it on every page).

Sections in the form's order, each a table of labelled fields; consent and other closed
questions as check boxes (☒/☐) with every option shown, so a blank answer is visible as such;
then the referral's history and a box for the recipient's own filing notes. Every value is
user text and goes through ``para`` (escaped, long words broken).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from infohus_desktop.domain.cases import AttachmentInfo
from infohus_desktop.domain.cpr import age_on
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.referral_workflow import (
    REFERRAL_STATUS_LABELS,
    SEND_METHOD_LABELS,
    ReferralStatus,
)
from infohus_desktop.domain.referrals import (
    PROGRAMME_LABELS,
    SECTION_LABELS,
    YES_NO_LABELS,
    FieldType,
    FieldValue,
    FormField,
    IncomingReferral,
    Referral,
    ReferralSummary,
    Section,
)
from infohus_desktop.reports.base import (
    CONTENT_WIDTH,
    RULE,
    DocumentRenderer,
    PrintStamp,
    checkbox,
    data_table,
    label_value_table,
    para,
)

EMPTY = "—"
LABEL_WIDTH = 66 * mm
KEEP_WITH_NEXT = 35 * mm


def _date_text(value: str) -> str:
    try:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    except ValueError:
        return value


class _Rule(Flowable):
    """A rule as wide as the base's tables (which use the whole content width, past the
    frame's padding), so free-text fields end on the same line as the tabled ones."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return CONTENT_WIDTH, 4

    def draw(self) -> None:
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.4)
        self.canv.line(0, 1, CONTENT_WIDTH, 1)


class ReferralFormRenderer(DocumentRenderer):
    def __init__(
        self,
        referral: Referral,
        stamp: PrintStamp,
        infohus_name: str,
        subtitle: str | None = None,
        intro: str | None = None,
    ) -> None:
        """``subtitle`` and ``intro`` replace the lines under the title (an incoming
        referral names its sender there instead of a case of this vault)."""
        lang = stamp.language
        title = stamp.t("Henvisning til exitprogram", "Referral to an exit programme")
        s = referral.summary
        status = REFERRAL_STATUS_LABELS[s.status][1 if lang == "en" else 0]
        programme = PROGRAMME_LABELS[s.programme][1 if lang == "en" else 0]
        subtitle = subtitle or stamp.t(
            f"{programme} · Sag {s.case_number} · Status: {status} · "
            f"Henvisningsdato {s.referral_date:%d.%m.%Y}",
            f"{programme} · Case {s.case_number} · Status: {status} · "
            f"Referral date {s.referral_date:%d.%m.%Y}",
        )
        super().__init__(
            title=title, stamp=stamp, header_left=f"Infohus {infohus_name}", subtitle=subtitle
        )
        self.referral = referral
        self.lang = lang
        self.intro = intro

    # -- values -----------------------------------------------------------------------------

    def _label(self, f: FormField) -> str:
        return f.label(self.lang)

    def _options(self, options: list[tuple[str, str]], chosen: str) -> str:
        """Every option with its box, the chosen one crossed: a blank answer stays visible."""
        nbsp = "\u00a0"  # an option wraps as a whole, never between its box and its label
        return "   ".join(
            f"{checkbox(code == chosen)}{nbsp}{label.replace(' ', nbsp)}" for code, label in options
        )

    def _value(self, f: FormField, value: FieldValue | None) -> Flowable:
        s = self.styles
        if f.type is FieldType.YES_NO_UNKNOWN:
            options = [
                (code, pair[1 if self.lang == "en" else 0]) for code, pair in YES_NO_LABELS.items()
            ]
            return para(self._options(options, str(value or "")), s.cell)
        if f.type is FieldType.CHOICE:
            options = [(c.code, c.label_en if self.lang == "en" else c.label_da) for c in f.choices]
            text = self._options(options, str(value or ""))
            if value and value not in {c.code for c in f.choices}:
                text += f"   {checkbox(True)} {value}"  # a code since removed from the form
            return para(text, s.cell)
        if f.key == "attachments" and isinstance(value, list):
            return para(self._attachments(value), s.cell)
        if isinstance(value, list):
            return para("\n".join(f"• {item}" for item in value) if value else EMPTY, s.cell)
        if not value:
            return para(EMPTY, s.cell)
        if f.type is FieldType.DATE:
            return para(_date_text(value), s.cell)
        if f.key == "person_cpr" and len(value) == 10 and value.isdigit():
            return para(f"{value[:6]}-{value[6:]}", s.cell)
        return para(value, s.cell)

    def _attachments(self, ids: list[str]) -> str:
        if not ids:
            return EMPTY
        known = {str(a.id): a for a in self.referral.attachments}
        lines = []
        for n, attachment_id in enumerate(ids, start=1):
            a = known.get(attachment_id)
            if a is None:
                lines.append(
                    self.t(f"Bilag {n}: (fjernet fra sagen)", f"Attachment {n}: (removed)")
                )
            else:
                size = f"{a.size / 1024:.0f} KB" if a.size >= 1024 else f"{a.size} B"
                lines.append(
                    self.t(
                        f"Bilag {n}: {a.filename} ({size})",
                        f"Attachment {n}: {a.filename} ({size})",
                    )
                )
        return "\n".join(lines)

    # -- the story --------------------------------------------------------------------------

    def _minor_notice(self) -> list[Flowable]:
        born = self.referral.values.get("person_birth_date")
        if not isinstance(born, str) or not born:
            return []
        try:
            age = age_on(date.fromisoformat(born), self.referral.summary.referral_date)
        except ValueError:
            return []
        if age >= 18:
            return []
        return [
            para(
                self.t(
                    f"Personen er {age} år på henvisningsdatoen: forældremyndighedens "
                    "kendskab og samtykke fremgår nedenfor.",
                    f"The person is {age} on the referral date: the guardians' knowledge "
                    "and consent are shown below.",
                ),
                self.styles.warning,
            )
        ]

    def _sections(self) -> list[Flowable]:
        s = self.styles
        out: list[Flowable] = []
        values = self.referral.values
        shown: set[str] = set()
        for section, fields in self.referral.form.by_section():
            shown.update(f.key for f in fields)
            # A heading (and a long field's label) never ends a page alone.
            out.append(CondPageBreak(KEEP_WITH_NEXT))
            out.append(para(SECTION_LABELS[section][1 if self.lang == "en" else 0], s.h2))
            rows: list[tuple[str, Flowable]] = []
            for f in fields:
                if f.type is not FieldType.LONG_TEXT:
                    rows.append((self._label(f), self._value(f, values.get(f.key))))
                    continue
                # Free text gets the full width under its label: a form reads that way, and
                # a long text splits across pages as paragraphs, not as a table row.
                if rows:
                    out.append(label_value_table(rows, s, LABEL_WIDTH))
                    rows = []
                out += [
                    CondPageBreak(KEEP_WITH_NEXT),
                    para(self._label(f), s.cell_bold),
                    para(str(values.get(f.key) or EMPTY), s.body),
                    _Rule(),
                ]
            if rows:
                out.append(label_value_table(rows, s, LABEL_WIDTH))
            if section is Section.PERSON:
                out += self._minor_notice()
        leftover = [(k, v) for k, v in values.items() if k not in shown]
        if leftover:
            # Values of fields a coordinator has since removed from the form: kept, and shown.
            out.append(
                para(
                    self.t(
                        "Felter uden for den nuværende formular", "Fields no longer on the form"
                    ),
                    s.h2,
                )
            )
            out.append(
                label_value_table(
                    [
                        (k, para("\n".join(v) if isinstance(v, list) else v, s.cell))
                        for k, v in leftover
                    ],
                    s,
                )
            )
        return out

    def _history(self) -> list[Flowable]:
        s = self.styles
        rows = []
        for e in self.referral.history:
            status = REFERRAL_STATUS_LABELS[e.new][1 if self.lang == "en" else 0]
            how = SEND_METHOD_LABELS[e.how][1 if self.lang == "en" else 0] if e.how else ""
            rows.append([e.on.strftime("%d.%m.%Y"), status, how, e.by_login, e.reason])
        header = [
            self.t("Dato", "Date"),
            "Status",
            self.t("Hvordan", "How"),
            self.t("Af", "By"),
            self.t("Begrundelse / resultat", "Reason / outcome"),
        ]
        widths = [25 * mm, 28 * mm, 30 * mm, 22 * mm]
        widths.append(170 * mm - sum(widths))
        return [para(self.t("Forløb", "History"), s.h2), data_table(header, rows, s, widths)]

    def _filing_box(self) -> list[Flowable]:
        s = self.styles
        blank = "\u00a0"
        rows = [
            (self.t("Modtaget dato", "Date received"), blank),
            (self.t("Modtagerens journalnummer", "Recipient's file number"), blank),
            (self.t("Sagsbehandler hos modtager", "Caseworker at the recipient"), blank),
        ]
        return [
            KeepTogether(
                [
                    para(self.t("Modtagerens notater", "For the recipient"), s.h2),
                    label_value_table(rows, s, label_width=60 * mm),
                ]
            )
        ]

    def story(self) -> list[Flowable]:
        r = self.referral
        s = self.styles
        intro = para(
            self.intro
            or self.t(
                f"Udarbejdet af {r.created_by_login}. Oplysningerne er fortrolige og "
                "videregives alene til brug for exitindsatsen.",
                f"Prepared by {r.created_by_login}. The information is confidential and "
                "disclosed only for the exit work.",
            ),
            s.muted,
        )
        history = self._history() if r.history else []
        return [intro, *self._sections(), Spacer(1, 4 * mm), *history, *self._filing_box()]


def render_referral(
    referral: Referral, member: Member, language: str, infohus_name: str = ""
) -> bytes:
    stamp = PrintStamp(f"{member.name} ({member.login})", datetime.now(UTC), language)
    return ReferralFormRenderer(referral, stamp, infohus_name).render()


def incoming_as_referral(incoming: IncomingReferral) -> Referral:
    """An incoming referral in the shape the form renderer reads: the sender's values and
    field labels, its attachments as stored here."""
    attachments = tuple(
        AttachmentInfo(a.id, a.filename, a.media_type, a.size, incoming.received_at, "")
        for a in incoming.attachments
    )
    values = dict(incoming.values)
    values["attachments"] = [str(a.id) for a in attachments]
    summary = ReferralSummary(
        id=incoming.id,
        case_id=incoming.id,
        case_number="",
        status=ReferralStatus.RECEIVED,
        programme=incoming.programme,
        referral_date=incoming.received_at.date(),
        sent_on=None,
        updated_at=incoming.received_at,
        version=1,
    )
    return Referral(summary, values, (), incoming.form, incoming.received_by_login, attachments)


def render_incoming(
    incoming: IncomingReferral, member: Member, language: str, infohus_name: str = ""
) -> bytes:
    stamp = PrintStamp(f"{member.name} ({member.login})", datetime.now(UTC), language)
    referral = incoming_as_referral(incoming)
    programme = PROGRAMME_LABELS[incoming.programme][1 if language == "en" else 0]
    day = f"{incoming.received_at:%d.%m.%Y}"
    subtitle = stamp.t(
        f"{programme} · Modtaget {day} fra {incoming.sender}",
        f"{programme} · Received {day} from {incoming.sender}",
    )
    intro = stamp.t(
        f"Modtaget i en krypteret og signeret pakke (pakke-id {incoming.bundle_id}) og "
        f"importeret af {incoming.received_by_login}.",
        f"Received in an encrypted, signed bundle (bundle id {incoming.bundle_id}), "
        f"imported by {incoming.received_by_login}.",
    )
    return ReferralFormRenderer(referral, stamp, infohus_name, subtitle, intro).render()
