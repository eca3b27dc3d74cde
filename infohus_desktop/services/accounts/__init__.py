"""Vaults and the people in them: open, create and unlock a vault; members, organisations,
access groups and their key epochs; the casework group kept in step with roles."""
