"""Trend notes (tendensnotater) of the Infohus Netværk, their access rules and the
personal-data check that warns before a note names a person."""
