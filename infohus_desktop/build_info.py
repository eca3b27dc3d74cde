"""What this build is: its version, the commit it was built from, and the versions of the
libraries whose behaviour matters most (Qt, cryptography, SQLAlchemy).

``infohus --version`` and the app's "Om Infohus Desktop" show the same lines, so a support
question or a bug report starts from facts rather than from "the newest one, I think".

In a source checkout (an editable install) the commit is read from ``.git`` as plain files,
without running git, so it follows the checkout. Elsewhere it comes from ``_build_info.py``,
which ``setup.py`` writes into every wheel and sdist and the PyInstaller spec into a frozen
build (it is not in git; one left behind by a killed build is never mistaken for the
checkout's). Anything that cannot be found is shown as unknown, never guessed.
"""

from __future__ import annotations

import importlib
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import infohus_desktop

#: The libraries named by the About dialog and ``--version``: (label, distributions to ask, in
#: order). PyPI's Qt wheels bundle the Qt of the same version as PySide6.
LIBRARIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Qt (PySide6)", ("PySide6-Essentials", "PySide6")),
    ("cryptography", ("cryptography",)),
    ("SQLAlchemy", ("SQLAlchemy",)),
)


@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    #: True when read from a source checkout, which may hold changes not yet committed.
    from_checkout: bool


@dataclass(frozen=True, slots=True)
class BuildInfo:
    version: str
    commit: Commit | None
    libraries: tuple[tuple[str, str | None], ...]
    python: str

    def rows(
        self, unknown: str, source_tree: str, version_label: str = "Infohus Desktop"
    ) -> list[tuple[str, str]]:
        """(label, value) lines in a fixed order; ``unknown``, ``source_tree`` and
        ``version_label`` are the caller's words in its language ("ukendt", "kildetræ")."""
        if self.commit is None:
            commit = unknown
        elif self.commit.from_checkout:
            commit = f"{self.commit.sha} ({source_tree})"
        else:
            commit = self.commit.sha
        rows = [(version_label, self.version), ("Commit", commit)]
        rows += [(name, version or unknown) for name, version in self.libraries]
        rows.append(("Python", self.python))
        return rows


def build_info() -> BuildInfo:
    return BuildInfo(
        version=infohus_desktop.__version__,
        commit=commit(),
        libraries=tuple((label, _distribution_version(dists)) for label, dists in LIBRARIES),
        python=platform.python_version(),
    )


def commit() -> Commit | None:
    """The source checkout's HEAD, else the commit written at build time, else None."""
    sha = _checkout_head(Path(infohus_desktop.__file__).resolve().parent.parent)
    if sha:
        return Commit(sha, from_checkout=True)
    try:
        generated = importlib.import_module("infohus_desktop._build_info")
    except ImportError:
        return None
    value = getattr(generated, "COMMIT", None)
    return Commit(value, from_checkout=False) if isinstance(value, str) and value else None


def _distribution_version(names: tuple[str, ...]) -> str | None:
    for name in names:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def _checkout_head(root: Path) -> str | None:
    """HEAD of the git checkout at ``root``, read from its files: a branch ref, a worktree's
    ref in the shared repository, or a packed ref. Running ``git`` here would let the
    checkout's configuration run commands inside the app."""
    dot_git = root / ".git"
    try:
        if dot_git.is_file():  # a worktree: "gitdir: /path/to/repo/.git/worktrees/name"
            git_dir = (root / dot_git.read_text().removeprefix("gitdir:").strip()).resolve()
        elif dot_git.is_dir():
            git_dir = dot_git
        else:
            return None
        head = (git_dir / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return _short(head)  # a detached HEAD holds the sha itself
        ref = head.removeprefix("ref:").strip()
        common = git_dir
        if (git_dir / "commondir").is_file():
            common = (git_dir / (git_dir / "commondir").read_text().strip()).resolve()
        for base in (git_dir, common):
            if (base / ref).is_file():
                return _short((base / ref).read_text().strip())
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text().splitlines():
                sha, _, name = line.partition(" ")
                if name == ref:
                    return _short(sha)
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _short(sha: str) -> str | None:
    return sha[:12] if len(sha) >= 12 and all(c in "0123456789abcdef" for c in sha) else None
