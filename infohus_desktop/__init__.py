"""Infohus Desktop: encrypted concern cases, meetings and referrals for the Danish Infohuse."""

__version__ = "0.1.0"
