"""The citizen's insight report (*indsigt*): finding one person's cases, reading them whole
under the purpose *indsigt*, and the log of who touched them (docs/SECURITY.md §8.2)."""
