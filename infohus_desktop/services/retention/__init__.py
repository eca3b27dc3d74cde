"""Retention and deletion: the rules, the due list, holds, deletion with key destruction, and
the tombstones that stay (docs/SECURITY.md §8, "Deletion")."""
