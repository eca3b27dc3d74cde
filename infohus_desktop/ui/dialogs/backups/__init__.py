"""Dialogs of backups: the restore, and what the backup screens share."""
