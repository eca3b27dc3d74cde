"""Connection timeouts reach a workstation that names a libpq service too (issue 15)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from infohus_desktop.vault.server_link import CONNECTION_DEFAULTS, with_connection_defaults


def test_a_url_gets_every_default_it_does_not_set() -> None:
    url = with_connection_defaults(
        make_url("postgresql+psycopg://app@db/infohus?connect_timeout=3")
    )
    assert url.query["connect_timeout"] == "3"
    for key in set(CONNECTION_DEFAULTS) - {"connect_timeout"}:
        assert url.query[key] == CONNECTION_DEFAULTS[key]


def test_a_service_gets_the_defaults_its_file_leaves_open(tmp_path: Path) -> None:
    services = tmp_path / "pg_service.conf"
    services.write_text(
        "[infohus]\nhost=db.example\nsslmode=verify-full\nconnect_timeout=5\n", encoding="utf-8"
    )
    url = with_connection_defaults(
        make_url(f"postgresql+psycopg:///?service=infohus&servicefile={services}")
    )
    assert "connect_timeout" not in url.query  # the service file's 5 s stays in force
    assert url.query["keepalives"] == CONNECTION_DEFAULTS["keepalives"]
    assert url.query["tcp_user_timeout"] == CONNECTION_DEFAULTS["tcp_user_timeout"]
