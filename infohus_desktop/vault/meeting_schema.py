"""Tables of the meeting feature (filled in by its issue)."""

from __future__ import annotations
