"""``infohus referral export``, ``infohus bundle|keys|recipient …``: the bundle helper's."""

from __future__ import annotations

import argparse
from typing import Any


def add_bundle_parsers(
    sub: Any, both: list[argparse.ArgumentParser], referral_subparsers: Any
) -> None:
    """Register the bundle commands; ``referral_subparsers`` takes ``referral export``."""
