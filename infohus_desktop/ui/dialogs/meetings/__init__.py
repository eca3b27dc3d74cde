"""Dialogs of a meeting: planning, guests, agenda items with the trend-note picker, decisions,
action items, addenda."""
