"""The demo's Danish texts: what reporters observed, journal entries, measures, information
from authorities, disclosures, assessment comments and attachments.

They are written for the demo, in the tone of real concern cases, and name no real person,
school or workplace: ``{m}`` and ``{t}`` in a template become the case municipality's name
and town (:func:`for_municipality`). Every attachment begins with :data:`DEMO_MARK`, so a file
exported from the demo says what it is.
"""

from __future__ import annotations

import random

from infohus_desktop.demo.members import (
    KRIMINALFORSORGEN,
    POLICE,
    PSYCHIATRY,
    Municipality,
)
from infohus_desktop.domain.assessment import ConcernLevel
from infohus_desktop.domain.cases import JournalKind, LegalBasis, MeasureType, Source

OBSERVED: dict[str, tuple[str, ...]] = {
    "hoejreekstremisme": (
        "Har i timerne flere gange fremført nedsættende udsagn om muslimer og tegnet "
        "hagekors i sine hæfter.",
        "Deler memes med nazistisk symbolik i en klassechat og henviser til et lukket forum.",
        "Er set med et nyt tatoveret symbol, der forbindes med et højreekstremt miljø, og "
        "taler om en kommende 'racekrig'.",
        "Bruger mange timer i onlinegrupper med højreekstreme budskaber og er blevet indesluttet.",
        "Har på et møde udtalt, at 'de fremmede skal smides ud med magt', og viste billeder "
        "af våben på sin telefon.",
    ),
    "venstreekstremisme": (
        "Har deltaget i demonstrationer, hvor der blev kastet sten mod politiet, og opfordrer "
        "på sociale medier til 'direkte aktion'.",
        "Har sammen med andre delt adresser online på personer, gruppen kalder 'fascister'.",
        "Omtaler hærværk og vold mod 'systemet' som legitimt og har malet trusler på en "
        "virksomheds facade.",
    ),
    "militant_islamisme": (
        "Har ændret adfærd markant det seneste halve år, har brudt med tidligere venner og "
        "udtrykker støtte til en militant gruppe.",
        "Deler videoer fra en militant gruppe og har spurgt en kammerat om rejser til et "
        "konfliktområde.",
        "Har fået en ny omgangskreds, der taler om at forsvare 'de troende' med våben.",
        "Har sagt, at demokrati er forbudt, og at 'de vantro' fortjener straf.",
    ),
    "anden_uklar": (
        "Er optaget af skoleskyderier, samler billeder af gerningsmænd og taler om at "
        "'gøre noget stort'.",
        "Blander konspirationsteorier med vrede mod myndighederne og har truet en sagsbehandler.",
        "Deltager i onlinefællesskaber med voldsforherligende indhold uden klar ideologi og har "
        "skrevet et 'manifest'.",
        "Udtrykker had mod kvinder og deler indhold, der hylder vold mod kvinder.",
    ),
}
WHEN = (
    "Første gang for ca. to måneder siden; siden omtrent ugentligt.",
    "Én episode i sidste uge.",
    "Løbende gennem det seneste halve år.",
    "Flere gange i den seneste måned.",
)
WHO_KNOWS = (
    "Klasselæreren og skolelederen.",
    "Forældrene er orienteret.",
    "Kun anmelderen.",
    "Sagsbehandleren og teamlederen.",
    "Et par kammerater har nævnt det for en lærer.",
)
CRISIS = (
    "Forældrene er blevet skilt i år.",
    "Har mistet sin læreplads.",
    "Ikke kendt.",
    "Dødsfald i den nærmeste familie.",
    "Nej, ikke så vidt anmelderen ved.",
    "Er flyttet hjemmefra efter konflikter.",
)
TITLES_BY_SOURCE = {
    Source.SCHOOL: "Bekymring fra skolen",
    Source.SOCIAL_SERVICES: "Underretning fra socialforvaltningen",
    Source.JOB_CENTRE: "Bekymring fra jobcentret",
    Source.POLICE: "Politiets egen bekymring",
    Source.FAMILY: "Henvendelse fra familien",
    Source.HOTLINE: "Anonym henvendelse via hotline",
    Source.PSYCHIATRY: "Bekymring fra psykiatrien",
    Source.KRIMINALFORSORGEN: "Bekymring ved løsladelse",
    Source.OTHER: "Bekymring fra fritidsområdet",
}
INDICATOR_COMMENTS: dict[str, tuple[str, str]] = {
    "vold_involvering": ("Deltog i et slagsmål efter en demonstration.", "Ingen kendt vold."),
    "vaaben_adgang": ("Har vist billeder af en kniv og en softgun.", "Intet tyder på våben."),
    "trusler_chikane": ("Truende beskeder til en lærer.", "Ingen trusler kendt."),
    "rejse_konfliktzone": ("Har undersøgt rejseruter.", "Ingen rejseplaner."),
    "stoette_vold": ("Hylder angreb i chatbeskeder.", "Tager afstand fra vold."),
    "propaganda_online": ("Deler materiale i flere grupper.", "Ikke set online."),
    "aendret_adfaerd": ("Nyt tøj, nye symboler og nyt sprog.", "Uændret adfærd."),
    "ekstreme_miljoeer": ("Kontakt til kendte personer i miljøet.", "Ingen kendt kontakt."),
    "isolation": ("Har trukket sig fra holdet og familien.", "Har stadig sine venner."),
    "ny_omgangskreds": ("Ny, ældre omgangskreds.", "Samme venner som før."),
    "fjendebilleder": ("Taler om 'dem' og 'os'.", "Nuanceret i samtalen."),
    "afviser_demokrati": ("Kalder valg 'teater'.", "Vil gerne stemme."),
    "had_grupper": ("Nedsættende om bestemte grupper.", "Ingen udsagn af den art."),
    "personlig_krise": ("Skilsmisse i familien.", "Ingen kendt krise."),
    "psykisk_saarbarhed": ("Angst og søvnproblemer.", "Ingen tegn."),
    "misbrug": ("Hash flere gange om ugen.", "Intet misbrug kendt."),
    "skole_arbejde": ("Møder stabilt.", "Højt fravær."),
    "familie_netvaerk": ("Mor er en stærk støtte.", "Konflikter med familien."),
    "positive_faellesskaber": ("Spiller fodbold i en klub.", "Ingen fritidsaktiviteter."),
}
MAIN_PROBLEMS = {
    "hoejreekstremisme": "Tiltrækning til et højreekstremt onlinemiljø og had mod minoriteter.",
    "venstreekstremisme": "Accept af vold og hærværk som politisk middel.",
    "militant_islamisme": "Ny omgangskreds med militant tankegods og isolation fra familien.",
    "anden_uklar": "Voldsfascination uden klar ideologi, vrede og mistrivsel.",
}
RESOURCES = (
    "Støttende mor og en god relation til en lærer.",
    "Er glad for sin fodboldklub og har et fritidsjob.",
    "Vil gerne i gang med en uddannelse.",
    "Har en ældre søster, der tager ansvar.",
    "Tager imod tilbud om samtaler.",
)
RATIONALE = {
    ConcernLevel.LOW: "Enkelte bekymringstegn, men stærke beskyttende faktorer; ingen akut fare.",
    ConcernLevel.MEDIUM: "Flere bekymringstegn og mistrivsel; kræver en koordineret indsats.",
    ConcernLevel.HIGH: "Alvorlige tegn, herunder voldsaccept; tæt opfølgning og politiets "
    "vurdering af risikoen.",
}
MEASURES: tuple[tuple[MeasureType, str, str, bool], ...] = (
    # type, owner ({m} = municipality), description, for minors
    (
        MeasureType.CONCERN_CONVERSATION,
        "{m}, SSP",
        "Bekymringssamtale med den unge og forældrene.",
        True,
    ),
    (
        MeasureType.STREET_WORK,
        "{m}, Ungdomsindsatsen",
        "Opsøgende relationsarbejde i området.",
        True,
    ),
    (MeasureType.MENTOR, "{m}", "Mentor fra det nationale mentorkorps; ugentlige møder.", True),
    (
        MeasureType.PARENT_COACH,
        "{m}",
        "Forældrecoach fra det nationale korps; fire samtaler.",
        True,
    ),
    (MeasureType.PSYCHOLOGICAL_HELP, PSYCHIATRY, "Udredning og samtaleforløb.", False),
    (
        MeasureType.EDUCATION_JOB,
        "Jobcenter {t}",
        "Hjælp til at komme i gang med uddannelse.",
        False,
    ),
    (
        MeasureType.EDUCATION_JOB,
        "{m}, Ungdommens Uddannelsesvejledning",
        "Vejledning om uddannelsesvalg.",
        True,
    ),
    (
        MeasureType.POLICE_INVESTIGATION,
        POLICE,
        "Efterforskning af trusler; Infohuset orienteres kun om det nødvendige.",
        False,
    ),
    (MeasureType.OTHER, "{m}, Fritids- og ungdomsklub", "Fritidsjob og plads i en klub.", True),
)
JOURNAL = (
    (
        JournalKind.CONVERSATION,
        "Samtale med borgeren om bekymringen. Åben om kontakten til "
        "miljøet, men ser det ikke som et problem.",
    ),
    (JournalKind.PHONE, "Telefonsamtale med kontaktlæreren: fraværet er faldet den seneste måned."),
    (JournalKind.MEETING, "Drøftet på infohusmødet; enighed om at fortsætte forløbet."),
    (JournalKind.DECISION, "Beslutning: sagen følges op om tre måneder."),
    (JournalKind.NOTE, "Modtaget oplysninger fra socialforvaltningen om tidligere underretninger."),
    (JournalKind.PHONE, "Mor ringede: situationen derhjemme er roligere."),
    (JournalKind.NOTE, "Mentor oplyser, at der er god kontakt og faste aftaler."),
)
INFORMATION = (
    ("Skolen", "Fravær på 18 % i år; trivselssamtale i efteråret.", LegalBasis.RPL_115_1_1),
    (
        "{m}, Socialforvaltningen",
        "To tidligere underretninger om konflikter i hjemmet; ingen aktuel foranstaltning.",
        LegalBasis.RPL_115_1_1,
    ),
    (
        "Jobcenter {t}",
        "Aktivitetsparat; udeblev fra de seneste to samtaler.",
        LegalBasis.RPL_115_1_1,
    ),
    (
        PSYCHIATRY,
        "Kendt i ambulant regi; samtykke til udveksling foreligger.",
        LegalBasis.RPL_115_1_2,
    ),
    (
        KRIMINALFORSORGEN,
        "Løsladt på prøve for et halvt år siden; tilsyn resten af året.",
        LegalBasis.RPL_115_1_3,
    ),
    (POLICE, "Ingen verserende sager; én tidligere bøde for hærværk.", LegalBasis.RPL_115_1_1),
    ("Forældrene", "Oplysninger om hjemmet givet med forældrenes samtykke.", LegalBasis.CONSENT),
)
DISCLOSURES = (
    (POLICE, "{m}", "Oplysninger om en tidligere sigtelse for vold.", LegalBasis.RPL_115_1_1),
    (
        "{m}, Socialforvaltningen",
        POLICE,
        "Kopi af underretning og handleplan.",
        LegalBasis.RPL_115_1_1,
    ),
    ("{m}", PSYCHIATRY, "Resumé af bekymringen.", LegalBasis.RPL_115_1_2),
    (KRIMINALFORSORGEN, POLICE, "Vilkår og tilsynsplan ved løsladelse.", LegalBasis.RPL_115_1_3),
    ("{m}", "Skolen", "Orientering om den aftalte indsats.", LegalBasis.BARNETS_LOV),
    ("{m}", "Jobcenter {t}", "Orientering om mentorforløbet.", LegalBasis.SERVICELOVEN),
    ("{m}", "Boligforeningen", "Kontaktoplysninger med borgerens samtykke.", LegalBasis.CONSENT),
    (
        POLICE,
        "Kommunens familieafdeling",
        "Oplysninger til brug for en børnefaglig undersøgelse.",
        LegalBasis.OTHER,
    ),
)
OTHER_AUTHORITY = (
    (
        "Bekymringen handler om psykisk sygdom; regionspsykiatrien overtager.",
        "Sundhedsloven – overdragelse til regionspsykiatrien",
    ),
    (
        "Den unges trivsel er det centrale; kommunens børn og unge-område overtager.",
        "Barnets lov – underretning til kommunen",
    ),
    (
        "Personen er under tilsyn; Kriminalforsorgen følger op i eget regi.",
        "Straffuldbyrdelsesloven – Kriminalforsorgens tilsyn",
    ),
)
ATTACHMENTS = (
    (
        "underretning.txt",
        "Underretning modtaget {d}.\n\nSkolen beskriver ændret adfærd og "
        "bekymrende udsagn i klassen.\n",
    ),
    (
        "referat_bekymringssamtale.txt",
        "Referat af bekymringssamtale {d}.\n\nDeltagere: den "
        "unge, forældre, SSP-konsulent.\nAftale: ny samtale om en måned.\n",
    ),
    (
        "skolens_notat.txt",
        "Notat fra skolen {d}.\n\nFravær og episoder i frikvartererne er beskrevet i bilaget.\n",
    ),
)
DEMO_MARK = "FIKTIVE DEMODATA – ingen rigtige personer.\n\n"


def for_municipality(template: str, muni: Municipality) -> str:
    """``template`` with ``{m}`` as the municipality's name and ``{t}`` as its town."""
    return template.replace("{m}", muni.name).replace("{t}", muni.town)


def reporter_organisation(rng: random.Random, source: Source, muni: Municipality) -> str:
    """Where the reporter of a case from ``source`` works (generic, never a named place)."""
    area = rng.choice(muni.areas)[1]
    # The whole dict is built, so the OTHER choice is drawn whatever the source; keep it so,
    # or the same seed no longer gives the same vault.
    return {
        Source.SCHOOL: f"Folkeskole i {area}",
        Source.SOCIAL_SERVICES: f"{muni.name}, Børn og Familie",
        Source.JOB_CENTRE: f"Jobcenter {muni.town}",
        Source.POLICE: f"{POLICE}, Forebyggelse",
        Source.FAMILY: "Familiemedlem",
        Source.HOTLINE: "Den nationale hotline",
        Source.PSYCHIATRY: PSYCHIATRY,
        Source.KRIMINALFORSORGEN: KRIMINALFORSORGEN,
        Source.OTHER: rng.choice((f"Fritidsklub i {area}", f"Boligsocial indsats, {area}")),
    }[source]
