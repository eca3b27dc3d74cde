"""Storage: SQLAlchemy models, engine settings, migrations, codecs, the audit chain.

Knows no Qt. ORM rows stay below the services: `members.py` and the services turn them into
domain dataclasses, and the UI and the CLI only ever see those.
"""
