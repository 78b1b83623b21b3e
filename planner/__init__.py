"""Plan core: the ten-challenge plan model, its SQLite plan file, validation and the change journal."""
