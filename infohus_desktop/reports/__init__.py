"""PDF documents (reportlab), rendered from domain objects to bytes. Knows nothing of the vault
or of Qt: a service gathers the data, a renderer here lays it out."""
