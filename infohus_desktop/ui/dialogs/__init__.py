"""Dialogs, one package per area like the views (cases, meetings, trends, referrals,
accounts), and the pieces they share: the saving dialog every form builds on (saving.py),
the merge of a stale edit (merge.py) and the in-app PDF preview (pdf_preview.py)."""
