"""The *Til sletning* area of coordinators."""
