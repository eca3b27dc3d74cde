"""Storage: SQLAlchemy models, engine settings, migrations, repositories, the audit chain.

Knows no Qt. ORM rows never leave this package: repositories return domain dataclasses.
"""
