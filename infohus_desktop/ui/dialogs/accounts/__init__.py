"""Dialogs of the vault and the member: creating a vault, the first passphrase change, trust,
settings."""
