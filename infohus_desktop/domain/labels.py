"""Danish/English labels for the domain's code lists: one table per list, used by the window,
the CLI, the PDFs and the statistics alike (so a source or a measure is called the same
everywhere). Labels are (da, en) pairs; the UI picks one with ``ui.labels.label``, the CLI with
its ``t``. The status and closing labels live beside the workflow (``domain/workflow.py``)."""

from __future__ import annotations

from infohus_desktop.domain.assessment import ConcernLevel, IndicatorState, Part
from infohus_desktop.domain.cases import (
    JournalKind,
    LegalBasis,
    MeasureStatus,
    MeasureType,
    RetentionClass,
    ScreeningOutcome,
    Source,
)
from infohus_desktop.domain.cpr import Sex
from infohus_desktop.domain.meetings import (
    ActionStatus,
    Attendance,
    DecisionKind,
    ItemKind,
    MeetingKind,
    MeetingStatus,
)
from infohus_desktop.domain.members import GroupKind
from infohus_desktop.domain.organisations import OrgKind, Role

Pair = tuple[str, str]


# -- concern cases --------------------------------------------------------------------------

SOURCE_LABELS: dict[Source, Pair] = {
    Source.SCHOOL: ("Skole", "School"),
    Source.SOCIAL_SERVICES: ("Socialforvaltning (underretning)", "Social services (notification)"),
    Source.JOB_CENTRE: ("Jobcenter", "Job centre"),
    Source.POLICE: ("Politi", "Police"),
    Source.FAMILY: ("Familie", "Family"),
    Source.HOTLINE: ("Den nationale hotline", "The national hotline"),
    Source.PSYCHIATRY: ("Psykiatri", "Psychiatry"),
    Source.KRIMINALFORSORGEN: ("Kriminalforsorgen", "Prison and Probation Service"),
    Source.OTHER: ("Andet", "Other"),
}

SCREENING_LABELS: dict[ScreeningOutcome, Pair] = {
    ScreeningOutcome.NO_FURTHER_ACTION: ("Ingen videre handling", "No further action"),
    ScreeningOutcome.MORE_INFORMATION: ("Mere information", "More information"),
    ScreeningOutcome.INFOHUS: ("Behandles i Infohus", "Taken up by the Infohus"),
    ScreeningOutcome.POLICE_ONLY: ("Håndteres af politiet", "Handled by the police"),
    ScreeningOutcome.OTHER_AUTHORITY: ("Anden myndighed", "Another authority"),
}

LEGAL_BASIS_LABELS: dict[LegalBasis, Pair] = {
    LegalBasis.RPL_115_1_1: (
        "Retsplejelovens § 115, stk. 1, nr. 1",
        "Administration of Justice Act s. 115(1)(1)",
    ),
    LegalBasis.RPL_115_1_2: (
        "Retsplejelovens § 115, stk. 1, nr. 2",
        "Administration of Justice Act s. 115(1)(2)",
    ),
    LegalBasis.RPL_115_1_3: (
        "Retsplejelovens § 115, stk. 1, nr. 3",
        "Administration of Justice Act s. 115(1)(3)",
    ),
    LegalBasis.CONSENT: ("Samtykke", "Consent"),
    LegalBasis.SERVICELOVEN: ("Serviceloven", "Social Services Act"),
    LegalBasis.BARNETS_LOV: ("Barnets lov", "Children's Act"),
    LegalBasis.OTHER: ("Andet", "Other"),
}

JOURNAL_KIND_LABELS: dict[JournalKind, Pair] = {
    JournalKind.NOTE: ("Notat", "Note"),
    JournalKind.CONVERSATION: ("Samtale", "Conversation"),
    JournalKind.PHONE: ("Telefonsamtale", "Phone call"),
    JournalKind.MEETING: ("Møde", "Meeting"),
    JournalKind.DECISION: ("Beslutning", "Decision"),
}

MEASURE_TYPE_LABELS: dict[MeasureType, Pair] = {
    MeasureType.CONCERN_CONVERSATION: ("Bekymringssamtale", "Concern conversation"),
    MeasureType.STREET_WORK: ("Opsøgende relationsarbejde", "Street-level relational work"),
    MeasureType.MENTOR: ("Mentor", "Mentor"),
    MeasureType.PARENT_COACH: ("Forældrecoach", "Parent coach"),
    MeasureType.PSYCHOLOGICAL_HELP: ("Psykologhjælp", "Psychological help"),
    MeasureType.EDUCATION_JOB: ("Uddannelses- eller jobindsats", "Education or job measure"),
    MeasureType.EXIT_PROGRAMME: ("Exitprogram", "Exit programme"),
    MeasureType.POLICE_INVESTIGATION: ("Politiets efterforskning", "Police investigation"),
    MeasureType.OTHER: ("Andet", "Other"),
}

