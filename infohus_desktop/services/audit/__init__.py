"""The audit log as its readers see it: listing entries with their sealed details, and
verifying the chain and its checkpoints."""
