"""Dialogs of retention and deletion: delete a case, hold it, set the rules."""
