"""A vault file keeps migrating itself when opened (it has no server administrator), and a
file written by a newer program says "opdatér Infohus Desktop" instead of failing somewhere
inside the migrations (issue 15; the server's side is in test_server_setup.py)."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from infohus_desktop.cli import main
from infohus_desktop.domain.errors import SchemaMismatch
from infohus_desktop.local_state import LocalState
from infohus_desktop.services.front_door import Vault
from infohus_desktop.vault import schema_match
from tests.integration.conftest import COORDINATOR_PASS, new_vault


def _made(tmp_path: Path) -> str:
    url = f"sqlite+pysqlite:///{tmp_path}/vault.sqlite"
    lars = new_vault(url)
    lars.lock()
    lars.vault.close()
    return url


def test_a_vault_file_still_migrates_itself(tmp_path: Path, cheap_kdf: None) -> None:
    url = _made(tmp_path)
    engine = create_engine(url)
    assert schema_match.may_migrate(engine)
    engine.dispose()
    with Vault.open(url, LocalState()) as vault:
        session = vault.unlock("lars", COORDINATOR_PASS, sleep=lambda _s: None)
        assert session.member.login == "lars"
        session.lock()


def test_a_vault_file_from_a_newer_program_says_update_infohus_desktop(
    tmp_path: Path, cheap_kdf: None
) -> None:
    url = _made(tmp_path)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(SchemaMismatch) as caught:
        Vault.open(url, LocalState())
    assert "opdatér Infohus Desktop" in caught.value.message("da")
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(out):
        code = main(["vault", "info", "--vault", url.split("///", 1)[1]])
    assert code == 13 and "opdatér Infohus Desktop" in out.getvalue()
