"""The tables that only grow, and how a PostgreSQL server enforces it (issue 15).

The audit log (``audit_entries``, ``audit_sessions``, ``audit_prunings``), its checkpoints,
the case journal and the deletion register (``case_tombstones``) are written once and never
changed. On a server set up with ``infohus server init`` the application role may only
``INSERT`` there (services/server_setup/privileges.py), and the triggers below refuse an
``UPDATE``, a ``DELETE`` or a ``TRUNCATE`` from *anyone*, the tables' owner included, so a
mistake made by hand in ``psql`` is caught too. Only a role that may disable triggers (the
owner, deliberately, with ``ALTER TABLE … DISABLE TRIGGER``, or a superuser) gets past them.

Two deletions belong to the program and stay possible, each only in the shape it has:

* a case deleted after retention takes its whole journal with it
  (services/retention/deletion.py): ``infohus_delete_case_journal(case)``, a SECURITY DEFINER
  function owned by the owner role, deletes the rows, and a deferred check refuses the
  commit unless the case row is gone and its tombstone written in the same transaction;
* a coordinator prunes audit entries older than the log's retention period behind a signed
  summary (services/audit/pruning.py): ``infohus_prune_audit(first, last)`` deletes the
  entries and the checkpoints up to ``last``, and a deferred check refuses the commit unless
  an ``audit_prunings`` row covers every entry and checkpoint that went, and every entry that
  went is older than the server's floor for the log (``infohus_server_policy.audit_keep``,
  13 months, the program's own floor; a checkpoint may be up to 31 days younger, since it is
  signed when its session ends). The summary's signature is checked by ``audit verify``; the
  server checks that one is there. Without the age floor the application role, whose
  password every workstation holds, could add a summary of its own and erase the recent log
  with the function; with it, it can erase only what is old enough to be pruned anyway. The
  floor is a table only the owner may change, not a setting a session could override.

The SQL is applied by ``infohus server migrate`` after every migration (idempotent), not by an
Alembic revision: it names roles of one server's setup, it must be owned by the owner role,
and a vault on a PostgreSQL database that was not set up for sharing keeps working as before.
SQLite has no roles; there the ORM guards of case_schema.py are what holds.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Connection, delete, text
from sqlalchemy.orm import Session

from infohus_desktop.vault.case_schema import CASE_DELETION_INFO, JournalRow
from infohus_desktop.vault.schema import AuditCheckpointRow, AuditEntryRow

#: Insert-only for the application role, guarded by triggers.
APPEND_ONLY_TABLES = (
    "audit_entries",
    "audit_sessions",
    "audit_prunings",
    "audit_checkpoints",
    "case_journal",
    "case_tombstones",
)
#: Of those, the ones where exactly one program path may delete (see the module docstring).
_DELETE_CHECKED = {
    "audit_entries": "infohus_check_pruned_entry",
    "audit_checkpoints": "infohus_check_pruned_checkpoint",
    "case_journal": "infohus_check_deleted_case",
}
#: The owner's policy for the functions below: the application role may only read it.
POLICY_TABLE = "infohus_server_policy"
#: The functions the application role may call.
APP_FUNCTIONS = (
    "public.infohus_delete_case_journal(text)",
    "public.infohus_prune_audit(integer, integer)",
)

_FUNCTIONS = r"""
CREATE TABLE IF NOT EXISTS public.infohus_server_policy (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    audit_keep interval NOT NULL
);
INSERT INTO public.infohus_server_policy (one, audit_keep)
    VALUES (true, interval '13 months') ON CONFLICT (one) DO NOTHING;

CREATE OR REPLACE FUNCTION public.infohus_audit_keep() RETURNS interval
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT COALESCE((SELECT p.audit_keep FROM public.infohus_server_policy p),
                    interval '13 months')
$$;

