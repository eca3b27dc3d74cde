"""`infohus meeting list|show|agenda|minutes (issue 5)`: filled in by its issue."""

from __future__ import annotations

import argparse
from typing import Any


def add_meeting_parsers(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    """Register the commands on the top-level subparsers."""