MEASURE_STATUS_LABELS: dict[MeasureStatus, Pair] = {
    MeasureStatus.PLANNED: ("Planlagt", "Planned"),
    MeasureStatus.RUNNING: ("Igangværende", "Running"),
    MeasureStatus.COMPLETED: ("Afsluttet", "Completed"),
    MeasureStatus.STOPPED: ("Afbrudt", "Stopped"),
}

RETENTION_LABELS: dict[RetentionClass, Pair] = {
    RetentionClass.STANDARD: ("Standard", "Standard"),
    RetentionClass.EXTENDED: ("Forlænget", "Extended"),
    RetentionClass.MINIMAL: ("Minimal", "Minimal"),
}

SEX_LABELS: dict[Sex, Pair] = {
    Sex.FEMALE: ("Kvinde", "Female"),
    Sex.MALE: ("Mand", "Male"),
    Sex.UNKNOWN: ("Ukendt", "Unknown"),
}

# -- assessment -----------------------------------------------------------------------------

PART_LABELS: dict[Part, Pair] = {
    Part.RISK: ("Risiko og trussel", "Risk and threat"),
    Part.WELLBEING: ("Trivsel og modstandskraft", "Wellbeing and resilience"),
}

#: The indicator groups of the default list; a configured group without a label is shown as
#: written.
INDICATOR_GROUP_LABELS: dict[str, Pair] = {
    "adfærd": ("Adfærd", "Behaviour"),
    "relationer": ("Relationer", "Relations"),
    "holdninger": ("Holdninger", "Attitudes"),
    "personlige forhold": ("Personlige forhold", "Personal circumstances"),
    "beskyttende faktorer": ("Beskyttende faktorer", "Protective factors"),
}

INDICATOR_STATE_LABELS: dict[IndicatorState, Pair] = {
    IndicatorState.PRESENT: ("Til stede", "Present"),
    IndicatorState.ABSENT: ("Ikke til stede", "Absent"),
    IndicatorState.UNKNOWN: ("Ukendt", "Unknown"),
}

LEVEL_LABELS: dict[ConcernLevel, Pair] = {
    ConcernLevel.LOW: ("Lav", "Low"),
    ConcernLevel.MEDIUM: ("Middel", "Medium"),
    ConcernLevel.HIGH: ("Høj", "High"),
}

#: The intake interview questions (DOMAIN.md, "Intake"). The Danish text is what is stored
#: with the answer, so a case reads the same whoever opens it; it is shown in English when the
#: stored question is one of these.
INTAKE_QUESTIONS: tuple[Pair, ...] = (
    ("Hvad er sket?", "What happened?"),
    ("Hvornår?", "When?"),
    ("Hvor ofte?", "How often?"),
    ("Hvem ved det ellers?", "Who else knows?"),
    ("Nylig personlig krise?", "Recent personal crisis?"),
)


#: What an access group is for, as the administration shows it (window and CLI).
GROUP_KIND_LABELS: dict[GroupKind, Pair] = {
    GroupKind.DIRECTORY: ("System: navne", "System: names"),
    GroupKind.NETWORK: ("System: netværket", "System: the network"),
    GroupKind.CASEWORK: ("System: sagsbehandlere", "System: caseworkers"),
    GroupKind.AUDIT: ("System: revision", "System: audit"),
    GroupKind.LOCAL: ("Infohus Kommune", "Infohus Kommune"),
    GroupKind.CUSTOM: ("Oprettet af koordinator", "Made by a coordinator"),
}

#: The names a vault gives its system groups when it is made (services/accounts/creation.py,
#: casework.py), stored in Danish, with the English the window shows for them.
SYSTEM_GROUP_NAMES: dict[GroupKind, Pair] = {
    GroupKind.DIRECTORY: ("Alle brugere", "All users"),
    GroupKind.NETWORK: ("Hele Infohuset", "The whole Infohus"),
    GroupKind.CASEWORK: ("Sagsbehandlere", "Caseworkers"),
    GroupKind.AUDIT: ("Revision", "Audit"),
}


#: How an Infohus Kommune's group is named after its municipality (services/accounts/groups.py).
LOCAL_GROUP_SUFFIX = (" og politiet", " and the police")


def group_name(kind: GroupKind, name: str, language: str) -> str:
    """A group's name as shown: a system group still called what the vault named it, and an
    Infohus Kommune's group as the vault names it ("Aarhus Kommune og politiet"), in the
    reader's language; any other name (a coordinator's) as written."""
    given = SYSTEM_GROUP_NAMES.get(kind)
    if given is not None and name == given[0]:
        return given[1] if language == "en" else given[0]
    danish, english = LOCAL_GROUP_SUFFIX
    if kind is GroupKind.LOCAL and language == "en" and name.endswith(danish):
        return name.removesuffix(danish) + english
    return name


