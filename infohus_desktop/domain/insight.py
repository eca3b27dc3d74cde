"""The citizen's insight report (*indsigt*, DOMAIN.md "Audit, insight, retention"): everything
about one person that still exists here, and the log of who looked at or changed it.

Since 2024 a citizen may learn the dates and purposes of look-ups of their data, usually
without staff names; so a log line carries the organisation and the kind of action, and a
member's name only when the report is made with staff names on purpose. The report is built
as data first (:class:`InsightReport`) so it can be checked without reading a PDF, and the PDF
renders exactly this value.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from infohus_desktop.domain.assessment import Assessment
from infohus_desktop.domain.cases import Case
from infohus_desktop.domain.referrals import ReferralSummary


class InsightAction(enum.StrEnum):
    """Audit action of the insight feature (one entry per report; the reads of each case
    are ``case.read`` entries with the purpose *indsigt*)."""

    REPORT = "insight.report"
    PRINT = "insight.print"
    SAVE = "insight.save"


class SearchBy(enum.StrEnum):
    CPR = "cpr"
    CASE = "case"


Pair = tuple[str, str]

#: The kind of action of a log line, in words a citizen understands (Danish, English). An
#: action not named here is shown as its code: a new action is never hidden from the report.
ACTION_LABELS: dict[str, Pair] = {
    "case.create": ("Oprettelse af sagen", "Case opened"),
    "case.read": ("Opslag", "Look-up"),
    "case.read.assessments": ("Opslag i vurderinger", "Look-up of assessments"),
    "case.edit": ("Ændring af oplysninger", "Details changed"),
    "case.status": ("Statusændring", "Status change"),
    "case.screen": ("Screening", "Screening"),
    "case.information": ("Indhentning af oplysninger", "Information gathered"),
    "case.assess": ("Vurdering", "Assessment"),
    "case.measure.add": ("Indsats oprettet", "Measure added"),
    "case.measure.update": ("Indsats ændret", "Measure changed"),
    "case.journal": ("Journalnotat", "Journal entry"),
    "case.disclose": ("Videregivelse", "Disclosure"),
    "case.attachment.add": ("Bilag tilføjet", "Attachment added"),
    "case.attachment.read": ("Bilag åbnet", "Attachment opened"),
    "case.attachment.remove": ("Bilag fjernet", "Attachment removed"),
    "case.list": ("Opslag i sagslisten", "Case list read"),
    "case.search": ("Søgning i sager", "Cases searched"),
    "case.duplicate_check": ("Kontrol for kendt person", "Check for a known person"),
    "case.settings.categories": ("Kategorier ændret", "Categories changed"),
    "case.settings.indicators": ("Indikatorer ændret", "Indicators changed"),
    "case.move": ("Flyttet til en anden adgangskreds", "Moved to another access group"),
    "case.transfer": ("Overdraget til et andet Infohus", "Handed over to another Infohus"),
    "case.import": ("Modtaget fra et andet Infohus", "Received from another Infohus"),
    "case.tampered": (
        "Ændring uden om programmet opdaget",
        "Change outside the program detected",
    ),
    "case.hold": ("Sletteblokering", "Deletion hold"),
    "case.hold.release": ("Sletteblokering ophævet", "Deletion hold released"),
    "case.delete": ("Sletning", "Deletion"),
    "meeting.case_item.read": ("Opslag til møde", "Look-up for a meeting"),
    "meeting.item.add": ("Sat på dagsorden", "Put on an agenda"),
    "meeting.item.edit": ("Dagsordenspunkt ændret", "Agenda item changed"),
    "meeting.item.remove": ("Fjernet fra dagsorden", "Removed from an agenda"),
    "meeting.item.notes": ("Mødenotat", "Meeting notes"),
    "referral.create": ("Henvisning oprettet", "Referral created"),
    "referral.edit": ("Henvisning ændret", "Referral changed"),
    "referral.status": ("Henvisningens status ændret", "Referral status changed"),
    "referral.read": ("Opslag i henvisning", "Look-up of a referral"),
    "referral.case_list": ("Opslag i henvisninger", "Look-up of referrals"),
    "referral.pdf": ("Henvisning dannet som PDF", "Referral made as PDF"),
    "referral.print": ("Henvisning udskrevet", "Referral printed"),
    "referral.save": ("Henvisning gemt som fil", "Referral saved as a file"),
    "bundle.export": ("Henvisning sendt krypteret", "Referral sent encrypted"),
    # What the DPO sees most in Tilsyn besides the cases: sessions and supervision itself.
    "login": ("Låst op", "Unlocked"),
    "login.failed": ("Mislykket oplåsning", "Failed unlock"),
    "lock": ("Låst", "Locked"),
    "audit.list": ("Opslag i revisionsloggen", "Audit log read"),
    "audit.verify": ("Revisionsloggen verificeret", "Audit log verified"),
    "audit.export": ("Revisionslog eksporteret", "Audit log exported"),
    "audit.sample": ("Stikprøve udtrukket", "Spot check drawn"),
    "audit.spot_check": ("Stikprøve noteret", "Spot check noted"),
    "audit.prune": ("Revisionslog beskåret", "Audit log pruned"),
    "vault.upgrade": ("Boksen opgraderet", "Vault upgraded"),
    "vault.settings": ("Standard for arbejdsstationer ændret", "Workstation default changed"),
    "backup.create": ("Sikkerhedskopi lavet", "Backup made"),
    "backup.restore": ("Boksen genskabt fra sikkerhedskopi", "Vault restored from a backup"),
    "backup.drill": ("Genskabelsesøvelse gennemført", "Restore drill done"),
    "backup.settings": ("Påmindelse om sikkerhedskopi ændret", "Backup reminder changed"),
    # Administration (the coordinators' area).
    "passphrase.change": ("Adgangsfrase skiftet", "Passphrase changed"),
    "member.add": ("Medlem oprettet", "Member added"),
    "member.remove": ("Medlem fjernet", "Member removed"),
    "member.role": ("Medlemmets rolle ændret", "Member's role changed"),
    "member.reset": ("Adgangsfrase nulstillet", "Passphrase reset"),
    "member.list": ("Opslag i medlemslisten", "Member list read"),
    "member.welcome_letter": ("Velkomstbrev dannet", "Welcome letter made"),
    "group.add": ("Adgangskreds oprettet", "Access group created"),
    "group.rename": ("Adgangskreds omdøbt", "Access group renamed"),
    "group.list": ("Opslag i adgangskredse", "Access groups read"),
    "group.member.add": ("Medlem føjet til adgangskreds", "Member added to an access group"),
    "group.member.remove": ("Medlem fjernet fra adgangskreds", "Member removed from a group"),
    "group.epoch": ("Ny nøgle til adgangskreds", "New access group key"),
    "municipality.add": ("Infohus Kommune oprettet", "Infohus Kommune added"),
    "municipality.change": ("Infohus Kommune ændret", "Infohus Kommune changed"),
    "insight.report": ("Indsigtsrapport dannet", "Insight report made"),
    "statistics.compute": ("Statistik beregnet", "Statistics computed"),
    "retention.rules": ("Sletteregler ændret", "Retention rules changed"),
    "retention.due": ("Opslag i sager til sletning", "Cases due for deletion read"),
    "retention.tombstones": ("Opslag i slettede sager", "Deleted cases read"),
    # Meetings.
    "meeting.create": ("Møde oprettet", "Meeting created"),
    "meeting.edit": ("Møde ændret", "Meeting changed"),
    "meeting.read": ("Opslag i møde", "Look-up of a meeting"),
    "meeting.list": ("Opslag i møder", "Meetings read"),
    "meeting.item.reorder": ("Dagsorden omordnet", "Agenda reordered"),
    "meeting.participant.add": ("Deltager tilføjet", "Participant added"),
    "meeting.participant.remove": ("Deltager fjernet", "Participant removed"),
    "meeting.attendance": ("Fremmøde noteret", "Attendance noted"),
    "meeting.hold": ("Møde afholdt", "Meeting held"),
    "meeting.decision.add": ("Anbefaling tilføjet", "Recommendation added"),
    "meeting.decision.edit": ("Anbefaling ændret", "Recommendation changed"),
    "meeting.decision.remove": ("Anbefaling fjernet", "Recommendation removed"),
    "meeting.action.add": ("Opgave oprettet", "Action item added"),
    "meeting.action.edit": ("Opgave ændret", "Action item changed"),
    "meeting.action.close": ("Opgave lukket", "Action item closed"),
    "meeting.action.remove": ("Opgave fjernet", "Action item removed"),
    "meeting.action.list": ("Opslag i opgaver", "Action items read"),
    "meeting.approve": ("Referat godkendt", "Minutes approved"),
    "meeting.addendum": ("Tilføjelse til godkendt referat", "Addendum to approved minutes"),
    "meeting.agenda.pdf": ("Dagsorden dannet som PDF", "Agenda made as PDF"),
    "meeting.minutes.pdf": ("Referat dannet som PDF", "Minutes made as PDF"),
    "meeting.minutes.pdf.names": (
        "Referat med navne dannet som PDF",
        "Minutes with names made as PDF",
    ),
    "meeting.print": ("Mødedokument udskrevet", "Meeting document printed"),
    "meeting.save": ("Mødedokument gemt som fil", "Meeting document saved as a file"),
    "meeting.send": ("Mødedokument sendt", "Meeting document sent"),
    "meeting.ics": ("Mødeindkaldelse gemt til kalender", "Meeting saved for a calendar"),
    "meeting.tampered": (
        "Ændring uden om programmet opdaget i et møde",
        "Change outside the program detected in a meeting",
    ),
    # Trend notes.
    "trend.create": ("Tendensnotat oprettet", "Trend note created"),
    "trend.edit": ("Tendensnotat ændret", "Trend note changed"),
    "trend.read": ("Opslag i tendensnotat", "Look-up of a trend note"),
    "trend.list": ("Opslag i tendensnotater", "Trend notes read"),
    "trend.search": ("Søgning i tendensnotater", "Trend notes searched"),
    "trend.access": ("Tendensnotatets adgang ændret", "Trend note's access changed"),
    "trend.link": ("Tendensnotat knyttet til sag", "Trend note linked to a case"),
    "trend.unlink": ("Tendensnotat løsnet fra sag", "Trend note unlinked from a case"),
    "trend.name_check": (
        "Tendensnotat kontrolleret for navne",
        "Trend note checked for names",
    ),
    "trend.personal_data_confirmed": (
        "Persondata i tendensnotat bekræftet",
        "Personal data in a trend note confirmed",
    ),
    "trend.tampered": (
        "Ændring uden om programmet opdaget i et tendensnotat",
        "Change outside the program detected in a trend note",
    ),
    # Referrals and bundles.
    "referral.list": ("Opslag i henvisninger", "Referrals read"),
    "referral.form.change": ("Henvisningsskemaet ændret", "Referral form changed"),
    "referral.incoming.list": ("Opslag i modtagne henvisninger", "Received referrals read"),
    "referral.incoming.read": (
        "Opslag i modtaget henvisning",
        "Look-up of a received referral",
    ),
    "referral.incoming.store": ("Modtaget henvisning gemt", "Received referral stored"),
    "referral.incoming.pdf": (
        "Modtaget henvisning dannet som PDF",
        "Received referral made as PDF",
    ),
    "referral.incoming.print": ("Modtaget henvisning udskrevet", "Received referral printed"),
    "referral.incoming.save": (
        "Modtaget henvisning gemt som fil",
        "Received referral saved as a file",
    ),
    "referral.tampered": (
        "Ændring uden om programmet opdaget i en henvisning",
        "Change outside the program detected in a referral",
    ),
    "bundle.import": ("Krypteret henvisning modtaget", "Encrypted referral received"),
    "bundle.import.rejected": (
        "Krypteret henvisning afvist",
        "Encrypted referral refused",
    ),
    "bundle.inspect": ("Krypteret henvisning undersøgt", "Encrypted referral inspected"),
    "bundle.identity.create": (
        "Nøgle til krypterede henvisninger oprettet",
        "Key for encrypted referrals created",
    ),
    "bundle.key.export": (
        "Nøgle til krypterede henvisninger eksporteret",
        "Key for encrypted referrals exported",
    ),
    "bundle.recipient.add": ("Modtager af henvisninger tilføjet", "Referral recipient added"),
    "bundle.recipient.list": ("Opslag i modtagere af henvisninger", "Referral recipients read"),
    # Statistics, insight and the vault itself.
    "statistics.refresh": ("Statistik opdateret", "Statistics refreshed"),
    "statistics.pdf": ("Statistik dannet som PDF", "Statistics made as PDF"),
    "statistics.csv": ("Statistik gemt som CSV", "Statistics saved as CSV"),
    "statistics.print": ("Statistik udskrevet", "Statistics printed"),
    "statistics.save": ("Statistik gemt som fil", "Statistics saved as a file"),
    "insight.print": ("Indsigtsrapport udskrevet", "Insight report printed"),
    "insight.save": ("Indsigtsrapport gemt som fil", "Insight report saved as a file"),
    "datakey.create": ("Datanøgle oprettet", "Data key created"),
    "vault.create": ("Boksen oprettet", "Vault created"),
    "vault.restore_accepted": (
        "Genskabt boks godkendt på arbejdsstationen",
        "Restored vault accepted on the workstation",
    ),
}

#: The purposes (*formål*) in words; the stored code is shown for any other.
PURPOSE_LABELS: dict[str, Pair] = {
    "sagsbehandling": ("Sagsbehandling", "Casework"),
    "mødeforberedelse": ("Mødeforberedelse", "Meeting preparation"),
    "indsigt": ("Indsigt", "Insight"),
    "tilsyn": ("Tilsyn", "Supervision"),
    "sletning": ("Sletning", "Deletion"),
    "administration": ("Administration", "Administration"),
}


def action_label(action: str, language: str = "da") -> str:
    """The kind of action in words, or the action's own code when it has no label."""
    pair = ACTION_LABELS.get(action)
    if pair is None:
        return action
    return pair[1] if language == "en" else pair[0]


