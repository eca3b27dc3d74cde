"""Files and folders the product makes are the running account's alone: 0600 and 0700.

Whatever the umask: a mode given to ``open``/``mkdir`` is narrowed by the umask but never
widened, so each new file or folder is also ``chmod``-ed to exactly that mode. A vault file,
its ``-wal``/``-shm``/``-journal`` (SQLite gives them the mode of the database file), a backup,
an export, the settings, the checkpoint file and the bug log hold what a local account could
copy for offline guessing or read outright.

Folders that already exist are left as they are (a user's Documents folder is not ours to
change). On Windows the POSIX modes mean nothing: the files live under the user's profile, whose
ACLs keep other accounts out (docs/SECURITY.md §8); the calls here are then no-ops, never errors.

This module imports nothing of the project, so any layer may use it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
POSIX = os.name == "posix"
#: Bytes as they are on Windows too (no newline translation); 0 on POSIX.
_BINARY = getattr(os, "O_BINARY", 0)


def restrict_fd(fd: int, mode: int = FILE_MODE) -> None:
    """Set an open file's mode exactly (POSIX only)."""
    if POSIX:
        os.fchmod(fd, mode)


def make_private_dir(path: Path | str) -> Path:
    """Create ``path`` and every missing parent, each 0700; existing folders are untouched."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made meanwhile by another process: not ours to change
        if POSIX:
            os.chmod(folder, DIR_MODE)
    if not path.is_dir():
        raise NotADirectoryError(20, "Not a directory", str(path))
    return path


def create_private_file(path: Path | str) -> bool:
    """Create an empty 0600 file at ``path`` if there is none; ``False`` if one existed (its
    mode is then left as it is). The folder must exist."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        restrict_fd(fd)
    finally:
        os.close(fd)
    return True


def open_private(path: Path | str, flags: int) -> int:
    """``os.open`` a file of the product's own (settings, checkpoints, log) with ``O_CREAT``:
    its folders are made 0700 if missing, and the file is 0600 afterwards even if an older
    version made it wider."""
    path = Path(path)
    make_private_dir(path.parent)
    fd = os.open(path, flags | os.O_CREAT | _BINARY, FILE_MODE)
    try:
        if POSIX and os.fstat(fd).st_mode & 0o777 != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def ensure_private_file(path: Path | str) -> Path:
    """The file exists (empty if new) and is 0600, e.g. before a library opens it to append."""
    os.close(open_private(path, os.O_WRONLY | os.O_APPEND))
    return Path(path)


def private_temp_file(directory: Path, prefix: str, suffix: str) -> tuple[int, str]:
    """``mkstemp`` in an existing ``directory``, mode exactly 0600; returns (fd, name)."""
    fd, name = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=suffix)
    try:
        restrict_fd(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
    return fd, name


def copy_private(source: Path | str, target: Path | str) -> None:
    """Copy ``source`` to a new file ``target`` created 0600 (never the source's mode), with
    the source's times; fails if ``target`` exists."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, FILE_MODE)
    try:
        restrict_fd(fd)
        with open(source, "rb") as src, os.fdopen(fd, "wb", closefd=False) as sink:
            shutil.copyfileobj(src, sink)
            sink.flush()
            os.fsync(sink.fileno())
    except BaseException:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(target)
        raise
    os.close(fd)
    stat = os.stat(source)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))


#: A temporary file of ours this old is what a killed process left behind (no export, restore
#: or drill runs for hours).
STALE_AFTER_SECONDS = 6 * 3600


def remove_stale(directory: Path, pattern: str, older_than: float = STALE_AFTER_SECONDS) -> int:
    """Remove what a killed run left in ``directory``: the files and folders matching
    ``pattern`` (a glob; escape the caller's names) last changed more than ``older_than``
    seconds ago. A half-written export is plaintext nobody asked to keep; a half-restored
    vault is ciphertext that claims nothing. Never raises; returns how many went."""
    now = time.time()
    removed = 0
    try:
        found = list(directory.glob(pattern))
    except OSError:
        return 0
    for path in found:
        try:
            if now - path.lstat().st_mtime < older_than:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed += 1
        except OSError:
            continue
    return removed
