"""Dialogs of referrals: the form and its settings, status steps, bundles out and in, pinned
recipients."""
