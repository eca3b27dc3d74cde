"""After a large load: give the freed memory back to the system (Linux with glibc only) and
keep the loaded objects out of the cyclic garbage collector's full passes.

Listing 100,000 cases makes and drops several hundred megabytes of short-lived objects on the
worker (ciphertexts, rows, decoded JSON). glibc keeps what is freed in its heaps for reuse, so
the process went on holding 6 to 8 MiB more than it uses; ``malloc_trim(0)`` hands the free
pages of every heap back (measured at 100,000 cases: 362 to 356 MiB, in 0.6 ms).
Elsewhere (macOS, Windows, musl) this does nothing: their allocators behave otherwise, and
nothing here is needed for correctness.

The garbage collector: with 100,000 cases listed the process holds about 565,000 objects the
collector tracks (summaries, their ids and dates, the model's lists), and a full collection
walks all of them: 285 ms on this machine, on whichever thread triggers it, the GUI thread
included (a frozen table while typing). Those objects are acyclic and live until the list
is reloaded or the vault is locked, so after the load :func:`settle_after_load` moves
everything alive to the collector's permanent generation (``gc.freeze``, as large Python
services do after start-up): later collections walk only what was made since. Frozen
objects are still freed by reference counting when the session drops them; only a cycle
among them would wait, and :func:`collect_after_lock` hands them back to the collector
(``gc.unfreeze``) and collects in full once the vault is locked, on the GUI thread: a cycle
may hold a widget (a closed dialog, the page taken down), and a widget freed on another
thread crashes the program.

Where the collector runs: on the GUI thread only, while a window is open
(:class:`GuiThreadCollection`). Python's own collector runs on whichever thread allocates
when a threshold is passed, the worker included, and a collection frees whatever reference
cycles hold: a widget in one (a closed dialog, a page taken down) freed on the worker
crashes the program. So the window turns the automatic collector off and looks once a
second, on the GUI thread, whether a collection is due by the collector's own thresholds,
and runs it there while the worker has no job (a job's objects wait for its end; a list's are
frozen by :func:`settle_after_load` instead of walked). A full collection runs at most every
five minutes so (and at every lock), not each time the thresholds would start one. The
worker's bulk load then needs no pause of its own (``summary_index.collector_paused`` sees the
collector off) and no full collection after it: 80 to 100 ms less at 100,000 cases.

Source lines: PySide6 looks at the source of every module imported after it (does it use
PySide's ``__feature__`` switches?) through ``inspect.getsource``, and ``linecache`` keeps
every line it read: about 25 MiB for SQLAlchemy, the services and the views, held for the
process's life although nothing reads them again (a traceback reads its few lines anew).
The answer matters only to a module that switches those features, which this program never
does (and such a module registers itself when it imports ``__feature__``), so
:func:`skip_feature_source_reads` (run when ``infohus_desktop.ui`` is imported) lets every
module count as not switching them, without reading its source: 27 MiB less at the unlock
screen, as the lines no longer lie between the modules' code. Should a PySide6 release read
them otherwise, :func:`forget_source_lines` still drops what ``linecache`` kept once the
vault is open behind the unlock screen, when everything the session needs is imported.
"""

from __future__ import annotations

import gc
import importlib
import linecache
import sys
from collections.abc import Callable
from time import monotonic

from PySide6.QtCore import QObject, QTimer

_trim: Callable[[int], int] | None = None
_looked_up = False


def _malloc_trim() -> Callable[[int], int] | None:
    global _trim, _looked_up
    if not _looked_up:
        _looked_up = True
        if sys.platform.startswith("linux"):
            import ctypes  # here: the unlock screen does not need it (issue 17)

            try:
                _trim = ctypes.CDLL("libc.so.6").malloc_trim
            except (OSError, AttributeError):  # not glibc
                _trim = None
    return _trim


