"""What ``--version`` and the About dialog say about the build: the generated commit first,
then a source checkout's HEAD read from its files, else "unknown" (never a guess)."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

import pytest

from infohus_desktop import build_info
from infohus_desktop.build_info import BuildInfo, Commit

SHA = "0123456789abcdef0123456789abcdef01234567"
OTHER = "fedcba9876543210fedcba9876543210fedcba98"


def test_a_branch_ref_is_read_from_the_repository(tmp_path: Path) -> None:
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(SHA + "\n")
    assert build_info._checkout_head(tmp_path) == SHA[:12]


def test_a_packed_ref_and_a_detached_head(tmp_path: Path) -> None:
    git = tmp_path / ".git"
    git.mkdir()
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "packed-refs").write_text(
        f"# pack-refs with: peeled\n{OTHER} refs/heads/other\n{SHA} refs/heads/main\n"
    )
    assert build_info._checkout_head(tmp_path) == SHA[:12]
    (git / "HEAD").write_text(OTHER + "\n")
    assert build_info._checkout_head(tmp_path) == OTHER[:12]


def test_a_worktree_reads_its_branch_from_the_shared_repository(tmp_path: Path) -> None:
    repo = tmp_path / "main" / ".git"
    private = repo / "worktrees" / "wt"
    private.mkdir(parents=True)
    (repo / "refs" / "heads").mkdir(parents=True)
    (repo / "refs" / "heads" / "topic").write_text(SHA + "\n")
    (private / "HEAD").write_text("ref: refs/heads/topic\n")
    (private / "commondir").write_text("../..\n")
    tree = tmp_path / "wt"
    tree.mkdir()
    (tree / ".git").write_text(f"gitdir: {private}\n")
    assert build_info._checkout_head(tree) == SHA[:12]


def test_no_checkout_or_a_broken_one_is_unknown(tmp_path: Path) -> None:
    assert build_info._checkout_head(tmp_path) is None
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/gone\n")
    assert build_info._checkout_head(tmp_path) is None
    (tmp_path / ".git" / "HEAD").write_text("not a sha\n")
    assert build_info._checkout_head(tmp_path) is None


def test_an_installed_copy_names_the_commit_written_at_build_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    generated = types.ModuleType("infohus_desktop._build_info")
    generated.COMMIT = "abcdef123456-dirty"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "infohus_desktop._build_info", generated)
    monkeypatch.setattr(build_info, "_checkout_head", lambda _root: None)  # no .git beside it
    assert build_info.commit() == Commit("abcdef123456-dirty", from_checkout=False)
    monkeypatch.delitem(sys.modules, "infohus_desktop._build_info")
    monkeypatch.setattr(importlib, "import_module", _no_module)
    assert build_info.commit() is None


def _no_module(name: str) -> types.ModuleType:
    raise ModuleNotFoundError(name)


def test_a_checkout_reads_its_own_head_over_a_stale_generated_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A _build_info.py left in the tree by a killed frozen build must not freeze the commit."""
    stale = types.ModuleType("infohus_desktop._build_info")
    stale.COMMIT = "000000000000"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "infohus_desktop._build_info", stale)
    monkeypatch.setattr(build_info, "_checkout_head", lambda _root: SHA[:12])
    assert build_info.commit() == Commit(SHA[:12], from_checkout=True)


def test_rows_name_the_version_commit_and_libraries() -> None:
    info = BuildInfo(
        version="1.2.3",
        commit=None,
        libraries=(("Qt (PySide6)", "6.9.0"), ("cryptography", None), ("SQLAlchemy", "2.0.40")),
        python="3.11.9",
    )
    assert info.rows("ukendt", "kildetræ") == [
        ("Infohus Desktop", "1.2.3"),
        ("Commit", "ukendt"),
        ("Qt (PySide6)", "6.9.0"),
        ("cryptography", "ukendt"),
        ("SQLAlchemy", "2.0.40"),
        ("Python", "3.11.9"),
    ]
    checkout = BuildInfo("1.2.3", Commit("0123456789ab", True), (), "3.11.9")
    assert ("Commit", "0123456789ab (source tree)") in checkout.rows("unknown", "source tree")


def test_this_installation_is_described() -> None:
    from importlib import metadata

    import infohus_desktop

    rows = dict(build_info.build_info().rows("ukendt", "kildetræ"))
    assert rows["Infohus Desktop"] == infohus_desktop.__version__
    assert rows["cryptography"] == metadata.version("cryptography")
    assert rows["SQLAlchemy"] == metadata.version("SQLAlchemy")
    assert rows["Qt (PySide6)"] == metadata.version("PySide6-Essentials")
    # Run from a git checkout (the test suite) or from a wheel: a commit either way.
    assert rows["Commit"] != "ukendt"
