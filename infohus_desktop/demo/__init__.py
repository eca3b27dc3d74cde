"""The demo vault: a police district of realistic, synthetic data to try Infohus Desktop with.

:func:`create_demo_vault` makes a new vault for the district *Østjylland* (police: Østjyllands
Politi) with three Infohus Kommune (Aarhus ``AAR``, Randers ``RAN``, Silkeborg ``SIL``), the
members in :data:`DEMO_MEMBERS`, two custom access groups, and concern cases received over the
12 months before ``today``: every status, reached through the real workflow with reasons
(closed with every closing reason, a few reopened), every screening outcome, every source
(anonymous hotline reports too), every category, minors with guardians, assessments with
history, information from authorities, measures with their owning authority, journals with a
correction, disclosures, follow-up dates (some due), small text attachments, and a few
persons known in two cases so the duplicate check has something to show.

Everything goes through the services, as a member at the keyboard would do it: the audit log,
the key epochs and the case numbers are real. Only the KDF cost is the normal, calibrated one;
tests lower it with their ``cheap_kdf`` fixture (``kdf._set_floor_for_tests``), never this code.

Members and passphrases
    :data:`DEMO_MEMBERS` is the fixed list, passphrases included, that the demo's unlock
    screen and ``infohus demo`` show. Each passphrase is at least 15 characters of Danish
    words and passes the passphrase policy. Every member except the first coordinator (who
    creates the vault and has no first passphrase) is enrolled with a random first passphrase
    and has then made the first-unlock change to the passphrase shown, so the demo is usable
    at once.

Synthetic persons
    Names and street names come from Faker's ``da_DK`` locale, seeded with ``seed``: the same
    seed (and Faker version) gives the same vault content. Postcodes and towns are those of the
    case's municipality. Nothing is about a real person.

    *CPR numbers* are valid in form (``DDMMYY-SSSS`` with a real birth date, accepted by
    :func:`~infohus_desktop.domain.cpr.parse_cpr`) and made recognisably fictitious by one rule
    (:func:`is_demo_cpr`):

    1. the sequence number is ``99xx``: the top hundred of the range, which the CPR office hands
       out last for a birth date, if ever (MedCom's national list of test CPR numbers uses very
       high sequence numbers for the same reason). A seventh digit 9 means 1937-1999 for years
       37-99 and 2000-2036 for years 00-36, which covers every age in the demo; the last digit
       is odd for men and even for women, as in real numbers;
    2. the number deliberately fails the modulus-11 check, so it cannot be any number issued
       before 2007, when every issued number passed it.

    No rule that stays valid in form can prove a number was never issued; this one makes a
    clash unlikely and a demo number recognisable at a glance (``…-99xx``, not modulus 11).

    *Phone numbers* are eight digits beginning with ``10``: in the Danish numbering plan a
    leading 1 belongs to short service numbers (112, 114, …), never to a subscriber. *E-mail
    addresses* are at ``example.org`` (reserved by RFC 2606). Schools, clubs and workplaces are
    generic ("folkeskole i Aarhus V"), never a named institution.

Dates
    The dates a user types (received, screening and assessment dates, information asked,
    measure start and end, disclosures, follow-up) are spread over the 12 months. The
    timestamps the services set themselves (status changes, journal entries, the audit log) are
    the time the demo was made: the services take no clock, and this package does not write rows
    behind their back.

Coverage and speed
    From 16 cases up (one per kind of case life in :data:`KINDS`) every status, screening
    outcome, closing reason, source and category occurs; the default is 60. The ten members
    cost 36 Argon2id derivations at the calibrated cost (25-40 s); each case then costs
    25-100 ms, mostly the commits of its dozen service calls, each with its audit entry.
    Intake's duplicate check goes through the member's own case service, which reads ids and
    versions and decrypts only cases new since the last check, so the cost stays near linear.
    Measured on a 2-core VM with SQLite: 60 cases 35 s, 500 46 s, 2,000 72 s, 10,000 5 min
    (3-5 times that while other processes compete for the disk); PostgreSQL, 500 cases 43 s.

Nothing here logs: persons, even synthetic ones, never reach a log or a progress message.
Later issues (meetings, trend notes, referrals) add their own steps after the cases.

Modules
    :mod:`.build` (:func:`create_demo_vault`, clean-up on failure), :mod:`.members` (district,
    municipalities, members, groups), :mod:`.people` (persons, the CPR rule, phones, e-mail),
    :mod:`.plans` (what each case will be), :mod:`.case_steps` and :mod:`.case_lives` (each
    case played through the services), :mod:`.assessments`, :mod:`.texts` (the Danish texts)
    and :mod:`.context` (what every step shares). This module is the public API.
"""

from infohus_desktop.demo.build import (
    MAX_CASES,
    OTHER_STEPS,
    DemoVault,
    create_demo_vault,
    refuse_existing,
)
from infohus_desktop.demo.context import DemoContext, Progress
from infohus_desktop.demo.members import (
    DEMO_MEMBERS,
    DEMO_PASSPHRASES,
    DISTRICT,
    KRIMINALFORSORGEN,
    MUNICIPALITIES,
    POLICE,
    POLICE_GROUP,
    PSYCHIATRY,
    SHARED_GROUP,
    DemoMember,
)
from infohus_desktop.demo.people import DEMO_CPR_SERIAL_PREFIX, demo_cpr, is_demo_cpr
from infohus_desktop.demo.plans import KINDS

__all__ = [
    "DEMO_CPR_SERIAL_PREFIX",
    "DEMO_MEMBERS",
    "DEMO_PASSPHRASES",
    "DISTRICT",
    "KINDS",
    "KRIMINALFORSORGEN",
    "MAX_CASES",
    "MUNICIPALITIES",
    "OTHER_STEPS",
    "POLICE",
    "POLICE_GROUP",
    "PSYCHIATRY",
    "SHARED_GROUP",
    "DemoContext",
    "DemoMember",
    "DemoVault",
    "Progress",
    "create_demo_vault",
    "demo_cpr",
    "is_demo_cpr",
    "refuse_existing",
]
