"""Handlers of the ``infohus`` subcommands. Each opens the vault, authenticates, calls a
service, prints, and locks (which signs an audit checkpoint)."""

from __future__ import annotations

import argparse
from typing import Any

from infohus_desktop.bug_log import log_bug as log_bug  # re-exported for callers
from infohus_desktop.cli.io import (
    emit_json,
    emit_table,
    prompt,
    read_passphrase_file,
    role_label,
    t,
)
from infohus_desktop.cli.unlocking import (
    open_vault,
    own_passphrase,
    unlocked,
    vault_url,
    with_server_password,
)
from infohus_desktop.crypto.selftest import run_selftest
from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.domain.labels import GROUP_KIND_LABELS
from infohus_desktop.domain.members import Member
from infohus_desktop.domain.organisations import ORG_KIND_WORDS, OrgKind, Role
from infohus_desktop.local_state import LocalState, default_vault_path
from infohus_desktop.private_files import make_private_dir
from infohus_desktop.services.accounts import unlock_guard
from infohus_desktop.services.accounts.vault import NewVault
from infohus_desktop.services.accounts.vault_upgrade import schema_upgrade_due
from infohus_desktop.services.core.signed_settings import SIGNED_SETTINGS_FORMAT
from infohus_desktop.services.front_door import Vault
from infohus_desktop.vault.urls import url_for_path

# -- where and who ------------------------------------------------------------------------


def member_json(member: Member) -> dict[str, Any]:
    return {
        "id": str(member.id),
        "login": member.login,
        "name": member.name,
        "organisation": member.organisation_name,
        "organisation_kind": member.organisation_kind.value,
        "role": member.role.value,
        "active": member.active,
        "must_change_passphrase": member.must_change_passphrase,
        "fingerprint": member.fingerprint,
    }


# -- commands -----------------------------------------------------------------------------


def selftest(_args: argparse.Namespace) -> int:
    run_selftest()
    print(
        t(
            "Selvtest i orden: Argon2id, AES-GCM, HPKE (ML-KEM-768+X25519).",
            "Self-test passed: Argon2id, AES-GCM, HPKE (ML-KEM-768+X25519).",
        )
    )
    return 0


def init(args: argparse.Namespace) -> int:
    local = LocalState()
    explicit = bool(args.db_url or args.vault)
    url = vault_url(args, local) if explicit else url_for_path(default_vault_path())
    if not explicit:
        make_private_dir(default_vault_path().parent)
    kind = _init_org_kind(args.org, args.org_kind)
    passphrase = own_passphrase(args, confirm=True)
    spec = NewVault(
        args.infohus, args.login, args.name, args.org, kind, passphrase, args.police_name
    )
    session = with_server_password(url, lambda u: Vault.create(u, spec, local))
    try:
        vault = session.vault
        if not explicit or local.default_vault_url() is None:
            local.set_default_vault_url(url)  # saved without its password
        if args.json:
            emit_json(
                {
                    "vault_id": str(vault.vault_id),
                    "infohus": vault.infohus_name,
                    "location": vault.location,
                    "coordinator": session.member.login,
                    "fingerprint": session.member.fingerprint,
                }
            )
        else:
            print(
                t(
                    f"Boksen for {vault.infohus_name} er oprettet på {vault.location}.",
                    f"The vault for {vault.infohus_name} was created at {vault.location}.",
                )
            )
            print(
                t(
                    "Koordinatorens fingeraftryk (rodnøgle):",
                    "The coordinator's fingerprint (root key):",
                )
            )
            print(f"  {session.member.fingerprint}")
            print(
                t(
                    "Andre arbejdsstationer skal bekræfte det med 'infohus vault trust'.",
                    "Other workstations confirm it with 'infohus vault trust'.",
                )
            )
    finally:
        session.lock()
        session.vault.close()
    return 0


def _init_org_kind(org: str, kind: str | None) -> OrgKind:
    if kind:
        return OrgKind(kind)
    word = ORG_KIND_WORDS.get(org.strip().casefold())
    if word in (OrgKind.POLICE, OrgKind.MUNICIPALITY):
        return word
    if "kommune" in org.casefold():
        return OrgKind.MUNICIPALITY
    raise InvalidInput(
        "Angiv --org-kind police eller municipality for den første koordinator.",
        "Give --org-kind police or municipality for the first coordinator.",
    )