def actions_named(words: str) -> frozenset[str] | None:
    """The actions whose label, in Danish or English, holds ``words`` ("opslag": every
    kind of reading); None when ``words`` look like a code (a dot, or a code's start), which
    the filter takes as it is."""
    wanted = words.strip().casefold()
    if not wanted or "." in wanted or any(code.startswith(wanted) for code in ACTION_LABELS):
        return None
    return frozenset(
        code
        for code, pair in ACTION_LABELS.items()
        if any(wanted in label.casefold() for label in pair)
    )


def purpose_label(purpose: str, language: str = "da") -> str:
    pair = PURPOSE_LABELS.get(purpose)
    if pair is None:
        return purpose
    return pair[1] if language == "en" else pair[0]


@dataclass(frozen=True, slots=True)
class InsightCase:
    """One case about the person, whole: the case with its parts, its assessments and its
    referrals (their status; the form's values repeat the case's own)."""

    case: Case
    assessments: tuple[Assessment, ...] = ()
    referrals: tuple[ReferralSummary, ...] = ()
    #: The category in words (Danish, English): the vault configures its own categories.
    category: Pair = ("", "")


@dataclass(frozen=True, slots=True)
class DeletedCase:
    """What a tombstone says of a deleted case: its number and dates, never content."""

    number: str
    municipality: str
    received: date
    closed_on: date | None
    deleted_on: date


