"""Dialogs of a concern case: intake, editing and its conflicts, status, assessment, journal,
measures."""
