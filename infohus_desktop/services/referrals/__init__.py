"""Referrals to an exit programme: the configurable form, prefill from the case, the
workflow, the referral form PDF, and encrypted bundles out to and in from other Infohuse
(keys, pinned recipients, import checks)."""
