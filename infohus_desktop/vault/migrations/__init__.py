"""Alembic migrations. Every schema change goes through here; see tests/unit/test_migrations.py."""
