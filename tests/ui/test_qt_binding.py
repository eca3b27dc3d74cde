"""The Qt binding keeps Python's reference counts when the worker hands results back.

PySide6 6.12.0 dropped a reference to ``True``/``False``/``None`` on every signal with
object arguments emitted from a worker thread (exactly what ``ui/tasks.py`` does for every
service call), and the process aborted after a few hundred results. ``pyproject.toml`` keeps
that release out; this test fails if a binding with the fault comes back. It runs in a
subprocess because the fault kills the interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

PROBE = textwrap.dedent(
    """
    import sys, threading
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    app = QCoreApplication([])

    class Relay(QObject):
        finished = Signal(int, object, object)

    received = []
    relay = Relay()
    relay.finished.connect(lambda i, result, error: received.append(i))
    counts = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))

    def worker():
        for i in range(3000):
            relay.finished.emit(i, None if i % 2 else [i], None)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    for _ in range(100):
        app.processEvents()
    after = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    assert len(received) == 3000, len(received)
    assert all(b >= a - 50 for a, b in zip(counts, after)), (counts, after)
    print("ok")
    """
)


def test_results_from_the_worker_leave_reference_counts_intact() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
