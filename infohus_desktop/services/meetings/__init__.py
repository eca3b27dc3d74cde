"""Meetings of the Infohus: planning and participants, the agenda with case and trend items,
holding the meeting (notes, decisions, action items), approval and addenda, and the agenda,
minutes and invitation as files."""
