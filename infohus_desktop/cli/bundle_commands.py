"""``infohus referral export``, ``infohus bundle import|inspect``, ``infohus keys
export-public`` and ``infohus recipient add|list``: encrypted bundles between organisations.

Files are written atomically (a private temporary file beside the target, fsync, rename); a
bundle is renamed into place only after its export was audited and completed, so a failed
export leaves no partial file, and a draft referral becomes "sent by bundle" only after the
rename (``BundleService.export_referral_to_file``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from infohus_desktop.cli.args import add_validity_option, read_file, write_atomic
from infohus_desktop.cli.incoming_commands import bundle_incoming
from infohus_desktop.cli.io import emit_json, emit_table, saved_to, t
from infohus_desktop.cli.unlocking import unlocked
from infohus_desktop.crypto.bundle_keys import decode_card
from infohus_desktop.domain.bundles import BUNDLE_KIND_LABELS, BundleInfo
from infohus_desktop.domain.errors import InvalidInput

_YES = {"j", "ja", "y", "yes"}


def info_json(info: BundleInfo) -> dict[str, Any]:
    return {
        "bundle": str(info.bundle_id),
        "format": info.format_version,
        "kind": info.kind,
        "sender": {
            "organisation": info.sender.organisation,
            "vault": str(info.sender.vault_id),
            "fingerprint": info.sender.fingerprint,
        },
        "recipient_fingerprint": info.recipient_fingerprint,
        "created": info.created.isoformat(),
        "expires": info.expires.isoformat(),
        "payload_length": info.payload_length,
    }


# -- keys and recipients -------------------------------------------------------------------


def keys_export_public(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        card, fp = session.bundles.export_public_key()
    target = write_atomic(args.file, lambda sink: sink.write(card), mode=0o644)
    if args.json:
        emit_json({"file": str(target), "fingerprint": fp})
    else:
        print(
            t(
                f"Den offentlige pakkenøgle er skrevet til {target}.",
                f"The public bundle key was written to {target}.",
            )
        )
        print(t(f"Fingeraftryk: {fp}", f"Fingerprint: {fp}"))
        print(
            t(
                "Læs fingeraftrykket op for modtageren ad en anden vej (telefon), før de "
                "tilføjer nøglen.",
                "Read the fingerprint to the recipient by another channel (phone) before "
                "they add the key.",
            )
        )
    return 0


def recipient_add(args: argparse.Namespace) -> int:
    card = decode_card(read_file(args.key))
    with unlocked(args) as session:
        confirmed = args.fingerprint
        if confirmed is None:
            print(t(f"Organisation: {card.organisation}", f"Organisation: {card.organisation}"))
            print(t(f"Boks-id: {card.vault_id}", f"Vault id: {card.vault_id}"))
            print(t(f"Fingeraftryk: {card.fingerprint}", f"Fingerprint: {card.fingerprint}"))
            print(
                t(
                    "Er det præcis det fingeraftryk, den anden organisation har læst op "
                    "for dig? [ja/nej] ",
                    "Is this exactly the fingerprint the other organisation read to you? [yes/no] ",
                ),
                end="",
                flush=True,
            )
            answer = args.stdin.next_line("svaret på spørgsmålet", "the answer to the question")
            if answer.strip().lower() not in _YES:
                raise InvalidInput(
                    "Ikke bekræftet; intet er gemt.", "Not confirmed; nothing was saved."
                )
            confirmed = card.fingerprint
        recipient = session.bundles.add_recipient(args.name, read_file(args.key), confirmed)
    if args.json:
        emit_json(
            {"id": str(recipient.id), "name": recipient.name, "fingerprint": recipient.fingerprint}
        )
    else:
        print(
            t(
                f"{recipient.name} er tilføjet ({recipient.fingerprint}).",
                f"{recipient.name} was added ({recipient.fingerprint}).",
            )
        )
    return 0


def recipient_list(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        recipients = session.bundles.recipients()
    if args.json:
        emit_json(
            [
                {
                    "id": str(r.id),
                    "name": r.name,
                    "organisation": r.organisation,
                    "vault": str(r.peer_vault_id),
                    "fingerprint": r.fingerprint,
                    "added": r.added_at.isoformat(),
                }
                for r in recipients
            ]
        )
        return 0
    emit_table(
        [
            t("Navn", "Name"),
            t("Organisation", "Organisation"),
            t("Fingeraftryk", "Fingerprint"),
            "Id",
        ],
        [[r.name, r.organisation, r.fingerprint, str(r.id)] for r in recipients],
    )
    return 0


# -- bundles -------------------------------------------------------------------------------


def referral_export(args: argparse.Namespace) -> int:
    from datetime import timedelta

    target = Path(args.out).expanduser().resolve()
    with unlocked(args) as session:
        # Written to a private temporary file, fsynced and renamed; a draft is marked sent
        # only after that, so a full disk leaves no "sent by bundle" without a bundle.
        info, marked_sent = session.bundles.export_referral_to_file(
            args.id, args.to, target, args.attachment, timedelta(days=args.days)
        )
    if args.json:
        emit_json({"file": str(target), **info_json(info), "marked_sent": marked_sent})
    else:
        print(saved_to(target))
        if marked_sent:
            print(
                t(
                    "Henvisningen var en kladde og er nu markeret som sendt (krypteret fil).",
                    "The referral was a draft and is now marked sent (encrypted file).",
                )
            )
        print(
            t(
                f"Gyldig til {info.expires:%d.%m.%Y %H.%M} UTC; modtagerens fingeraftryk "
                f"{info.recipient_fingerprint}.",
                f"Valid until {info.expires:%d.%m.%Y %H:%M} UTC; recipient fingerprint "
                f"{info.recipient_fingerprint}.",
            )
        )
    return 0


def bundle_inspect(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        seen = session.bundles.inspect_file(Path(args.file))
    if args.json:
        emit_json(
            {
                **info_json(seen.info),
                "sender_name": seen.sender_name,
                "for_this_vault": seen.for_this_vault,
            }
        )
        return 0
    i = seen.info
    rows = [
        (t("Afsender", "Sender"), f"{seen.sender_name} ({i.sender.organisation})"),
        (t("Afsenders fingeraftryk", "Sender fingerprint"), i.sender.fingerprint),
        (t("Modtagers fingeraftryk", "Recipient fingerprint"), i.recipient_fingerprint),
        (
            t("Til denne boks", "For this vault"),
            t("ja", "yes") if seen.for_this_vault else t("nej", "no"),
        ),
        (t("Indhold", "Contents"), _kind_words(i.kind)),
        (t("Pakke-id", "Bundle id"), str(i.bundle_id)),
        (t("Oprettet", "Created"), f"{i.created:%d.%m.%Y %H.%M} UTC"),
        (t("Udløber", "Expires"), f"{i.expires:%d.%m.%Y %H.%M} UTC"),
        (t("Størrelse", "Size"), f"{i.payload_length} bytes"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")
    return 0


def bundle_import(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        result = session.bundles.import_file(Path(args.file), args.municipality)
    if result.case is not None:
        _print_case_received(result, args.json)
        return 0
    if args.json:
        emit_json(
            {
                "incoming": str(result.incoming_id),
                "bundle": str(result.bundle_id),
                "sender": result.sender_name,
                "attachments": result.attachments,
            }
        )
    else:
        print(
            t(
                f"Henvisningen fra {result.sender_name} er modtaget ({result.attachments} "
                f"bilag): {result.incoming_id}.",
                f"The referral from {result.sender_name} was received ({result.attachments} "
                f"attachments): {result.incoming_id}.",
            )
        )
    return 0


def _print_case_received(result: Any, as_json: bool) -> None:
    case = result.case
    if as_json:
        emit_json(
            {
                "case": case.number,
                "case_id": str(case.case_id),
                "original_number": case.original_number,
                "bundle": str(result.bundle_id),
                "sender": result.sender_name,
                "attachments": result.attachments,
                "possible_duplicates": list(case.possible_duplicates),
                "possibly_elsewhere": case.possibly_elsewhere,
            }
        )
        return
    print(
        t(
            f"Sagen fra {result.sender_name} (deres {case.original_number}) er oprettet som "
            f"{case.number} med {result.attachments} bilag.",
            f"The case from {result.sender_name} (their {case.original_number}) was opened as "
            f"{case.number} with {result.attachments} attachments.",
        )
    )
    if case.possible_duplicates or case.possibly_elsewhere:
        known = ", ".join(case.possible_duplicates)
        print(
            t(
                "Mulig dublet: personen kan være kendt i "
                + (known or "en sag, du ikke kan læse")
                + ". Sagerne er ikke lagt sammen.",
                "Possible duplicate: the person may be known in "
                + (known or "a case you cannot read")
                + ". The cases were not merged.",
            )
        )


# -- parser ---------------------------------------------------------------------------------


def add_bundle_parsers(
    sub: Any, both: list[argparse.ArgumentParser], referral_subparsers: Any
) -> None:
    """Register the bundle commands; ``referral_subparsers`` takes ``referral export``."""
    export = referral_subparsers.add_parser(
        "export",
        parents=both,
        help=t(
            "henvisningen som en krypteret pakke til en modtager",
            "the referral as an encrypted bundle for a recipient",
        ),
    )
    export.add_argument("id", help=t("henvisningens id", "the referral's id"))
    export.add_argument(
        "--to",
        required=True,
        metavar="RECIPIENT",
        help=t("navn, id eller fingeraftryk", "name, id or fingerprint"),
    )
    export.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help=t("pakkens fil, der skal skrives", "the bundle file to write"),
    )
    export.add_argument(
        "--attachment",
        action="append",
        metavar="ID",
        help=t(
            "et bilag fra sagen, der skal med (kan gentages; standard: henvisningens egne)",
            "a case attachment to include (repeat; default: the referral's own)",
        ),
    )
    add_validity_option(export)
    export.set_defaults(handler=referral_export)

    bundle = sub.add_parser(
        "bundle",
        help=t(
            "importér eller undersøg en krypteret pakke", "import or inspect an encrypted bundle"
        ),
    )
    actions = bundle.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, handler, text in (
        (
            "import",
            bundle_import,
            t(
                "kontrollér, dekryptér og gem en modtaget pakke",
                "verify, decrypt and store an incoming bundle",
            ),
        ),
        (
            "inspect",
            bundle_inspect,
            t(
                "pakkens underskrevne hoved; intet dekrypteres",
                "the signed header of a bundle; nothing is decrypted",
            ),
        ),
    ):
        parser = actions.add_parser(name, parents=both, help=text)
        parser.add_argument("file", metavar="FILE", help=t("pakkens fil", "the bundle file"))
        parser.set_defaults(handler=handler)
        if name == "import":
            parser.add_argument(
                "--municipality",
                metavar="NAME",
                help=t(
                    "Infohus Kommune, som en overdraget sag oprettes i (navn eller præfiks)",
                    "the Infohus Kommune a transferred case is opened in (name or prefix)",
                ),
            )
    incoming = actions.add_parser(
        "incoming",
        parents=both,
        help=t(
            "henvisninger modtaget i pakker (listen, én henvisning, et bilag)",
            "referrals received in bundles (list, one, an attachment)",
        ),
    )
    incoming.add_argument(
        "id", nargs="?", help=t("en modtaget henvisnings id", "an incoming referral's id")
    )
    incoming.add_argument(
        "--attachment", metavar="ID", help=t("gem dette bilag", "save this attachment")
    )
    incoming.add_argument(
        "--out",
        metavar="FILE",
        help=t(
            "filen, bilaget gemmes i (med --attachment)",
            "the file to save the attachment to (with --attachment)",
        ),
    )
    incoming.set_defaults(handler=bundle_incoming)

    keys = sub.add_parser("keys", help=t("boksens pakkenøgler", "the vault's bundle keys"))
    key_actions = keys.add_subparsers(dest="action", required=True, metavar="ACTION")
    exp = key_actions.add_parser(
        "export-public",
        parents=both,
        help=t(
            "skriv nøglekortet med den offentlige pakkenøgle og dens fingeraftryk",
            "write the public bundle key card and its fingerprint",
        ),
    )
    exp.add_argument(
        "file",
        metavar="FILE",
        help=t("filen, nøglekortet skrives til", "the file to write the key card to"),
    )
    exp.set_defaults(handler=keys_export_public)

    recipient = sub.add_parser(
        "recipient",
        help=t(
            "organisationer, hvis pakkenøgler er betroet",
            "organisations whose bundle keys are pinned",
        ),
    )
    r_actions = recipient.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = r_actions.add_parser(
        "add",
        parents=both,
        help=t("betro et nøglekort (koordinator)", "pin a key card (coordinator)"),
    )
    add.add_argument(
        "--name",
        required=True,
        help=t(
            "det navn, organisationen får her (bruges med --to)",
            "the name the organisation gets here (used with --to)",
        ),
    )
    add.add_argument(
        "--key", required=True, metavar="FILE", help=t("nøglekortets fil", "the key card file")
    )
    add.add_argument(
        "--fingerprint",
        metavar="FP",
        help=t(
            "fingeraftrykket, som er læst op for dig (springer spørgsmålet over)",
            "the fingerprint read to you (skips the question)",
        ),
    )
    add.set_defaults(handler=recipient_add)
    lst = r_actions.add_parser(
        "list", parents=both, help=t("de betroede organisationer", "the pinned organisations")
    )
    lst.set_defaults(handler=recipient_list)


def _kind_words(kind: str) -> str:
    """What the bundle holds in words; a kind this version does not know, as it came."""
    known = {k.value: v for k, v in BUNDLE_KIND_LABELS.items()}
    return t(*known[kind]) if kind in known else kind