@dataclass(frozen=True, slots=True)
class InsightLogLine:
    """One audit entry about one of the cases, as the citizen is told it."""

    at: datetime  # aware (UTC); shown in Danish local time
    case_number: str
    action: str  # the audit action's code; :func:`action_label` says it in words
    purpose: str  # the purpose's code; :func:`purpose_label`
    organisation: str
    #: The member's name (and login), only in a report made with staff names.
    staff: str | None = None


@dataclass(frozen=True, slots=True)
class InsightReport:
    """Everything the insight PDF shows, in the order it shows it."""

    searched_by: SearchBy
    #: The case number searched for (``SearchBy.CASE``); the CPR number is the person's own
    #: and is shown from the cases, never repeated from the search.
    searched_case: str | None
    person_name: str | None
    person_cpr: str | None
    cases: tuple[InsightCase, ...]
    deleted: tuple[DeletedCase, ...]
    log: tuple[InsightLogLine, ...]
    with_staff_names: bool
    #: The coordinator does not hold every access group's key: cases in the others are not
    #: searched, and the report says so.
    limited_to_groups: bool
    #: The CPR blind index names a case in a group the coordinator cannot read.
    possibly_elsewhere: bool
    produced_at: datetime
    produced_by: str  # "Name (login)"
    infohus_name: str

    @property
    def empty(self) -> bool:
        """No case about the person exists here (deleted ones may still be listed)."""
        return not self.cases
