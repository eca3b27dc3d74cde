"""The addresses a person types for a vault: libpq's short ``postgres://`` is a server like
``postgresql://``, and anything else is bad input (exit 2), not an unavailable database."""

from __future__ import annotations

import pytest

from infohus_desktop.domain.errors import InvalidInput
from infohus_desktop.vault.engine import create_vault_engine


def test_the_short_scheme_is_a_postgresql_server() -> None:
    engine = create_vault_engine(
        "postgres://infohus_app@db.example:5432/infohus?sslmode=verify-full"
    )
    try:
        assert (engine.url.get_backend_name(), engine.url.get_driver_name()) == (
            "postgresql",
            "psycopg",
        )
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", ["mysql://x@y/z", "::not a url::"])
def test_other_addresses_are_bad_input(url: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        create_vault_engine(url)
    assert caught.value.exit_code == 2
    assert "postgresql+psycopg://bruger@vært/database" in caught.value.message("da")
