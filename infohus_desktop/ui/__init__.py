"""The desktop app (PySide6). The only layer that imports Qt; it talks to ``services/`` and
runs every call that may derive a key, query the database or decrypt on a worker thread
(``ui/tasks.py``)."""

from infohus_desktop.ui.heap import skip_feature_source_reads

skip_feature_source_reads()  # before the views import SQLAlchemy and the services
