"""A deletion killed with SIGKILL leaves the whole case or the whole deletion, never a mix
(issue 12), on SQLite and PostgreSQL.

A child process unlocks the vault as the coordinator and deletes a closed case with journal
entries and an attachment; at one of three points it kills itself: with the case's parts
already deleted (the tombstone being signed), with everything flushed and the audit entry
written but not committed, and after the commit before the write-ahead log is emptied. The
test then opens the vault as the coordinator does next morning.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from infohus_desktop.domain.errors import InfohusError
from infohus_desktop.domain.retention import add_months
from tests.integration.conftest import District
from tests.integration.test_retention import ATTACHMENT, JOURNAL, _case_rows, _closed_case

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import date

    from infohus_desktop.crypto import kdf
    from infohus_desktop.local_state import LocalState
    from infohus_desktop.services.front_door import Vault
    from infohus_desktop.services.retention import deletion

    url, passphrase, number, point = sys.argv[1:5]
    # The test vault's members have the tests' cheap key-derivation parameters.
    kdf._set_floor_for_tests(kdf.KdfParams(memory_kib=64, iterations=1, lanes=1))

    def die(*_args, **_kwargs):
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    # Where to die: inside the deletion's transaction, or just after its commit.
    target = {"parts": "sign_tombstone", "uncommitted": "tombstone_of", "committed": "empty_wal"}
    setattr(deletion, target[point], die)
    session = Vault.open(url, LocalState()).unlock("lars", passphrase, sleep=lambda _s: None)
    session.retention.delete(number, "Kill test", today=date(2100, 1, 1))
    sys.exit(3)  # not reached: the deletion dies on the way
    """
)


def _kill_during_deletion(district: District, number: str, point: str, tmp: Path) -> None:
    script = tmp / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), district.url, district.passphrases["lars"], number, point],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        cwd=tmp,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.parametrize("point", ["parts", "uncommitted"])
def test_a_deletion_killed_before_its_commit_leaves_the_whole_case(
    district: District, point: str, tmp_path: Path
) -> None:
    case = _closed_case(district.coordinator)
    rows = _case_rows(district, case.id)
    _kill_during_deletion(district, case.number, point, tmp_path)

    lars = district.unlock("lars")
    assert _case_rows(district, case.id) == rows
    shown = lars.cases.show(case.number)
    assert [e.text for e in shown.journal if e.text == JOURNAL]
    [attachment] = lars.attachments.list(case.number)
    sink = _Sink()
    lars.attachments.read(case.number, attachment.id, sink)
    assert sink.data == ATTACHMENT
    assert lars.retention.tombstones() == []
    assert lars.audit.verify().ok
    # And the deletion can be done now.
    later = add_months(date.today(), 40)
    assert lars.retention.delete(case.number, "Slettefrist udløbet", today=later).number


def test_a_deletion_killed_after_its_commit_is_whole(district: District, tmp_path: Path) -> None:
    case = _closed_case(district.coordinator)
    _kill_during_deletion(district, case.number, "committed", tmp_path)

    lars = district.unlock("lars")
    assert _case_rows(district, case.id) == {}
    with pytest.raises(InfohusError):
        lars.cases.show(case.number)
    [stone] = lars.retention.tombstones()
    assert stone.number == case.number and stone.reason == "Kill test"
    assert lars.audit.verify().ok
    assert [e.action for e in lars.audit.list(action="case.delete")] == ["case.delete"]


class _Sink:
    def __init__(self) -> None:
        self.data = b""

    def write(self, chunk: bytes) -> int:
        self.data += chunk
        return len(chunk)
