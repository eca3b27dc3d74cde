"""``python -m tests.load [--workstations N] [--seconds S] [--short]``."""

from __future__ import annotations

import argparse
import sys

from tests.load.plan import LoadConfig
from tests.load.run import run

LONG_SECONDS = 180.0
SHORT_SECONDS = 60.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.load",
        description="Many simulated workstations on one PostgreSQL database (issue 15).",
    )
    parser.add_argument("--workstations", type=int, default=20, metavar="N")
    parser.add_argument(
        "--seconds", type=float, metavar="S", help="length of the run (default 180, short 60)"
    )
    parser.add_argument("--short", action="store_true", help="the short form .ci/run uses")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args(argv)
    if args.workstations < 1:
        parser.error("--workstations must be at least 1")
    seconds = args.seconds or (SHORT_SECONDS if args.short else LONG_SECONDS)
    return run(LoadConfig(workstations=args.workstations, seconds=seconds, seed=args.seed))


if __name__ == "__main__":
    sys.exit(main())
