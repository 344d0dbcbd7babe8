"""The schema migrations: append-only and numbered, never edited once released."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

# Never edit, rename or reorder a released migration; append a new one instead.
# Migrations must not import sijoint_exam.domain: the schema's history must not
# change when the domain code does, so every column is spelled out here in SQL.
migrations = Migrations("sijoint_exam")


@migrations(name="001_create_schema")
def create_schema(db: Database) -> None:
    """Patients, visits (their canonical JSON) and one row per provocation result."""
    # No ON DELETE CASCADE anywhere: clinical records are archived, never cascaded
    # away, and cascading keys would stop later transform()s inside a transaction.
    db.execute(
        """
        CREATE TABLE patient (
            id INTEGER PRIMARY KEY,
            mrn TEXT NOT NULL UNIQUE,
            family_name TEXT NOT NULL,
            given_names TEXT NOT NULL,
            date_of_birth TEXT NOT NULL,
            sex TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE visit (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patient(id),
            visit_date TEXT NOT NULL,
            clinician TEXT NOT NULL,
            symptomatic_side TEXT NOT NULL,
            rule TEXT NOT NULL,
            content_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE provocation_result (
            visit_id INTEGER NOT NULL REFERENCES visit(id),
            test_id TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('left', 'right', 'none')),
            result TEXT NOT NULL,
            PRIMARY KEY (visit_id, test_id, side)
        ) STRICT
        """
    )
    # The patient list is ordered by name and shown a page at a time, so SQLite can
    # walk this index and stop at the limit; MRN lookups use the UNIQUE index.
    db.execute(
        "CREATE INDEX idx_patient_name ON patient"
        " (family_name COLLATE NOCASE, given_names COLLATE NOCASE)"
    )
    db.execute("CREATE INDEX idx_visit_patient ON visit (patient_id, visit_date)")


def known_names() -> list[str]:
    """The name of every migration this version of the program knows, in order."""
    # Migrations has no public list of its members; on an empty database every
    # migration is pending, and pending() only reads.
    with Database(memory=True, execute_plugins=False) as empty:
        return [migration.name for migration in migrations.pending(empty)]