#: Roles as the status bar and the demo list show them.
ROLE_LABELS: dict[Role, Pair] = {
    Role.COORDINATOR: ("Koordinator", "Coordinator"),
    Role.MEMBER: ("Medlem", "Member"),
    Role.GUEST: ("Gæst", "Guest"),
    Role.DPO: ("Databeskyttelsesrådgiver", "Data protection officer"),
}


#: Kinds of organisation, for the administration's forms.
ORG_KIND_LABELS: dict[OrgKind, Pair] = {
    OrgKind.POLICE: ("Politikreds", "Police district"),
    OrgKind.MUNICIPALITY: ("Kommune", "Municipality"),
    OrgKind.KRIMINALFORSORGEN: ("Kriminalforsorgen", "Prison and Probation Service"),
    OrgKind.PSYCHIATRY: ("Psykiatri", "Psychiatry"),
    OrgKind.IMMIGRATION: ("Udlændingemyndighed", "Immigration authority"),
    OrgKind.PET: ("PET", "PET"),
    OrgKind.OTHER: ("Anden", "Other"),
}


#: A case's fields as an edit names them (``CaseEdit``), and the parts of the person and the
#: intake a merge compares one by one: in a conflict's message and the merge dialog.
CASE_FIELD_LABELS: dict[str, tuple[str, str]] = {
    "title": ("Overskrift", "Heading"),
    "category": ("Bekymringstype", "Category"),
    "follow_up": ("Opfølgningsdato", "Follow-up date"),
    "lead_organisation_id": ("Sagsansvarlig organisation", "Lead organisation"),
    "lead_member_id": ("Sagsansvarlig", "Lead"),
    "participating_organisations": ("Deltagende organisationer", "Participating organisations"),
    "retention": ("Opbevaring", "Retention"),
    "status": ("Status", "Status"),
    "measure": ("Indsatsen", "The measure"),
    "person": ("Personen", "The person"),
    "intake": ("Modtagelsen", "The intake"),
    "person.name": ("Navn", "Name"),
    "person.cpr": ("CPR-nummer", "CPR number"),
    "person.birth_date": ("Fødselsdato", "Date of birth"),
    "person.sex": ("Køn", "Sex"),
    "person.address": ("Adresse", "Address"),
    "person.municipality": ("Bopælskommune", "Municipality"),
    "person.phone": ("Telefon", "Phone"),
    "person.email": ("E-mail", "E-mail"),
    "person.school_or_work": ("Skole/arbejde", "School/work"),
    "person.guardians": ("Forældremyndighedsindehavere", "Guardians"),
    "intake.source": ("Kilde", "Source"),
    "intake.received": ("Modtaget", "Received"),
    "intake.reporter_organisation": ("Anmelders organisation", "Reporter's organisation"),
    "intake.reporter_contact": ("Kontaktperson", "Contact person"),
    "intake.anonymous": ("Anonym anmelder", "Anonymous reporter"),
    "intake.observed": ("Hvad er observeret", "What was observed"),
    "intake.answers": ("Spørgsmål ved modtagelsen", "Intake questions"),
}


# -- meetings ----------------------------------------------------------------------------------

MEETING_KIND_LABELS: dict[MeetingKind, Pair] = {
    MeetingKind.NETWORK: ("Netværksmøde", "Network meeting"),
    MeetingKind.CASE: ("Infohusmøde", "Case meeting"),
}
MEETING_STATUS_LABELS: dict[MeetingStatus, Pair] = {
    MeetingStatus.PLANNED: ("Planlagt", "Planned"),
    MeetingStatus.HELD: ("Afholdt", "Held"),
    MeetingStatus.APPROVED: ("Referat godkendt", "Minutes approved"),
    MeetingStatus.SENT: ("Udsendt", "Sent"),
}
ITEM_KIND_LABELS: dict[ItemKind, Pair] = {
    ItemKind.CASE: ("Sag", "Case"),
    ItemKind.TREND: ("Tendensnotat", "Trend note"),
    ItemKind.ORIENTATION: ("Orientering", "Orientation"),
    ItemKind.OTHER: ("Eventuelt", "Any other business"),
}
DECISION_KIND_LABELS: dict[DecisionKind, Pair] = {
    DecisionKind.RECOMMENDATION: ("Anbefaling", "Recommendation"),
    DecisionKind.AGREEMENT: ("Aftale", "Agreement"),
}
ACTION_STATUS_LABELS: dict[ActionStatus, Pair] = {
    ActionStatus.OPEN: ("Åben", "Open"),
    ActionStatus.DONE: ("Udført", "Done"),
}
ATTENDANCE_LABELS: dict[Attendance, Pair] = {
    Attendance.INVITED: ("Inviteret", "Invited"),
    Attendance.PRESENT: ("Til stede", "Present"),
    Attendance.ABSENT: ("Fraværende", "Absent"),
}
