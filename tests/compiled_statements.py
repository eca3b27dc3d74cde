"""One cache of compiled SQL for every engine of a test process.

SQLAlchemy compiles each statement once per engine: the cache key holds the dialect
*instance*, and every engine makes its own. The program opens one engine per vault and keeps
it, so it compiles each statement once. The suite opens a fresh database, and so a fresh
engine, in nearly every test; and every test compiled again the hundred-odd statements of an
unlock and of whatever it did next. That was a fifth to a third of an integration test's
time, the largest single cost of the suite.

Here, each engine's cache (and each mapper's cache of flush statements) looks statements up
under the first dialect seen of the same kind: the dialect class, the server's version and
the settings that shape the SQL or the parameters (:func:`_compiles_alike`). Every engine
still runs every statement on its own connection. What a test sees is the SQL, and that is
the same; it simply finds it compiled.

``INFOHUS_TEST_OWN_COMPILE=1`` leaves SQLAlchemy as it is, each engine compiling for itself
(slower; for a doubt about this module). If a later SQLAlchemy no longer has the private
attributes used here, nothing is shared and the suite only runs slower.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Hashable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import Mapper

OPT_OUT_VAR = "INFOHUS_TEST_OWN_COMPILE"

#: Dialect settings that change the SQL text, the parameter format or the values' conversion:
#: two dialects that agree on all of them compile every statement alike.
_SETTINGS = (
    "server_version_info",
    "paramstyle",
    "positional",
    "label_length",
    "max_identifier_length",
    "supports_native_boolean",
    "supports_native_decimal",
    "use_insertmanyvalues",
    "insert_returning",
    "update_returning",
    "delete_returning",
    "_json_serializer",
    "_json_deserializer",
    "default_schema_name",
    "isolation_level",
)


def _compiles_alike(dialect: Dialect) -> Hashable:
    return (type(dialect), *(repr(getattr(dialect, name, None)) for name in _SETTINGS))


class SharedCompiledStatements:
    """The mapping SQLAlchemy asks for compiled statements (``get`` and item assignment),
    with the key's dialect replaced by the first dialect seen that compiles alike."""

    def __init__(self) -> None:
        self._compiled: dict[Hashable, Any] = {}
        self._first_alike: dict[Hashable, Dialect] = {}
        #: Each dialect's first alike, found at its first statement (after the connection
        #: set its server version), not worked out again for every statement.
        self._stand_in: weakref.WeakKeyDictionary[Dialect, Dialect] = weakref.WeakKeyDictionary()

    def _key(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        dialect = key[0]
        if not isinstance(dialect, Dialect):
            return key
        first = self._stand_in.get(dialect)
        if first is None:
            first = self._first_alike.setdefault(_compiles_alike(dialect), dialect)
            self._stand_in[dialect] = first
        return (first, *key[1:])

    def get(self, key: tuple[Any, ...], default: Any = None) -> Any:
        return self._compiled.get(self._key(key), default)

    def __setitem__(self, key: tuple[Any, ...], value: Any) -> None:
        self._compiled[self._key(key)] = value

    def __len__(self) -> int:
        return len(self._compiled)

    def clear(self) -> None:
        """``Engine.clear_compiled_cache``: the statements stay for the other engines."""


def share_compiled_statements() -> None:
    """Give every engine (and every mapper, for its flush statements) the process's one
    :class:`SharedCompiledStatements` from its first connection on."""
    if os.environ.get(OPT_OUT_VAR) == "1":
        return
    shared = SharedCompiledStatements()

    @event.listens_for(Engine, "engine_connect")
    def _share(connection: Connection) -> None:
        engine = connection.engine
        if getattr(engine, "_compiled_cache", None) is not None:
            engine._compiled_cache = shared  # type: ignore[assignment]

    @event.listens_for(Mapper, "mapper_configured")
    def _share_flushes(mapper: Mapper[Any], _class: type) -> None:
        if hasattr(type(mapper), "_compiled_cache"):
            mapper.__dict__["_compiled_cache"] = shared
