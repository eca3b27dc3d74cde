"""Bundles in the demo vault: its own bundle key, three pinned organisations (two exit
programmes to send to, a neighbouring Infohus), and one referral received from that Infohus
for Aarhus's municipal exit programme, so that both directions can be tried in the app.

The organisations are synthetic: their keys come from the demo's seeded generator (nothing
secret; the same seed gives the same fingerprints), and the received referral is sealed with
the neighbour's key through the real bundle writer and imported through the real import,
every check included. Made by the police coordinator, who pins keys in a real vault too.
"""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

from infohus_desktop.crypto.bundle_keys import BundleIdentity, decode_card, encode_card
from infohus_desktop.crypto.bundle_payload import encode_payload
from infohus_desktop.crypto.bundle_writer import seal
from infohus_desktop.demo.context import DemoContext
from infohus_desktop.demo.members import DEMO_MEMBERS
from infohus_desktop.domain.bundles import BundleKind
from infohus_desktop.domain.referrals import DEFAULT_FORM
from infohus_desktop.vault.codecs.referrals import form_to_json

#: (the name the coordinator gives, the organisation named in the key card); the last sends.
PARTNERS = (
    ("PET's exitprogram", "Politiets Efterretningstjeneste – EXIT"),
    ("Exit Aarhus", "Aarhus Kommune – Exitenheden"),
    ("Infohus Sydjylland", "Infohus Sydjylland"),
)


def _identity(ctx: DemoContext, organisation: str) -> BundleIdentity:
    vault_id = uuid.UUID(int=ctx.rng.getrandbits(128), version=4)
    return BundleIdentity(vault_id, organisation, ctx.rng.randbytes(32))


def _incoming_values(ctx: DemoContext) -> dict[str, object]:
    """A referral another Infohus could have sent: a synthetic adult, consent given."""
    born = date(ctx.today.year - ctx.rng.randint(19, 30), ctx.rng.randint(1, 12), 15)
    return {
        "programme": "kommunal_exit",
        "recipient_unit": "Exitenheden",
        "referring_organisation": "Infohus Sydjylland",
        "referring_contact": f"{ctx.fake.name()}, tlf. 7000 0000",
        "person_name": ctx.fake.name(),
        "person_birth_date": born.isoformat(),
        "person_municipality": "Aarhus Kommune",
        "reason": "Personen er flyttet til Aarhus og har selv bedt om hjælp til at komme ud af "
        "miljøet.",
        "risk_factors": ["Tidligere tilknytning til ekstremistisk gruppe", "Isolation"],
        "protective_factors": ["Ønsker uddannelse", "Kontakt til familien"],
        "measures_tried": ["Mentor i Sydjylland (afsluttet ved flytning)"],
        "person_informed": "ja",
        "person_consent": "ja",
        "urgency": "haster",
        "legal_basis": "samtykke",
        "attachments": ["overdragelsesnotat.txt"],
    }


def make_bundles(ctx: DemoContext) -> None:
    session = ctx.sessions[DEMO_MEMBERS[0].login]
    card, _fingerprint = session.bundles.export_public_key()
    own = decode_card(card)
    partners = []
    for name, organisation in PARTNERS:
        partner = _identity(ctx, organisation)
        session.bundles.add_recipient(
            name, encode_card(partner.card(), partner.signing), partner.fingerprint
        )
        partners.append(partner)
        ctx.made["bundle.recipient"] += 1
    note = (
        "Overdragelsesnotat (syntetisk demo): forløbet i Sydjylland, aftaler og kontakter.\n"
    ).encode()
    data = {
        "form": form_to_json(DEFAULT_FORM),
        "referral": str(uuid.UUID(int=ctx.rng.getrandbits(128), version=4)),
        "sent_on": ctx.cap(ctx.today - timedelta(days=2)).isoformat(),
        "values": _incoming_values(ctx),
    }
    payload = encode_payload(
        BundleKind.REFERRAL, data, [("overdragelsesnotat.txt", "text/plain", note)]
    )
    out = io.BytesIO()
    seal(partners[-1], own.keys, BundleKind.REFERRAL, payload, out)
    session.bundles.import_bundle(out.getvalue())
    ctx.made["bundle.import"] += 1