def vault_info(args: argparse.Namespace) -> int:
    from infohus_desktop.cli.vault_info_text import VaultFacts, vault_info_lines

    local = LocalState()
    with open_vault(vault_url(args, local), local) as vault:
        pin = local.pin(vault.vault_id)
        facts = VaultFacts(
            vault_id=str(vault.vault_id),
            infohus=vault.infohus_name,
            location=vault.location,
            root_fingerprint=vault.root_fingerprint(),
            pinned_fingerprint=(pin.root_fingerprint if pin else "") or "",
            guard=unlock_guard.probe(vault.engine),
            upgrade_due=schema_upgrade_due(vault.engine),
            format=vault.info.format_version,
            # The step to format 4 (signed settings) waits for the root coordinator's
            # 'vault upgrade'; 'upgrade_due' stays the schema's (exit code 12 until then).
            format_due=vault.info.format_version < SIGNED_SETTINGS_FORMAT,
        )
    if not args.json:
        print("\n".join(vault_info_lines(facts)))
        return 0
    emit_json(
        {
            "vault_id": facts.vault_id,
            "infohus": facts.infohus,
            "location": facts.location,
            "root_fingerprint": facts.root_fingerprint,
            "trusted_here": facts.pinned_fingerprint == facts.root_fingerprint,
            "unlock_guard": unlock_guard_text(facts.guard),
            # The same as one fixed word, for scripts: active, not-applicable, absent, unsound.
            "unlock_guard_state": str(facts.guard.state),
            "upgrade_due": facts.upgrade_due,
            "format": facts.format,
            "format_due": facts.format_due,
        }
    )
    return 0


def unlock_guard_text(status: unlock_guard.GuardStatus) -> str:
    """``active``, ``not-applicable`` (SQLite), or ``absent``/``unsound`` with the reason."""
    return f"{status.state}: {status.reason}" if status.reason else str(status.state)


def vault_trust(args: argparse.Namespace) -> int:
    """Pin the root key; a workstation without a default vault takes this one as its
    default, so that its next commands and the window open it (a new member's second
    workstation was otherwise pointed at making a vault of its own)."""
    local = LocalState()
    url = vault_url(args, local)
    with open_vault(url, local) as vault:
        pinned = vault.trust_root(args.fingerprint)
    print(
        t(
            f"Rodnøglen {pinned} er nu betroet på denne arbejdsstation.",
            f"The root key {pinned} is now trusted on this workstation.",
        )
    )
    if local.default_vault_url() is None:
        local.set_default_vault_url(url)  # saved without its password
        print(
            t(
                "Boksen er også arbejdsstationens standardboks nu: kommandoer uden --vault "
                "eller --db-url og programmets vindue åbner den.",
                "The vault is also this workstation's default vault now: commands without "
                "--vault or --db-url, and the program's window, open it.",
            )
        )
    return 0


def vault_accept_restore(args: argparse.Namespace) -> int:
    """A coordinator accepts a vault older than this workstation saw (a deliberate restore)."""
    with unlocked(args, accept_restore=True) as session:
        accepted = session.vault.accepted_restore
    if accepted is None:
        print(
            t(
                "Boksen er ikke ældre end sidst set her; der er intet at godkende.",
                "The vault is not older than last seen here; there is nothing to accept.",
            )
        )
    else:
        print(
            t(
                f"Genskabelsen er godkendt (sidst set post {accepted.seen_seq}, boksen slutter "
                f"ved {accepted.vault_seq}) og skrevet i revisionsloggen.",
                f"The restore is accepted (last seen entry {accepted.seen_seq}, the vault ends "
                f"at {accepted.vault_seq}) and recorded in the audit log.",
            )
        )
    return 0


