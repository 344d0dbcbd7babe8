"""The SQLite store: opening and migrating the database, and the repository over it."""
