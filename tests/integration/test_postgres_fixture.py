"""The db_url fixture gives a working SQLite file and a working PostgreSQL 15 database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, make_url, text


def test_db_url_connects(db_url: str) -> None:
    url = make_url(db_url)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT 1")).scalar_one() == 1
            if url.get_backend_name() == "postgresql":
                assert url.drivername == "postgresql+psycopg"
                assert url.database is not None
                assert url.database.startswith("infohus_t_")
                version = str(conn.execute(text("SHOW server_version")).scalar_one())
                assert version.startswith("15"), version
    finally:
        engine.dispose()
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        assert Path(url.database).is_file()
