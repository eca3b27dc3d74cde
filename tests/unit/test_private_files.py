"""private_files: 0600 files and 0700 folders whatever the umask, existing folders untouched."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infohus_desktop import private_files
from infohus_desktop.private_files import STALE_AFTER_SECONDS, remove_stale

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")

#: No bits masked, the usual one, and one that would take the owner's own write bit.
UMASKS = [0o000, 0o022, 0o277]


@pytest.fixture(params=UMASKS, ids=[oct(u) for u in UMASKS])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_missing_folders_are_made_0700_and_existing_ones_left(umask: int, tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    target = tmp_path / "a" / "b" / "c"
    assert private_files.make_private_dir(target) == target
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", target)] == [0o700] * 3
    assert mode(tmp_path) == 0o755
    assert private_files.make_private_dir(target) == target  # again: nothing to do
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(NotADirectoryError):
        private_files.make_private_dir(tmp_path / "file")


def test_a_new_file_is_0600_an_existing_one_is_left(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "vault.sqlite"
    assert private_files.create_private_file(path) is True
    assert mode(path) == 0o600 and path.read_bytes() == b""
    path.chmod(0o644)
    assert private_files.create_private_file(path) is False
    assert mode(path) == 0o644


def test_own_files_are_made_and_tightened(umask: int, tmp_path: Path) -> None:
    path = tmp_path / "logs" / "infohus.log"
    private_files.ensure_private_file(path)
    assert (mode(path.parent), mode(path)) == (0o700, 0o600)
    path.write_bytes(b"line\n")
    path.chmod(0o664)
    fd = private_files.open_private(path, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, b"more\n")
    finally:
        os.close(fd)
    assert mode(path) == 0o600 and path.read_bytes() == b"line\nmore\n"


def test_temp_file_and_copy(umask: int, tmp_path: Path) -> None:
    fd, name = private_files.private_temp_file(tmp_path, ".x.", ".part")
    os.close(fd)
    assert mode(name) == 0o600
    source = tmp_path / "source"
    source.write_bytes(b"sealed keys")
    source.chmod(0o644)
    os.utime(source, (1_000_000, 1_000_000))
    target = tmp_path / "copy"
    private_files.copy_private(source, target)
    assert (mode(target), target.read_bytes()) == (0o600, b"sealed keys")
    assert target.stat().st_mtime == 1_000_000
    with pytest.raises(FileExistsError):
        private_files.copy_private(source, target)
    assert target.read_bytes() == b"sealed keys"


def test_sqlite_gives_wal_and_shm_the_database_files_mode(umask: int, tmp_path: Path) -> None:
    """What vault/engine.py relies on: a 0600 database file makes 0600 -wal and -shm."""
    import sqlite3

    path = tmp_path / "db.sqlite"
    private_files.create_private_file(path)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x)")
        connection.commit()
        modes = {p.name: mode(p) for p in tmp_path.iterdir()}
    finally:
        connection.close()
    assert modes == {"db.sqlite": 0o600, "db.sqlite-wal": 0o600, "db.sqlite-shm": 0o600}


def _aged(path: Path, seconds: float) -> Path:
    old = time.time() - seconds
    os.utime(path, (old, old))
    return path


def test_what_a_killed_export_left_goes_at_the_next_export_to_that_name(tmp_path: Path) -> None:
    """A ``.part`` of a killed PDF export is half a confidential document nobody asked to
    keep: the next export to the same name removes it once it is hours old; a fresh one (an
    export running now) and another name's are left alone."""
    from infohus_desktop.services.core.exports import write_export

    target = tmp_path / "referat [1].pdf"  # glob characters in the name are taken literally
    stale = tmp_path / ".referat [1].pdf.abc123.part"
    stale.write_bytes(b"%PDF-1.4 halvt referat")
    _aged(stale, STALE_AFTER_SECONDS + 60)
    running = tmp_path / ".referat [1].pdf.def456.part"
    running.write_bytes(b"%PDF-1.4 skrives nu")
    other = tmp_path / ".dagsorden.pdf.ghi789.part"
    other.write_bytes(b"%PDF-1.4")
    _aged(other, STALE_AFTER_SECONDS + 60)

    write_export(target, b"%PDF-1.4 hele referatet")

    assert target.read_bytes() == b"%PDF-1.4 hele referatet"
    assert not stale.exists() and running.exists() and other.exists()


def test_remove_stale_takes_folders_and_never_raises(tmp_path: Path) -> None:
    folder = tmp_path / "infohus-drill-x1"
    (folder / "home").mkdir(parents=True)
    (folder / "drill.sqlite").write_bytes(b"SQLite format 3\x00")
    _aged(folder, STALE_AFTER_SECONDS * 2)
    fresh = tmp_path / "infohus-drill-x2"
    fresh.mkdir()
    assert remove_stale(tmp_path, "infohus-drill-*") == 1
    assert not folder.exists() and fresh.exists()
    assert remove_stale(tmp_path / "findes-ikke", "*") == 0
