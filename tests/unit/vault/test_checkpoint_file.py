"""The workstation's checkpoint file after a full disk or a crash: a line is written whole or
not at all, and a last line cut short (or a byte that is no UTF-8) is no broken log, which
before made every later ``audit verify`` fail for good (robustness trial)."""

from __future__ import annotations

import errno
import os
import uuid
from pathlib import Path

import pytest

from infohus_desktop.vault import checkpoint_file
from infohus_desktop.vault.audit_chain import Checkpoint

VAULT = uuid.uuid4()


def _line(seq: int) -> str:
    return Checkpoint(seq, "ab" * 32, uuid.uuid4(), b"s" * 64, "2026-12-07T12:00:00Z").to_line(
        VAULT
    )


def test_a_line_a_full_disk_cut_short_is_taken_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "checkpoints.jsonl"
    checkpoint_file.append_checkpoint_line(path, _line(1))
    before = path.read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes) -> int:
        if len(data) > 20:
            return real_write(fd, data[:20])  # the disk took part of it
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(OSError, match="No space"):
        checkpoint_file.append_checkpoint_line(path, _line(2))
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [c.seq for c in checkpoint_file.read_checkpoint_file(path, VAULT) if c] == [1]


def test_a_torn_last_line_is_passed_over_and_a_bad_byte_is_one_unreadable_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "checkpoints.jsonl"
    whole = (_line(1) + "\n").encode()
    path.write_bytes(whole + b"\xff\xfe\n" + (_line(2) + "\n").encode() + _line(3).encode()[:30])
    read = list(checkpoint_file.read_checkpoint_file(path, VAULT))
    assert [c.seq if c else None for c in read] == [1, None, 2]
