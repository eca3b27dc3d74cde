"""Python's cyclic garbage collector while an ``infohus`` command starts.

Loading SQLAlchemy, the schema and the services makes hundreds of thousands of objects that
live until the process ends, and with the default thresholds the collector walks them again
and again (about a tenth of the modules' load time, issue 17). So the command starts with young
objects collected rarely (:func:`loading`), and once the vault is open (:func:`loaded`) what
was made so far is moved out of the collector's sight (``gc.freeze``) and the default
thresholds return for the command's own work. A command that opens no vault keeps the rare
collection: it still collects, every ``LOADING_THRESHOLD`` objects, so its memory stays
bounded. Only for a process that ends with its command (``main()`` reading ``sys.argv``), not
for a caller that runs many commands in one process (the tests). The freeze comes before the
unlock: no decrypted value and no unsealed key is among the frozen objects (a passphrase read
early and the key derived from it ahead, ``services/accounts/key_ahead.py``, may be), and a
freeze never keeps alive what reference counting frees, so the unlock's dropping of the early
key and ``session.lock()``'s of the keys work as before.
"""

from __future__ import annotations

import gc

#: Young-generation threshold while modules load (the default is 700).
LOADING_THRESHOLD = 100_000
_DEFAULT = gc.get_threshold()
_loading = False


def loading() -> None:
    """Collect young objects rarely: the command is about to load its modules."""
    global _loading
    _loading = True
    gc.set_threshold(LOADING_THRESHOLD, *_DEFAULT[1:])


def loaded() -> None:
    """The modules are loaded and the vault is open, still locked: freeze what exists and
    collect as usual from here. Nothing when :func:`loading` did not run."""
    global _loading
    if not _loading:
        return
    _loading = False
    gc.freeze()
    gc.set_threshold(*_DEFAULT)
