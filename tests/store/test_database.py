"""Opening the database file: checks, pragmas, migrations and the pre-upgrade copy."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlite_utils import Database, Migrations

from sijoint_exam.store import migrations as schema
from sijoint_exam.store.database import DatabaseError, open_database
from sijoint_exam.store.repository import Repository

BACKUP_NAME = re.compile(
    r"exam\.sqlite3\.before-migration-\d{8}T\d{6}Z(-\d+)?\.sqlite3"
)

# This release's migrations, in order.
CURRENT = [
    "001_create_schema",
    "002_patient_search",
    "003_drafts",
    "004_signing",
    "005_audit_log",
    "006_clinicians",
    "007_compact_visits",
    "008_acknowledged_checks",
    "009_clinic_sync",
]


def _schema_and_bookkeeping(db: Database) -> tuple[list[dict], list[dict]]:
    objects = list(db.query("SELECT type, name, sql FROM sqlite_master ORDER BY name"))
    applied = list(db.query("SELECT * FROM _sqlite_migrations ORDER BY id"))
    return objects, applied


def _columns(path: Path, table: str) -> list[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.before-migration-*"))


def _upgraded_set(second: Callable[[Database], None] | None = None) -> Migrations:
    """Today's migrations plus one more, as a later release would ship them."""
    later = Migrations("sijoint_exam")
    with Database(memory=True) as empty:
        for migration in schema.migrations.pending(empty):
            later(name=migration.name, transactional=migration.transactional)(
                migration.fn
            )

    @later(name="999_add_patient_note")
    def add_patient_note(db: Database) -> None:
        db.execute("ALTER TABLE patient ADD COLUMN note TEXT NOT NULL DEFAULT ''")
        if second is not None:
            second(db)

    return later


def _existing_file(
    path: Path, repo_action: Callable[[Repository], object] | None = None
) -> None:
    """A database file as the current release leaves it."""
    with open_database(path) as db:
        if repo_action is not None:
            repo_action(Repository(db))


def test_migrations_create_the_schema_on_an_empty_database() -> None:
    with Database(memory=True) as db:
        assert [m.name for m in schema.migrations.pending(db)] == CURRENT
        schema.migrations.apply(db)
        assert schema.migrations.pending(db) == []
        assert {
            "patient",
            "visit",
            "provocation_result",
            "patient_search",
            "draft",
            "signature",
            "addendum",
            "audit_log",
            "clinician",
        } <= set(db.table_names())
        assert db.table("visit").foreign_keys[0].other_table == "patient"
        assert db.table("provocation_result").pks == ["visit_id", "test_id", "side"]
        indexed = {
            index.name for t in ("patient", "visit") for index in db.table(t).indexes
        }
        assert {"idx_patient_search", "idx_visit_patient"} <= indexed


def test_second_apply_is_a_no_op(db: Database) -> None:
    before = _schema_and_bookkeeping(db)
    schema.migrations.apply(db)
    assert _schema_and_bookkeeping(db) == before