CREATE OR REPLACE FUNCTION public.infohus_refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'infohus: % on % refused: its rows are never changed or deleted',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE OR REPLACE FUNCTION public.infohus_check_deleted_case() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM public.cases c WHERE c.id = OLD.case_id)
       OR NOT EXISTS (SELECT 1 FROM public.case_tombstones t WHERE t.id = OLD.case_id) THEN
        RAISE EXCEPTION 'infohus: journal entries go only with the deletion of their case'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION public.infohus_check_pruned_entry() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.audit_prunings p
                   WHERE OLD.seq BETWEEN p.first_seq AND p.last_seq)
       OR OLD.at::timestamptz > now() - public.infohus_audit_keep() THEN
        RAISE EXCEPTION 'infohus: audit entries go only behind a pruning summary, when old'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION public.infohus_check_pruned_checkpoint() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM public.audit_prunings p WHERE OLD.seq <= p.last_seq)
       OR OLD.at::timestamptz > now() - public.infohus_audit_keep() + interval '31 days' THEN
        RAISE EXCEPTION 'infohus: audit checkpoints go only behind a pruning summary'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION public.infohus_delete_case_journal(p_case text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n integer;
BEGIN
    DELETE FROM public.case_journal j WHERE j.case_id = p_case;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

CREATE OR REPLACE FUNCTION public.infohus_prune_audit(p_first integer, p_last integer)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n integer;
BEGIN
    DELETE FROM public.audit_checkpoints c WHERE c.seq <= p_last;
    DELETE FROM public.audit_entries e WHERE e.seq BETWEEN p_first AND p_last;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

REVOKE ALL ON FUNCTION public.infohus_delete_case_journal(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION public.infohus_prune_audit(integer, integer) FROM PUBLIC;
"""


def install_statements() -> list[str]:
    """The functions and triggers, as statements to run in one transaction as the owner.
    Every trigger is dropped and made again, so running it twice changes nothing."""
    statements = [_FUNCTIONS]
    for table in APPEND_ONLY_TABLES:
        statements.append(f"DROP TRIGGER IF EXISTS infohus_append_only ON public.{table}")
        statements.append(f"DROP TRIGGER IF EXISTS infohus_no_truncate ON public.{table}")
        statements.append(f"DROP TRIGGER IF EXISTS infohus_checked_delete ON public.{table}")
        events = "UPDATE" if table in _DELETE_CHECKED else "UPDATE OR DELETE"
        statements.append(
            f"CREATE TRIGGER infohus_append_only BEFORE {events} ON public.{table} "
            "FOR EACH ROW EXECUTE FUNCTION public.infohus_refuse_change()"
        )
        statements.append(
            f"CREATE TRIGGER infohus_no_truncate BEFORE TRUNCATE ON public.{table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION public.infohus_refuse_change()"
        )
        if table in _DELETE_CHECKED:
            statements.append(
                f"CREATE CONSTRAINT TRIGGER infohus_checked_delete AFTER DELETE ON "
                f"public.{table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                f"EXECUTE FUNCTION public.{_DELETE_CHECKED[table]}()"
            )
    return statements


def _guarded(session: Session) -> bool:
    """Whether this vault's server has the functions above (a server set up for sharing)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    found = session.execute(
        text("SELECT to_regprocedure('public.infohus_delete_case_journal(text)')")
    ).scalar()
    return found is not None


def delete_case_journal(session: Session, case_id: uuid.UUID) -> None:
    """Delete a case's whole journal, as the case's deletion does and nothing else may."""
    if _guarded(session):
        session.execute(
            text("SELECT public.infohus_delete_case_journal(:case)"), {"case": str(case_id)}
        )
        return
    session.info[CASE_DELETION_INFO] = True  # the journal's ORM guard lets its rows go
    try:
        session.execute(delete(JournalRow).where(JournalRow.case_id == case_id))
    finally:
        session.info.pop(CASE_DELETION_INFO, None)


def delete_pruned_audit(session: Session, first_seq: int, last_seq: int) -> None:
    """Delete audit entries ``first_seq``..``last_seq`` and the checkpoints up to
    ``last_seq``; the pruning summary must be added in the same transaction."""
    if _guarded(session):
        session.execute(
            text("SELECT public.infohus_prune_audit(:first, :last)"),
            {"first": first_seq, "last": last_seq},
        )
        return
    session.execute(delete(AuditCheckpointRow).where(AuditCheckpointRow.seq <= last_seq))
    session.execute(
        delete(AuditEntryRow).where(
            (AuditEntryRow.seq >= first_seq) & (AuditEntryRow.seq <= last_seq)
        )
    )


def installed(connection: Connection) -> list[str]:
    """The append-only tables that have the guarding trigger (for checks and tests)."""
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'infohus_append_only' AND NOT t.tgisinternal"
        )
    ).scalars()
    return sorted(str(r) for r in rows)