def municipality_add(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        local = session.groups.add_municipality(args.name, args.prefix)
    if args.json:
        emit_json(
            {
                "id": str(local.id),
                "name": local.name,
                "group_id": str(local.group_id),
                "case_prefix": local.case_prefix,
            }
        )
    else:
        print(
            t(
                f"Infohus Kommune for {local.name} er oprettet med adgangskredsen "
                f"'{local.name} og politiet'.",
                f"The Infohus Kommune for {local.name} was created with the access group "
                f"'{local.name} og politiet'.",
            )
        )
    return 0


def municipality_list(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        items = session.groups.local_infohuse()
    if args.json:
        emit_json(
            [
                {
                    "id": str(i.id),
                    "name": i.name,
                    "group_id": str(i.group_id),
                    "case_prefix": i.case_prefix,
                }
                for i in items
            ]
        )
    else:
        emit_table(
            [t("Kommune", "Municipality"), t("Præfiks", "Prefix")],
            [[i.name, i.case_prefix] for i in items],
        )
    return 0


def member_add(args: argparse.Namespace) -> int:
    initial = read_passphrase_file(args.new_passphrase_file)
    with unlocked(args) as session:
        enrolment = session.accounts.add(
            args.login,
            args.name,
            args.org,
            Role(args.role),
            initial,
            OrgKind(args.org_kind) if args.org_kind else None,
        )
    member = enrolment.member
    if args.json:
        emit_json({**member_json(member), "pending_groups": enrolment.pending_groups})
        return 0
    print(
        t(
            f"{member.login} er tilføjet som {role_label(member.role).lower()} "
            f"({member.organisation_name}).",
            f"{member.login} was added as {member.role.value} ({member.organisation_name}).",
        )
    )
    print(t(f"Fingeraftryk: {member.fingerprint}", f"Fingerprint: {member.fingerprint}"))
    print(
        t(
            "Medlemmet skal skifte adgangsfrase ved første oplåsning.",
            "The member must change the passphrase at first unlock.",
        )
    )
    if enrolment.pending_groups:
        print(
            t(
                f"{enrolment.pending_groups} adgangskreds(e) deler nøglen, når et af deres "
                "medlemmer låser op næste gang.",
                f"{enrolment.pending_groups} access group(s) will share their key when one of "
                "their members unlocks next.",
            )
        )
    return 0


def member_list(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        members = session.accounts.list(include_removed=args.all)
    if args.json:
        emit_json([member_json(m) for m in members])
        return 0
    emit_table(
        [
            t("Login", "Login"),
            t("Navn", "Name"),
            t("Organisation", "Organisation"),
            t("Rolle", "Role"),
            t("Status", "Status"),
        ],
        [
            [
                m.login,
                m.name,
                m.organisation_name,
                role_label(m.role),
                t("aktiv", "active") if m.active else t("fjernet", "removed"),
            ]
            for m in members
        ],
    )
    return 0


def member_remove(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        removal = session.accounts.remove(args.login)
    member = removal.member
    if args.json:
        emit_json({**member_json(member), "pending_groups": removal.pending_groups})
        return 0
    print(
        t(
            f"{member.login} er fjernet og kan ikke læse noget, der skrives herefter.",
            f"{member.login} was removed and cannot read anything written from now on.",
        )
    )
    if removal.pending_groups:
        print(
            t(
                f"{removal.pending_groups} adgangskreds(e) får nye nøgler, når et af deres "
                "medlemmer låser op næste gang.",
                f"{removal.pending_groups} access group(s) get new keys when one of their "
                "members unlocks next.",
            )
        )
    return 0


def member_passphrase(args: argparse.Namespace) -> int:
    current = own_passphrase(args)
    with unlocked(args, current) as session:
        if args.new_passphrase_file:
            new = read_passphrase_file(args.new_passphrase_file)
        elif args.new_passphrase_stdin:
            new = str(args.stdin.next_line())
        else:
            new = prompt(t("Ny adgangsfrase: ", "New passphrase: "), confirm=True)
        session.accounts.change_passphrase(current, new)
    print(t("Adgangsfrasen er skiftet.", "The passphrase was changed."))
    return 0


def group_add(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        group = session.groups.add(args.name, args.member, args.org)
    if args.json:
        emit_json(
            {
                "id": str(group.id),
                "name": group.name,
                "kind": group.kind.value,
                "epoch": group.epoch,
                "members": len(group.member_ids),
            }
        )
    else:
        print(
            t(
                f"Adgangskredsen '{group.name}' er oprettet med {len(group.member_ids)} "
                "medlem(mer).",
                f"The access group '{group.name}' was created with {len(group.member_ids)} "
                "member(s).",
            )
        )
    return 0


def group_list(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        groups = session.groups.list()
        logins = {m.id: m.login for m in session.accounts.list(include_removed=True)}
    if args.json:
        emit_json(
            [
                {
                    "id": str(g.id),
                    "name": g.name,
                    "kind": g.kind.value,
                    "epoch": g.epoch,
                    "members": sorted(logins.get(m, str(m)) for m in g.member_ids),
                }
                for g in groups
            ]
        )
        return 0
    emit_table(
        [
            t("Adgangskreds", "Access group"),
            t("Type", "Kind"),
            t("Nøglegeneration", "Key generation"),
            t("Medlemmer", "Members"),
        ],
        [
            [
                g.name,
                t(*GROUP_KIND_LABELS[g.kind]),
                str(g.epoch),
                ", ".join(sorted(logins.get(m, "?") for m in g.member_ids)),
            ]
            for g in groups
        ],
    )
    return 0


def group_add_member(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        change = session.groups.add_member(args.group, args.login)
    _print_change(
        args,
        change.done_now,
        change.epoch,
        t(f"{args.login} er med i '{args.group}'.", f"{args.login} is now in '{args.group}'."),
    )
    return 0


def group_remove_member(args: argparse.Namespace) -> int:
    with unlocked(args) as session:
        change = session.groups.remove_member(args.group, args.login)
    _print_change(
        args,
        change.done_now,
        change.epoch,
        t(
            f"{args.login} er fjernet fra '{args.group}'; kredsen har fået nye nøgler.",
            f"{args.login} was removed from '{args.group}'; the group has new keys.",
        ),
    )
    return 0


def _print_change(args: argparse.Namespace, done: bool, epoch: int, message: str) -> None:
    if args.json:
        emit_json({"done_now": done, "epoch": epoch})
        return
    print(message)
    if not done:
        print(
            t(
                "Nøglen deles/skiftes, når et medlem af kredsen låser op næste gang.",
                "The key is shared/rotated when a member of the group unlocks next.",
            )
        )
