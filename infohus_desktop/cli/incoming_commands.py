"""``infohus bundle incoming``: the referrals this vault received in bundles, one of them with
the sender's own field labels, or one of its attachments written to a file."""

from __future__ import annotations

import argparse
import uuid
from typing import Any

from infohus_desktop.cli.args import write_atomic
from infohus_desktop.cli.io import emit_json, emit_table, saved_to, t, tampered_json, tampered_row
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.domain.errors import InvalidInput, NotFound, ui_language
from infohus_desktop.domain.referrals import IncomingReferral


def _id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise NotFound(f"Intet med id {text}.", f"Nothing with id {text}.") from None


def bundle_incoming(args: argparse.Namespace) -> int:
    """Referrals received in bundles: the list, one of them, or one attachment to a file."""
    from infohus_desktop.services.referrals.incoming import IncomingReferrals

    with unlocked(args) as session:
        if args.id is None:
            rows = session.referrals.incoming()
            if args.json:
                emit_json([_incoming_json(r) for r in rows])
            else:
                emit_table(
                    [
                        t("Modtaget", "Received"),
                        t("Afsender", "Sender"),
                        t("Program", "Programme"),
                        t("Bilag", "Attachments"),
                        "Id",
                    ],
                    [
                        tampered_row(5, 1, {4: str(r.id)})
                        if r.tampered
                        else [
                            f"{r.received_at:%d.%m.%Y}",
                            r.sender,
                            r.programme.value,
                            str(len(r.attachments)),
                            str(r.id),
                        ]
                        for r in rows
                    ],
                )
            return 0
        if args.attachment:
            if not args.out:
                raise InvalidInput("Angiv --out FIL.", "Give --out FILE.")
            incoming = IncomingReferrals(session)
            target = write_atomic(
                args.out,
                lambda sink: incoming.read_attachment(_id(args.id), _id(args.attachment), sink),
            )
            print(saved_to(target))
            return 0
        r = session.referrals.show_incoming(args.id)
    if args.json:
        emit_json(
            {
                "id": str(r.id),
                "sender": r.sender,
                "bundle": r.bundle_id,
                "received": r.received_at.isoformat(),
                "values": r.values,
                "attachments": [
                    {
                        "id": str(a.id),
                        "name": a.filename,
                        "media_type": a.media_type,
                        "size": a.size,
                        "sha256": a.sha256,
                    }
                    for a in r.attachments
                ],
            }
        )
        return 0
    print(
        t(
            f"Fra {r.sender}, modtaget {r.received_at:%d.%m.%Y}",
            f"From {r.sender}, received {r.received_at:%d.%m.%Y}",
        )
    )
    lang = ui_language()
    for f in r.form.fields:
        value = r.values.get(f.key)
        if value:
            text = "; ".join(value) if isinstance(value, list) else value
            print(f"{f.label(lang)}: {text}")
    for a in r.attachments:
        print(t("Bilag", "Attachment") + f": {a.filename} ({a.size} bytes) {a.id}")
    return 0


def _incoming_json(r: IncomingReferral) -> dict[str, Any]:
    shape = {
        "id": str(r.id),
        "sender": r.sender,
        "programme": r.programme.value,
        "received": r.received_at.isoformat(),
        "bundle": r.bundle_id,
        "attachments": len(r.attachments),
    }
    return tampered_json(shape, ("id",)) if r.tampered else shape | {"tampered": False}