def release_free_memory() -> None:
    """Return the C heap's free pages to the system (see the module docstring)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


#: PySide6's look at an imported module (``PySide6/support/feature.py``).
_FEATURE_LOOK = "_mod_uses_pyside"


def _switches_no_feature(_module: object) -> bool:
    return False


def skip_feature_source_reads() -> None:
    """PySide6 no longer reads each imported module's source (see the module docstring).
    Its look-up is a private function: when a release has none, nothing changes."""
    try:  # not in PySide6's type stubs
        feature = importlib.import_module("PySide6.support.feature")
    except ImportError:
        return
    if callable(getattr(feature, _FEATURE_LOOK, None)):
        setattr(feature, _FEATURE_LOOK, _switches_no_feature)


def forget_source_lines(worker_idle: bool) -> None:
    """Drop the source lines ``linecache`` holds (see the module docstring). Only while no
    other thread can be importing: ``linecache`` is not safe against a clear while another
    thread reads it, so the caller runs on the GUI thread and says whether the worker (one
    thread) is idle; while it has a job, nothing is cleared."""
    if worker_idle:
        linecache.clearcache()


#: A young generation at most this large is collected before a list is frozen; a larger one
#: holds the list itself, alive, and is frozen without being walked (settle_after_load).
WALK_AT_MOST = 100_000


def settle_after_load() -> None:
    """After a large list is shown: trim the C heap and freeze what is alive (see above).
    The young generations are collected first when that is cheap: where the collector ran
    during the load (a caller without the window, whose load ended with a full collection
    in ``summary_index.collector_paused``). In the window it did not, and the young
    generation holds the whole list, which a collection would walk on the GUI thread
    (30 to 50 ms at 100,000 cases) to find nothing: the load makes no cycles. What garbage is
    frozen with the list waits for the lock, which collects it."""
    if gc.get_count()[0] <= WALK_AT_MOST:
        gc.collect(1)
    gc.freeze()
    release_free_memory()


def collect_after_lock() -> None:
    """GUI thread, once the lock has dropped the session's keys: the frozen objects go back
    to the collector, which then runs in full, so that nothing of the locked session waits
    in a reference cycle (a dialog's callback, a detached row holding a key) for a
    collection that an idle unlock screen may not trigger for hours. On the GUI thread, not
    the worker: what a cycle holds may be a widget, which must be freed on the GUI thread
    (the worker collected here until a test worker crashed so). It walks what is left once
    the summaries are gone: about 70 ms at 100,000 cases, behind the unlock screen. The
    memory freed goes back to the system on the worker (:func:`release_free_memory`)."""
    gc.unfreeze()
    gc.collect()


#: How often the GUI thread looks whether a collection is due (see GuiThreadCollection).
LOOK_EVERY_MS = 1000
#: The fewest seconds between two full collections the GUI thread starts on its own.
FULL_EVERY_S = 300.0

#: Windows whose GUI thread runs the collector now, and whether it ran on its own before.
_collecting = 0
_enabled_before = True


class GuiThreadCollection(QObject):
    """The cyclic garbage collector of this process, run on the GUI thread only (see the
    module docstring) from construction until :meth:`stop`. ``worker_busy``: whether the
    window's worker has a job now; nothing is collected until it has none."""

    def __init__(self, parent: QObject, worker_busy: Callable[[], bool]) -> None:
        super().__init__(parent)
        global _collecting, _enabled_before
        if _collecting == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _collecting += 1
        self._worker_busy = worker_busy
        self._last_full = monotonic()
        self._running = True
        self._timer = QTimer(self)
        self._timer.setInterval(LOOK_EVERY_MS)
        self._timer.timeout.connect(self.look)
        self._timer.start()

    def stop(self) -> None:
        """Hand the collection back to Python once no window runs it (the window closes)."""
        global _collecting
        if not self._running:
            return
        self._running = False
        self._timer.stop()
        _collecting -= 1
        if _collecting == 0 and _enabled_before:
            gc.enable()

    def look(self) -> int | None:
        """Collect the generation the collector's thresholds call for, if any and if the
        worker is idle; the generation collected, or None. A collector that something
        turned on again meanwhile is turned off first: a bulk load that paused it before the
        window opened (``summary_index.collector_paused``) turns it back on when it ends."""
        if not self._running:
            return None
        if gc.isenabled():
            gc.disable()
        if self._worker_busy():
            return None
        young, middle, old = gc.get_count()
        young_at, middle_at, old_at = gc.get_threshold()
        if young <= young_at:
            return None
        generation = 0
        if middle > middle_at:
            generation = 1
            now = monotonic()
            if old > old_at and now - self._last_full >= FULL_EVERY_S:
                generation = 2
                self._last_full = now
        gc.collect(generation)
        return generation
