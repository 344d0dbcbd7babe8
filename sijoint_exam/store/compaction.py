"""The table rebuilds of migration 007_compact_visits.

Part of a released migration: never edited (see `migrations`). Like the migrations,
no import of the domain, so the schema's history does not change with it.
"""

from __future__ import annotations

from sqlite_utils import Database

from sijoint_exam.store import visit_content


def compact_visit_table(db: Database) -> None:
    """The visit table rebuilt with its content deflated (`visit_content.pack`)."""
    kept = indexes_and_triggers(db, "visit")
    db.conn.create_function(
        "visit_content_pack", 1, visit_content.pack, deterministic=True
    )
    db.execute(
        """
        CREATE TABLE visit_compact (
            id INTEGER PRIMARY KEY,
            patient_id INTEGER NOT NULL REFERENCES patient(id),
            visit_date TEXT NOT NULL,
            clinician TEXT NOT NULL,
            symptomatic_side TEXT NOT NULL,
            rule TEXT NOT NULL,
            content BLOB NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT
        """
    )
    db.execute(
        "INSERT INTO visit_compact SELECT id, patient_id, visit_date, clinician,"
        " symptomatic_side, rule, visit_content_pack(content_json), created_at,"
        " updated_at FROM visit ORDER BY id"
    )
    db.execute("DROP TABLE visit")  # its indexes and triggers go with it
    db.execute("ALTER TABLE visit_compact RENAME TO visit")
    for sql in kept:
        db.execute(sql)


def provocation_results_without_rowid(db: Database) -> None:
    """A rowid table kept every row twice: in the table and in its primary key's
    index. Without rowid the primary key is the table."""
    kept = indexes_and_triggers(db, "provocation_result")
    db.execute(
        """
        CREATE TABLE provocation_result_compact (
            visit_id INTEGER NOT NULL REFERENCES visit(id),
            test_id TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('left', 'right', 'none')),
            result TEXT NOT NULL,
            PRIMARY KEY (visit_id, test_id, side)
        ) STRICT, WITHOUT ROWID
        """
    )
    db.execute(
        "INSERT INTO provocation_result_compact SELECT visit_id, test_id, side,"
        " result FROM provocation_result ORDER BY visit_id, test_id, side"
    )
    db.execute("DROP TABLE provocation_result")
    db.execute("ALTER TABLE provocation_result_compact RENAME TO provocation_result")
    for sql in kept:
        db.execute(sql)


def indexes_and_triggers(db: Database, table: str) -> list[str]:
    """The SQL that made `table`'s own indexes and triggers (recreated as they
    were after the table is rebuilt)."""
    return [
        sql
        for (sql,) in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ?"
            " AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
            [table],
        )
    ]
