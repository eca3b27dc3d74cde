"""The desktop app (PySide6). The only layer that imports Qt; it talks to ``services/`` and
runs every call that may derive a key, query the database or decrypt on a worker thread
(``ui/tasks.py``)."""
