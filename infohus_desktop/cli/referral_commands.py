"""`infohus referral|bundle|keys|recipient (issue 7)`: filled in by its issue."""

from __future__ import annotations

import argparse
from typing import Any


def add_referral_parsers(sub: Any, both: list[argparse.ArgumentParser]) -> None:
    """Register the commands on the top-level subparsers."""
