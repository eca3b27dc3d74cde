"""The workstation's checkpoint file: one signed line per checkpoint this workstation wrote,
appended after its commit, read by every verification (docs/SECURITY.md §6). Written whole
or not at all, and read so that what a crash or a full disk cut short is no broken log."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from infohus_desktop.crypto.encoding import unb64
from infohus_desktop.private_files import open_private
from infohus_desktop.vault.audit_chain import Checkpoint


def append_checkpoint_line(path: Path, line: str) -> None:
    """One whole line, or none: a full disk that took only part of it (a short write) has
    the file cut back to where it was, since a torn line would read as a broken log."""
    data = (line + "\n").encode()
    fd = open_private(path, os.O_WRONLY | os.O_APPEND)
    try:
        size = os.fstat(fd).st_size
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            os.fsync(fd)
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)


def read_checkpoint_file(path: Path, vault_id: uuid.UUID) -> Iterator[Checkpoint | None]:
    """Checkpoints of this vault in the file; ``None`` for a line that cannot be parsed. A
    last line with no end is one a crash or a full disk cut short while it was written (no
    more than a line that never came), and is passed over."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    lines = data.split(b"\n")
    lines.pop()  # after the last end of line: empty, or a line cut short
    vault_text = str(vault_id)
    for line in lines:
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            if raw["vault"] != vault_text:
                continue
            yield Checkpoint(
                int(raw["seq"]),
                str(raw["head"]),
                uuid.UUID(raw["signer"]),
                unb64(raw["sig"]),
                str(raw["at"]),
            )
        except (ValueError, KeyError, TypeError):
            yield None
