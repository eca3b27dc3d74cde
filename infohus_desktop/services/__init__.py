"""Use cases with their access rules and audit entries: the only door for the UI and the CLI.

Start at :class:`infohus_desktop.services.accounts.vault.VaultService`: open or create a vault, then
``unlock`` it to get a :class:`~infohus_desktop.services.core.session.MemberSession`, whose
attributes (``accounts``, ``groups``, ``audit``) are the services.
"""
