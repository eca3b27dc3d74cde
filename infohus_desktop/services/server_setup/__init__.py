"""Setting up a district's shared PostgreSQL server (``infohus server``, docs/SERVER.md):
the database, the owner role that migrates, the application role the workstations use, their
least privilege, the append-only guards and the unlock guard."""
