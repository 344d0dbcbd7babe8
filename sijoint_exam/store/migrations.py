"""The schema migrations: append-only and numbered, never edited once released."""

from __future__ import annotations

import itertools

from sqlite_utils import Database, Migrations

from sijoint_exam.store import audit, compaction, search, sync_tables

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


@migrations(name="002_patient_search")
def patient_search(db: Database) -> None:
    """Accent- and case-insensitive patient search that stays fast at 100,000."""
    # The folded text is written by the repository (Python folds Unicode; SQLite's
    # own lower() and LIKE fold ASCII only). The backfill below folds with the same
    # function, so a later change to search.fold() needs a migration that refolds.
    db.execute("ALTER TABLE patient ADD COLUMN search_text TEXT NOT NULL DEFAULT ''")
    rows = db.execute(
        "SELECT id, family_name, given_names, mrn, date_of_birth FROM patient"
    ).fetchall()
    db.conn.executemany(
        "UPDATE patient SET search_text = ? WHERE id = ?",
        [
            (
                search.search_text(
                    {
                        "family_name": family_name,
                        "given_names": given_names,
                        "mrn": mrn,
                        "date_of_birth": date_of_birth,
                    }
                ),
                patient_id,
            )
            for patient_id, family_name, given_names, mrn, date_of_birth in rows
        ],
    )
    # A covering index: a search for short words walks it in name order, reading
    # search_text from the index itself, and stops at the limit. It replaces the
    # name index, whose columns it starts with.
    db.execute("DROP INDEX idx_patient_name")
    db.execute(
        "CREATE INDEX idx_patient_search ON patient (family_name COLLATE NOCASE,"
        " given_names COLLATE NOCASE, id, search_text)"
    )
    # Trigram full-text index over the same text (external content: the text is
    # stored once, in patient). Triggers keep it in step with every write, raw SQL
    # included.
    db.execute(
        "CREATE VIRTUAL TABLE patient_search USING fts5(search_text,"
        " content='patient', content_rowid='id', tokenize='trigram')"
    )
    db.execute(
        "CREATE TRIGGER patient_search_insert AFTER INSERT ON patient BEGIN"
        " INSERT INTO patient_search (rowid, search_text)"
        " VALUES (NEW.id, NEW.search_text); END"
    )
    db.execute(
        "CREATE TRIGGER patient_search_delete AFTER DELETE ON patient BEGIN"
        " INSERT INTO patient_search (patient_search, rowid, search_text)"
        " VALUES ('delete', OLD.id, OLD.search_text); END"
    )
    db.execute(
        "CREATE TRIGGER patient_search_update AFTER UPDATE OF search_text ON patient"
        " BEGIN"
        " INSERT INTO patient_search (patient_search, rowid, search_text)"
        " VALUES ('delete', OLD.id, OLD.search_text);"
        " INSERT INTO patient_search (rowid, search_text)"
        " VALUES (NEW.id, NEW.search_text); END"
    )
    db.execute("INSERT INTO patient_search (patient_search) VALUES ('rebuild')")


@migrations(name="003_drafts")
def drafts(db: Database) -> None:
    """Autosaved drafts of the visit being edited, one per patient and visit."""
    # visit_id NULL: a new visit not yet saved. The unique index treats NULL as 0 so
    # that a patient has at most one draft of a new visit too.
    db.execute(
        """
        CREATE TABLE draft (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patient(id),
            visit_id INTEGER REFERENCES visit(id),
            content_json TEXT NOT NULL,
            saved_at TEXT NOT NULL
        ) STRICT
        """
    )
    db.execute(
        "CREATE UNIQUE INDEX idx_draft_visit ON draft (patient_id, ifnull(visit_id, 0))"
    )


@migrations(name="004_signing")
def signing(db: Database) -> None:
    """Signatures and addenda; triggers keep signed visits and addenda unchanged."""
    db.execute(
        """
        CREATE TABLE signature (
            visit_id INTEGER PRIMARY KEY REFERENCES visit(id),
            patient_id INTEGER NOT NULL REFERENCES patient(id),
            clinician TEXT NOT NULL CHECK (clinician <> ''),
            signed_at TEXT NOT NULL,
            content_sha256 TEXT NOT NULL
        ) STRICT
        """
    )
    db.execute(
        """
        CREATE TABLE addendum (
            id INTEGER PRIMARY KEY,
            visit_id INTEGER NOT NULL REFERENCES visit(id),
            text TEXT NOT NULL CHECK (text <> ''),
            clinician TEXT NOT NULL CHECK (clinician <> ''),
            created_at TEXT NOT NULL,
            content_sha256 TEXT NOT NULL
        ) STRICT
        """
    )
    db.execute("CREATE INDEX idx_addendum_visit ON addendum (visit_id, id)")
    signed = "EXISTS (SELECT 1 FROM signature WHERE visit_id = {})"
    refuse = "BEGIN SELECT RAISE(ABORT, '{}'); END"
    visit_signed = "a signed visit cannot be changed or deleted; add an addendum"
    # BEFORE INSERT too: INSERT OR REPLACE deletes the old row without firing the
    # DELETE trigger (unless recursive_triggers is on, which a raw connection's isn't).
    for name, event, key in (
        ("visit_signed_no_insert", "INSERT ON visit", "NEW.id"),
        ("visit_signed_no_update", "UPDATE ON visit", "OLD.id"),
        ("visit_signed_no_delete", "DELETE ON visit", "OLD.id"),
        (
            "provocation_signed_no_insert",
            "INSERT ON provocation_result",
            "NEW.visit_id",
        ),
        (
            "provocation_signed_no_update",
            "UPDATE ON provocation_result",
            "OLD.visit_id",
        ),
        (
            "provocation_signed_no_delete",
            "DELETE ON provocation_result",
            "OLD.visit_id",
        ),
    ):
        condition = signed.format(key)
        if name == "provocation_signed_no_update":  # nor move rows onto a signed visit
            condition += " OR " + signed.format("NEW.visit_id")
        db.execute(
            f"CREATE TRIGGER {name} BEFORE {event} WHEN {condition} "
            + refuse.format(visit_signed)
        )
    for table, what in (("signature", "a signature"), ("addendum", "an addendum")):
        key = "visit_id" if table == "signature" else "id"
        message = f"{what} is permanent: it cannot be changed, replaced or deleted"
        db.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table}"
            f" WHEN EXISTS (SELECT 1 FROM {table} WHERE {key} = NEW.{key}) "
            + refuse.format(message)
        )
        for event in ("UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                + refuse.format(message)
            )
    db.execute(
        "CREATE TRIGGER addendum_only_signed BEFORE INSERT ON addendum"
        f" WHEN NOT {signed.format('NEW.visit_id')} "
        + refuse.format("an addendum corrects a signed visit; sign the visit first")
    )


