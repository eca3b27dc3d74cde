"""`infohus trend add|list|show and infohus stats (issue 6)`: filled in by its issue."""

from __future__ import annotations

import argparse
from typing import Any


def add_trend_parsers(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    """Register the commands on the top-level subparsers."""
