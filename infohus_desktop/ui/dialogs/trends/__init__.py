"""Dialogs of a trend note: writing one, its conflicts, links and access group."""
