"""Build hooks; the project itself is declared in pyproject.toml.

Every wheel and sdist gets ``infohus_desktop/_build_info.py`` with the commit it was built
from, so that ``infohus --version`` and the About dialog of an installed copy can name it
(an installed copy has no ``.git`` to read). A wheel built from an sdist, where git is not
available, keeps the file the sdist carries.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent
GENERATED = Path("infohus_desktop") / "_build_info.py"


def current_commit() -> str | None:
    """HEAD's sha, with ``-dirty`` when tracked files have changes; None outside git."""

    def git(*args: str) -> str:
        # git from PATH with fixed arguments, at build time on the builder's own checkout.
        return subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=HERE,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()

    try:
        sha = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return f"{sha[:12]}-dirty" if dirty else sha[:12]


def write_build_info(base: Path) -> None:
    sha = current_commit()
    if sha is None:
        return  # not a git checkout: an sdist's own file (if any) is already in place
    target = base / GENERATED
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        f'"""Written by setup.py when this copy was built; not in git."""\n\nCOMMIT = {sha!r}\n',
        encoding="utf-8",
    )


class BuildPyWithInfo(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads the checkout's .git itself
            write_build_info(Path(self.build_lib))


class SdistWithInfo(sdist):
    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        write_build_info(Path(base_dir))


if __name__ == "__main__":  # setuptools runs this file as __main__; the PyInstaller spec
    # loads it under another name for write_build_info.
    setup(cmdclass={"build_py": BuildPyWithInfo, "sdist": SdistWithInfo})
