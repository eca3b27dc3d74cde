"""The core every feature stands on: the unlocked member's session (keys in memory, units of
work, the audit writer, what changed), the case access rules, and private file exports. It
imports no feature package: a feature depends on the core, never the reverse."""
