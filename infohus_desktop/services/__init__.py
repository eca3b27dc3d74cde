"""Use cases with their access rules and audit entries: the only door for the UI and the CLI.

The map: ``core/`` is an unlocked member's session (keys, units of work, the audit writer),
the access rules and private file exports; it knows no feature. One package per part of the
work builds on it: ``accounts/`` (vaults, members, groups), ``cases/``, ``meetings/``,
``trends/``, ``referrals/`` (with bundles), ``statistics/`` and ``audit/``. A feature uses
the core and other features' public names. :mod:`~infohus_desktop.services.front_door` sits
on top: its ``Vault`` opens, creates and unlocks a vault and hands out a ``MemberServices``
whose attributes (``cases``, ``meetings``, ...) are the feature services.
"""
