"""The system as a new user first meets it (a package, so its one system and browser end with it)."""
