"""Repositories: the only code that turns ORM rows into domain objects, and fields into
ciphertext. They receive a :class:`~infohus_desktop.vault.keyring.Keyring` for that."""
