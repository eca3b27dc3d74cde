"""The demo's trend notes: twelve months of the worrying trends an Østjylland Infohus might
describe, two or three a month, written by the coordinators and members of the network.

The texts describe groups, places and platforms, never a person: each note goes through the
real service, with the real personal-data check against the names in the demo's cases, and
the build fails if the check finds anything. Some notes are edited later (a new version with
another development), some are linked to the note they follow up, and one is narrowed to the
police's access group.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta

from infohus_desktop.demo.context import DemoContext
from infohus_desktop.demo.members import POLICE_COORDINATOR, POLICE_GROUP
from infohus_desktop.domain.trends import (
    AreaKind,
    Development,
    SourceKind,
    TrendContent,
    TrendNote,
)
from infohus_desktop.services.trends.personal_data_check import NameRegister

S = SourceKind
#: Who writes trend notes in the demo (coordinators and members of the network).
WRITERS = ("lars", "pia", "mette", "jonas", "sanne", "kasper", "birgitte", "emil")
MUNICIPALITIES = ("Aarhus Kommune", "Randers Kommune", "Silkeborg Kommune")


@dataclass(frozen=True, slots=True)
class Template:
    title: str
    theme: str
    area_kind: AreaKind
    area: str  # "{kommune}" is replaced by one of the demo's municipalities
    description: str
    sources: tuple[SourceKind, ...]


TEMPLATES: tuple[Template, ...] = (
    Template(
        "Klistermærker med nazistisk symbolik ved skoler",
        "hoejreekstremisme",
        AreaKind.MUNICIPALITY,
        "{kommune}",
        "Flere skoler melder om klistermærker med runer og tal-koder på lygtepæle og "
        "cykelstativer nær skolerne. Materialet peger på en international netværksgruppe, "
        "der rekrutterer online. SSP har orienteret skolelederne og aftalt, at fund "
        "fotograferes og fjernes.",
        (S.SCHOOL, S.SSP, S.POLICE),
    ),
    Template(
        "Voldsforherligende memes deles i lukkede klassechats",
        "hoejreekstremisme",
        AreaKind.ONLINE,
        "Snapchat",
        "Lærere og forældre fortæller om memes, der hylder gerningsmænd bag terrorangreb, og "
        "som deles i lukkede grupper blandt elever i 7.-9. klasse. Tonen er ironisk, men "
        "indholdet normaliserer vold. Skolerne ønsker materiale til en samtale i klasserne.",
        (S.SCHOOL, S.SOCIAL_MEDIA),
    ),
    Template(
        "Unge søger til gaming-servere med ekstrem musik",
        "voldsfascination",
        AreaKind.ONLINE,
        "Discord",
        "Unge mellem 13 og 17 år inviteres fra åbne gaming-fællesskaber videre til servere, "
        "hvor der deles ekstrem musik, skydespilsklip fra virkelige angreb og manifester. "
        "Infohusets sager viser et mønster, hvor de unge trækker sig fra skole og venner.",
        (S.CASES, S.SOCIAL_MEDIA, S.OPEN_SOURCES),
    ),
    Template(
        "Konspirationskanaler opfordrer til at ignorere myndighederne",
        "konspiration",
        AreaKind.ONLINE,
        "Telegram",
        "Danske kanaler med flere tusinde følgere deler opfordringer til ikke at betale skat "
        "og ikke at lade børn gå i skole. Enkelte opslag kalder offentligt ansatte for "
        "forrædere. Der ses ingen konkrete trusler, men tonen er skærpet siden sidste kvartal.",
        (S.OPEN_SOURCES, S.NATIONAL),
    ),
    Template(
        "Religiøst begrundet pres på unge i boligområde",
        "militant_islamisme",
        AreaKind.MUNICIPALITY,
        "{kommune}",
        "Boligsociale medarbejdere og klubpersonale beskriver en lille gruppe unge mænd, der "
        "presser yngre drenge til at holde sig fra fritidstilbud og sociale medier. "
        "Klubberne har styrket det opsøgende arbejde om aftenen.",
        (S.SOCIAL_SERVICES, S.CIVIL_SOCIETY, S.SSP),
    ),
    Template(
        "Propagandavideoer fra militante grupper på TikTok",
        "militant_islamisme",
        AreaKind.ONLINE,
        "TikTok",
        "Korte videoer med nasheeds og billeder fra konfliktzoner når danske unge gennem "
        "anbefalingerne. Flere konti er lukket efter anmeldelse, men nye dukker op. PET's "
        "vurdering af terrortruslen peger på unge, der radikaliseres hurtigt online.",
        (S.SOCIAL_MEDIA, S.NATIONAL),
    ),
    Template(
        "Venstreautonome aktioner mod byggeprojekter",
        "venstreekstremisme",
        AreaKind.DISTRICT,
        "Østjyllands Politi",
        "Politiet registrerer hærværk og graffiti mod entreprenører og ejendomsselskaber med "
        "slogans mod gentrificering. Aktionerne er koordineret via krypterede kanaler. "
        "Der er ikke set personfarlig vold.",
        (S.POLICE, S.OPEN_SOURCES),
    ),
    Template(
        "Konflikter mellem grupper af unge efter begivenheder i udlandet",
        "polarisering",
        AreaKind.MUNICIPALITY,
        "{kommune}",
        "Efter konflikten i Mellemøsten melder skoler og ungdomsklubber om flere skænderier "
        "og enkelte slagsmål mellem grupper af unge. Lærerne efterspørger hjælp til at "
        "tale om konflikten i undervisningen. SSP tilbyder dialogforløb.",
        (S.SCHOOL, S.SSP, S.CIVIL_SOCIETY),
    ),
    Template(
        "Had og chikane mod lokalpolitikere på sociale medier",
        "online_had",
        AreaKind.ONLINE,
        "Facebook",
        "Kommunerne oplever flere hadefulde kommentarer og trusler mod byrådsmedlemmer i "
        "lokale debatgrupper, især om flygtninge og klima. Politiet vejleder om anmeldelse; "
        "kommunerne har fået en fælles procedure for moderering af egne sider.",
        (S.POLICE, S.SOCIAL_MEDIA),
    ),
    Template(
        "Fascination af skoleskyderier blandt elever i udskolingen",
        "voldsfascination",
        AreaKind.DISTRICT,
        "Østjyllands Politi",
        "Flere bekymringshenvendelser handler om elever, der samler på materiale om "
        "skoleskyderier uden en tydelig ideologi. Henvendelserne kommer både fra skoler og "
        "psykiatrien. Infohuset overvejer et temamøde med skolernes trivselsmedarbejdere.",
        (S.CASES, S.SCHOOL),
    ),
    Template(
        "Antisemitiske tags i bymidten",
        "anden_uklar",
        AreaKind.MUNICIPALITY,
        "{kommune}",
        "Kommunens driftsafdeling har fjernet flere antisemitiske tags på offentlige "
        "bygninger. Afsenderen er uklar; symbolerne bruges både i højreekstreme og i "
        "islamistiske miljøer. Politiet er orienteret.",
        (S.POLICE, S.OTHER),
    ),
    Template(
        "Rekruttering til kampsportsmiljø med nationalistisk profil",
        "hoejreekstremisme",
        AreaKind.MUNICIPALITY,
        "{kommune}",
        "Et kampsportsfællesskab uden for foreningslivet reklamerer for træning med "
        "nationalistiske budskaber og henvender sig til drenge fra 15 år. Lokale foreninger "
        "har spurgt SSP til råds om, hvordan de taler med forældrene.",
        (S.CIVIL_SOCIETY, S.SSP, S.OPEN_SOURCES),
    ),
)


def _development(ctx: DemoContext) -> Development:
    roll = ctx.rng.random()
    if roll < 0.45:
        return Development.RISING
    return Development.STABLE if roll < 0.8 else Development.FALLING


def make_trend_notes(ctx: DemoContext) -> None:
    """Two or three notes for each of the last twelve months, some edited and linked."""
    registers: dict[str, NameRegister] = {}
    made: list[tuple[str, TrendNote]] = []
    previous_by_template: dict[int, uuid.UUID] = {}
    for month in range(11, -1, -1):  # the last twelve months, this one included
        start = _month_start(ctx.today, month)
        end = min(_month_start(ctx.today, month - 1) - timedelta(days=1), ctx.today)
        for _ in range(2 + (ctx.rng.random() < 0.4)):
            index = ctx.rng.randrange(len(TEMPLATES))
            template = TEMPLATES[index]
            writer = ctx.rng.choice(WRITERS)
            session = ctx.sessions[writer]
            if writer not in registers:
                registers[writer] = session.trends.name_register()
            follow_up = end + timedelta(days=90) if ctx.rng.random() < 0.5 else None
            content = TrendContent(
                title=template.title,
                period_from=start,
                period_to=end,
                area_kind=template.area_kind,
                area=template.area.format(kommune=ctx.rng.choice(MUNICIPALITIES)),
                theme=template.theme,
                description=template.description,
                source_kinds=template.sources,
                development=_development(ctx),
                follow_up=follow_up,
            )
            note = session.trends.create(content, names=registers[writer])
            ctx.made["trend"] += 1
            earlier = previous_by_template.get(index)
            if earlier is not None:  # the same trend again: link it to the last note on it
                session.trends.link(note.id, earlier)
                ctx.made["trend.link"] += 1
            previous_by_template[index] = note.id
            made.append((writer, note))
    for writer, note in made[::5]:  # a later look changes the development: version 2
        changed = replace(note.content, development=_development(ctx))
        if changed != note.content:
            ctx.sessions[writer].trends.edit(
                note.id, note.version, changed, base=note.content, names=registers[writer]
            )
            ctx.made["trend.edit"] += 1
    if made:  # one note only for the police
        ctx.sessions[POLICE_COORDINATOR].trends.set_access_group(made[-1][1].id, POLICE_GROUP)
        ctx.made["trend.narrowed"] += 1


def _month_start(today: date, months_back: int) -> date:
    """The first day of the month ``months_back`` months before ``today``'s month."""
    total = today.year * 12 + today.month - 1 - months_back
    return date(total // 12, total % 12 + 1, 1)
