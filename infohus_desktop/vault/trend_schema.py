"""Tables of the trend feature (filled in by its issue)."""

from __future__ import annotations
