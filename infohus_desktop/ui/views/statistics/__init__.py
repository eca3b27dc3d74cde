"""The statistics area: a period, the counts as charts with their numbers beside them, and
the anonymised PDF and CSV exports."""
