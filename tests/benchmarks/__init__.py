"""Benchmarks, run as plain scripts (``python -m tests.benchmarks.bench_vault``).

Not collected by pytest (``--ignore=tests/benchmarks`` in pyproject) and never asserting on
wall-clock time: they print figures for a human to read.
"""