@migrations(name="005_audit_log")
def audit_log(db: Database) -> None:
    """The append-only, hash-chained audit log, started with the records so far."""
    # AUTOINCREMENT: sqlite_sequence remembers the highest id ever given, so that a
    # deleted last entry leaves a trace verify() can find.
    db.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            os_user TEXT NOT NULL,
            clinician TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER,
            detail TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            previous_sha256 TEXT NOT NULL,
            entry_sha256 TEXT NOT NULL
        ) STRICT
        """
    )
    db.execute("CREATE INDEX idx_audit_entity ON audit_log (entity, entity_id, id)")
    message = "the audit log is append-only: entries cannot be changed or deleted"
    db.execute(
        "CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log"
        " WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)"
        f" BEGIN SELECT RAISE(ABORT, '{message}'); END"
    )
    for event in ("UPDATE", "DELETE"):
        db.execute(
            f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log"
            f" BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    # What the database already holds enters the log as it is now, so that verify()
    # can tell later changes made outside the program from these.
    detail = "in the database before the audit log began"
    patients = (
        (audit.BASELINE, "patient", row["id"], audit.patient_sha256(row), "", detail)
        for row in db.query(f"SELECT {audit.PATIENT_COLUMNS} FROM patient ORDER BY id")
    )
    visits = (
        (audit.BASELINE, "visit", visit_id, audit.sha256_text(content), "", detail)
        for visit_id, content in db.execute(
            "SELECT id, content_json FROM visit ORDER BY id"
        ).fetchall()
    )
    audit.AuditLog(db).extend(itertools.chain(patients, visits))


@migrations(name="006_clinicians")
def clinicians(db: Database) -> None:
    """The clinicians who have worked on this database: the list to pick from."""
    db.execute(
        """
        CREATE TABLE clinician (
            name TEXT PRIMARY KEY CHECK (name <> '' AND name = trim(name)),
            first_used_at TEXT NOT NULL,
            last_used_at TEXT NOT NULL
        ) STRICT
        """
    )
    # Those the audit log names already (saves, signatures, addenda).
    db.execute(
        "INSERT INTO clinician (name, first_used_at, last_used_at)"
        " SELECT trim(clinician), min(at), max(at) FROM audit_log"
        " WHERE trim(clinician) <> '' GROUP BY trim(clinician)"
    )


@migrations(name="007_compact_visits", transactional=False)
def compact_visits(db: Database) -> None:
    """Visit content stored deflated (`visit_content`), provocation results in
    their primary key's own b-tree: the file becomes about a third as large.

    The visit table is rebuilt, and dropping the old one with foreign keys on
    counts every signature, addendum and result as pointing nowhere, whatever
    the new table holds by the commit. Foreign keys can only be switched off
    outside a transaction, so this step runs its own and checks the keys itself
    before it commits. If the program stops between that commit and the record
    that the step was applied, the step runs again and finds nothing to do.
    """
    visit_columns = [row[1] for row in db.execute("PRAGMA table_info(visit)")]
    if "content_json" in visit_columns:
        if db.conn.in_transaction:
            raise RuntimeError("007_compact_visits must run outside a transaction")
        db.execute("PRAGMA foreign_keys = OFF")
        try:
            with db.atomic():
                compaction.compact_visit_table(db)
                compaction.provocation_results_without_rowid(db)
                broken = db.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"foreign keys broken: {broken[:3]}")
        finally:
            db.execute("PRAGMA foreign_keys = ON")
    # Give the freed pages (about two thirds of a large file) back to the disk.
    db.execute("VACUUM")


@migrations(name="008_acknowledged_checks")
def acknowledged_checks(db: Database) -> None:
    """The checks before signing that the signer acknowledged by name (a JSON list
    of check ids, in their listed order): part of the signature, as permanent."""
    # ADD COLUMN rewrites no row, so the triggers that keep signatures unchanged
    # need not be lifted; signatures given before this step acknowledged nothing.
    db.execute(
        "ALTER TABLE signature ADD COLUMN acknowledged_checks TEXT NOT NULL"
        " DEFAULT '[]' CHECK (json_type(acknowledged_checks) = 'array')"
    )


@migrations(name="009_clinic_sync")
def clinic_sync(db: Database) -> None:
    """This database's identity as a workstation of a clinic server, and what it
    has shared (unused, and harmless, while no server is configured)."""
    sync_tables.create(db)


def known_names() -> list[str]:
    """The name of every migration this version of the program knows, in order."""
    # Migrations has no public list of its members; on an empty database every
    # migration is pending, and pending() only reads.
    with Database(memory=True, execute_plugins=False) as empty:
        return [migration.name for migration in migrations.pending(empty)]
