"""Danish local time: the Infohuse work in Denmark, so a time shown to a person is Copenhagen
time whatever zone the machine is set to; the database and ``--json`` keep UTC."""

from __future__ import annotations

from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")

__all__ = ["COPENHAGEN"]
