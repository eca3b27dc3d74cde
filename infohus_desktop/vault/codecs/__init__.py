"""Codecs: the JSON shapes in which domain values are sealed (a case's person and intake, an
assessment, a referral form and its values, a trend note). They turn domain objects into the
plaintext a field key encrypts and back, and refuse a shape the program never wrote."""
