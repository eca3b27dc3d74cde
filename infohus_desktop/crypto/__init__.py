"""Cryptography of the vault. Knows no SQL and no Qt; every primitive is `cryptography`'s."""
