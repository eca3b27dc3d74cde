"""Writing a document the user asked for (a PDF, a CSV, a bundle) to the file they chose.

Atomic and private: a temporary file beside the target with mode 0600 from the start, fsync,
then rename, so a full disk or a crash leaves either the old file or the whole new one, never
half a confidential document. The caller audits the export *before* calling this (fail closed).
Messages never repeat the path: a file name may name a person.
"""

from __future__ import annotations

import contextlib
import glob
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from infohus_desktop.domain.errors import InvalidInput, os_reason
from infohus_desktop.private_files import private_temp_file, remove_stale, restrict_fd

T = TypeVar("T")


def write_export(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically with private permissions."""
    write_export_stream(target, lambda sink: sink.write(data))


def write_export_stream(target: Path, fill: Callable[[BinaryIO], T], mode: int = 0o600) -> T:
    """Stream a document through ``fill(sink)`` into ``target``, atomically and privately;
    ``fill``'s result is returned only once the file is renamed into place, so a caller that
    changes state because a file was written (a referral sent by bundle) does so after, never
    for a file a full disk cut short. If anything fails the temporary file is removed.
    ``mode`` is 0600 but for what is public by nature (a public key card)."""
    target = target.expanduser()
    if not target.parent.is_dir():
        raise InvalidInput(
            f"Mappen {target.parent} findes ikke. Intet er gemt.",
            f"The folder {target.parent} does not exist. Nothing was saved.",
        )
    if target.is_dir():
        raise InvalidInput(
            "Der findes en mappe med det navn. Intet er gemt.",
            "A folder has that name. Nothing was saved.",
        )
    _refuse_to_replace_a_store(target)
    remove_stale(target.parent, f".{glob.escape(target.name)}.*.part")  # a killed export's
    try:
        fd, tmp = private_temp_file(target.parent, f".{target.name}.", ".part")
    except OSError as exc:
        raise _write_error(exc) from None
    try:
        if mode != 0o600:
            restrict_fd(fd, mode)
        with os.fdopen(fd, "wb") as sink:
            result = fill(sink)
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise _write_error(exc) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return result


#: The first bytes of what an export must never replace: a vault (an SQLite database), a
#: backup (an IHK file: it may be the only good copy) and the journal files beside a vault.
_STORES = (b"SQLite format 3\x00", b"\x89IHK\r\n\x1a\n")
_VAULT_SIDE_FILES = ("-wal", "-shm", "-journal")


def _refuse_to_replace_a_store(target: Path) -> None:
    """A PDF, a CSV or a backup written over the vault itself (its own path typed by
    mistake) replaced everything since the last backup, and the command said it was saved.
    Any other existing file is replaced, as a save dialog that asked first expects."""
    if not target.is_file():
        return
    try:
        with target.open("rb") as existing:
            start = existing.read(16)
    except OSError:
        return  # not readable here: the rename's own error will say so
    if target.name.endswith(_VAULT_SIDE_FILES) or start.startswith(_STORES):
        raise InvalidInput(
            "Filen er en Infohus-boks, en sikkerhedskopi eller en af boksens filer, og den "
            "overskrives ikke. Vælg et andet filnavn. Intet er gemt.",
            "The file is an Infohus vault, a backup or one of the vault's files, and it is not "
            "replaced. Choose another file name. Nothing was saved.",
        )


def _write_error(exc: OSError) -> InvalidInput:
    da, en = os_reason(exc)
    return InvalidInput(
        f"Filen kunne ikke skrives ({da}). Intet er gemt.",
        f"The file could not be written ({en}). Nothing was saved.",
    )
