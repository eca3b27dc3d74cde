"""The suite's one cache of compiled SQL (tests/compiled_statements.py): a second engine of
the same kind finds a statement the first compiled; an engine whose dialect compiles
differently compiles its own."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import Integer, column, create_engine, select, table
from sqlalchemy.engine import Engine

from tests.compiled_statements import OPT_OUT_VAR

STATEMENT = select(column("n", Integer)).select_from(table("numbers")).where(column("n") > 1)


def _run(engine: Engine) -> object:
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS numbers (n INTEGER)")
        result = connection.execute(STATEMENT)
        return result.context.cache_hit


@pytest.mark.skipif(os.environ.get(OPT_OUT_VAR) == "1", reason="sharing switched off")
def test_engines_of_one_kind_share_what_is_compiled_and_others_do_not() -> None:
    first, second = create_engine("sqlite://"), create_engine("sqlite://")
    other = create_engine("sqlite://", paramstyle="named")
    try:
        dialect = first.dialect
        # Earlier tests of this process may have compiled it: hit or miss, then a hit.
        assert _run(first) in (dialect.CACHE_MISS, dialect.CACHE_HIT)
        assert _run(second) == dialect.CACHE_HIT
        assert _run(first) == dialect.CACHE_HIT
        assert _run(other) == dialect.CACHE_MISS  # named parameters: compiled apart
        assert _run(other) == dialect.CACHE_HIT
    finally:
        for engine in (first, second, other):
            engine.dispose()