def test_migrations_module_does_not_import_the_domain() -> None:
    code = (
        "import sys, sijoint_exam.store.migrations\n"
        "print([m for m in sys.modules if m.startswith('sijoint_exam.domain')])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_in_memory_database_enforces_foreign_keys(db: Database) -> None:
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO visit (patient_id, visit_date, clinician, symptomatic_side,"
            " rule, content, created_at, updated_at)"
            " VALUES (99, '2026-11-20', '', 'left', 'r', X'00', 'now', 'now')"
        )


def test_file_database_pragmas(tmp_path: Path) -> None:
    with open_database(tmp_path / "exam.sqlite3") as db:
        assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert db.execute("PRAGMA busy_timeout").fetchone() == (5000,)
        # Set aside only for the quick check on open, never for writes.
        assert db.execute("PRAGMA ignore_check_constraints").fetchone() == (0,)
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            db.execute(
                "INSERT INTO provocation_result VALUES (1, 'faber', 'up', 'positive')"
            )


def test_new_file_is_created_in_a_new_folder_for_the_owner_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "not" / "yet" / "exam.sqlite3"
    with open_database(path):
        pass
    assert path.is_file()
    assert _backups(path.parent) == []
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_file_round_trip(tmp_path: Path, sample_patient, sample_visit) -> None:
    path = tmp_path / "exam.sqlite3"
    patient = sample_patient(family_name="김", given_names="선애")
    visit = sample_visit()
    with open_database(path) as db:
        repo = Repository(db)
        patient_id = repo.add_patient(patient)
        visit_id = repo.save_visit(patient_id, visit)
    with open_database(path) as db:
        repo = Repository(db)
        assert repo.get_patient(patient_id) == patient
        assert repo.get_visit(visit_id) == visit
    assert _backups(tmp_path) == []  # nothing was pending: no copy


def test_not_a_sqlite_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "exam.sqlite3"
    content = b"not a database" * 100
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match="not a SQLite file") as caught:
        open_database(path)
    assert str(path) in str(caught.value)
    assert (caught.value.path, caught.value.latest_backup) == (path, None)
    assert path.read_bytes() == content
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize(
    ("start", "garbage", "found"),
    [
        # Page 2 (the table's root) overwritten: SQLite cannot even read it.
        (4096 + 8, b"\xab" * 192, "malformed"),
        # One cell pointer of page 2 out of range: only the quick check finds it.
        (4096 + 12, b"\xff", "Offset 65531 out of range"),
    ],
)
def test_damaged_database_is_refused_and_left_unchanged(
    tmp_path: Path, start: int, garbage: bytes, found: str
) -> None:
    path = tmp_path / "exam.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA page_size = 4096")
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.executemany("INSERT INTO notes VALUES (?)", [("x" * 100,)] * 500)
        conn.commit()
    damaged = bytearray(path.read_bytes())
    damaged[start : start + len(garbage)] = garbage
    path.write_bytes(bytes(damaged))
    with pytest.raises(DatabaseError, match=f"is damaged.*{found}") as caught:
        open_database(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == bytes(damaged)


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "exam.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.commit()
    content = path.read_bytes()
    with pytest.raises(DatabaseError, match=r"not a sijoint-exam database.*notes"):
        open_database(path)
    assert path.read_bytes() == content
    assert _backups(tmp_path) == []


def test_database_from_a_newer_version_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "exam.sqlite3"
    with monkeypatch.context() as patched:
        patched.setattr(schema, "migrations", _upgraded_set())
        _existing_file(path)
    content = path.read_bytes()
    with pytest.raises(DatabaseError, match="newer version.*999_add_patient_note"):
        open_database(path)
    assert path.read_bytes() == content


def test_pending_migration_copies_the_file_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample_patient
) -> None:
    path = tmp_path / "exam.sqlite3"
    _existing_file(path, lambda repo: repo.add_patient(sample_patient()))
    monkeypatch.setattr(schema, "migrations", _upgraded_set())

    with open_database(path) as db:
        assert "note" in db.table("patient").columns_dict
        assert schema.migrations.pending(db) == []
        assert Repository(db).get_patient(1) == sample_patient()

    [backup] = _backups(tmp_path)
    assert BACKUP_NAME.fullmatch(backup.name)
    assert "note" not in _columns(backup, "patient")
    with contextlib.closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("SELECT mrn FROM patient").fetchall() == [("A-1001",)]
        applied = conn.execute("SELECT name FROM _sqlite_migrations").fetchall()
    assert applied == [(name,) for name in CURRENT]


def test_failed_migration_is_undone_and_names_the_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "exam.sqlite3"
    _existing_file(path)

    def fail(db: Database) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(schema, "migrations", _upgraded_set(fail))
    with pytest.raises(DatabaseError, match="disk on fire") as caught:
        open_database(path)
    [backup] = _backups(tmp_path)
    assert str(path) in str(caught.value)
    assert str(backup) in str(caught.value)
    assert "note" not in _columns(path, "patient")
