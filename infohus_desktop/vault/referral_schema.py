"""Tables of the referral feature (filled in by its issue)."""

from __future__ import annotations
