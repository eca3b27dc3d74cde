"""The load test: many simulated workstations on one PostgreSQL database.

``python -m tests.load [--workstations N] [--seconds S] [--short]`` builds a district in a fresh
database on the test server (``INFOHUS_TEST_PG_URL``), starts N worker processes, each a
workstation with its own member, keys and local state, lets them work through the product's
services for S seconds with a realistic think time, and then checks what a district would
check after a busy day: every acknowledged write is there, no concurrent save was lost, case
numbers are unique and gap-free, and the audit chain verifies. ``.ci/run`` runs the short form;
``tests/load/test_load.py`` runs it under pytest when ``INFOHUS_LOAD=1``.
"""
