"""Backups: encrypted, signed snapshots of a vault; their verification, restore and drill;
and the deletion register that keeps deleted cases deleted across a restore
(docs/SECURITY.md §14)."""
