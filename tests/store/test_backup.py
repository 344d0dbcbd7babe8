"""Backups: online copies, owner-only, rotated; restores that check first and keep
what they replace."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import stat
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.store import audit, backup, files
from sijoint_exam.store.backup import restore_database
from sijoint_exam.store.database import (
    DatabaseError,
    DatabaseInUseError,
    open_database,
)
from sijoint_exam.store.repository import Repository
from tests.store.conftest import read_line

AUDIT_ROW = 'INSERT INTO "audit_log"'
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def _dump(path: Path) -> list[str]:
    """Everything a database holds, as SQL (schema and rows)."""
    with contextlib.closing(files.read_only(path)) as conn:
        return list(conn.iterdump())


def _records(path: Path) -> list[str]:
    """The dump without the audit log (which a restore appends to)."""
    log = (AUDIT_ROW, 'INSERT INTO "sqlite_sequence"')
    return [line for line in _dump(path) if not line.startswith(log)]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def clinic(file_repo: Repository, sample_patient, sample_visit) -> Repository:
    patient_id = file_repo.add_patient(sample_patient())
    visit_id = file_repo.save_visit(patient_id, sample_visit())
    file_repo.sign_visit(visit_id, "J. Doe, PT")
    return file_repo


def test_backup_to_a_folder_is_a_complete_owner_only_copy(
    clinic: Repository, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    before = _dump(db_path)
    written = clinic.backup_to(folder)
    assert written.parent == folder
    assert written.name == "exam-20261120T093000Z.sqlite3"
    # The copy holds what the database held when it was taken; the backup's own
    # audit entry is written after, into the database only.
    assert _dump(written) == before
    assert files.sqlite_problems(written, "integrity_check") == []
    with contextlib.closing(files.read_only(written)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert [path.name for path in folder.iterdir()] == [written.name]
    if sys.platform != "win32":
        assert _mode(written) == 0o600


def test_backup_to_a_new_file_and_never_over_one(
    clinic: Repository, tmp_path: Path
) -> None:
    target = tmp_path / "usb" / "copy.sqlite3"
    assert clinic.backup_to(target) == target
    content = target.read_bytes()
    with pytest.raises(FileExistsError, match="never overwrites"):
        clinic.backup_to(target)
    assert target.read_bytes() == content
    # Two in the same second into one folder: the second gets its own name.
    first = clinic.backup_to(tmp_path)
    second = clinic.backup_to(tmp_path)
    assert first != second and first.exists() and second.exists()


@POSIX
def test_daily_backup_creates_its_folder_owner_only(
    clinic: Repository, tmp_path: Path
) -> None:
    folder = tmp_path / "data" / "backups"
    written = clinic.backup_if_due(folder)
    assert written is not None and written.parent == folder
    assert _mode(folder) == 0o700
    assert _mode(folder.parent) == 0o700
    assert _mode(written) == 0o600


def test_daily_backup_at_most_once_a_day(file_db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    log = audit.AuditLog(file_db)
    seoul = dt.timezone(dt.timedelta(hours=9))
    start, leave, overnight = (
        dt.datetime(2026, 11, 20, hour, 0, tzinfo=seoul) for hour in (8, 18, 23)
    )
    first = backup.backup_if_due(file_db, folder, log, start)
    assert first is not None and first.name == "exam-20261119T230000Z.sqlite3"
    assert backup.backup_if_due(file_db, folder, log, leave) is None
    # Left open overnight: the next day's exit backs up again. Days are the
    # clinic's, not UTC's (08:00 and 18:00 in Seoul are on two UTC dates).
    assert backup.backup_if_due(file_db, folder, log, overnight) is None
    after_midnight = overnight + dt.timedelta(hours=2)
    second = backup.backup_if_due(file_db, folder, log, after_midnight)
    assert second is not None and second.name == "exam-20261120T160000Z.sqlite3"
    assert sorted(folder.iterdir()) == [first, second]
    assert [e.action for e in log.entries()].count("backup") == 2


def test_repository_daily_backup(file_repo: Repository, tmp_path: Path) -> None:
    made = file_repo.backup_if_due(tmp_path / "backups")
    assert made is not None and made.exists()
    assert file_repo.backup_if_due(tmp_path / "backups") is None


def test_rotation_keeps_14_days_and_12_month_ends(tmp_path: Path) -> None:
    database = tmp_path / "exam.sqlite3"
    start = dt.datetime(2025, 1, 1, 17, 0, tzinfo=dt.UTC)
    made = []
    for day in range(500):  # a backup a day, twice on Sundays
        moment = start + dt.timedelta(days=day)
        for hour in (0, 2) if moment.weekday() == 6 else (0,):
            path = files.backup_path(
                database, tmp_path, moment + dt.timedelta(hours=hour)
            )
            path.touch()
            made.append((moment + dt.timedelta(hours=hour), path))
    strangers = [
        tmp_path / "exam-notes.txt",
        tmp_path / "other-20250101T170000Z.sqlite3",
    ]
    for path in strangers:
        path.touch()

    removed = backup.rotate(database, tmp_path, dt.UTC).removed

    kept = {moment for moment, path in made if path.exists()}
    last = made[-1][0]
    days = {last.date() - dt.timedelta(days=n) for n in range(14)}
    newest_of_day = {max(m for m, _ in made if m.date() == day) for day in days}
    months = sorted({(m.year, m.month) for m, _ in made})[-12:]
    month_ends = {max(m for m, _ in made if (m.year, m.month) == mo) for mo in months}
    assert kept == newest_of_day | month_ends
    assert len(kept) == 14 + 11  # this month's end is today's backup
    assert len(removed) == len(made) - len(kept)
    assert all(path.exists() for path in strangers)


def test_restore_replaces_the_database_and_keeps_the_old_one(
    clinic: Repository,
    file_db: Database,
    db_path: Path,
    tmp_path: Path,
    sample_patient,
) -> None:
    written = clinic.backup_to(tmp_path)
    at_backup, backup_bytes = _dump(written), written.read_bytes()
    clinic.add_patient(sample_patient(mrn="Z-9", family_name="After"))
    file_db.close()
    current = _dump(db_path)

    kept = restore_database(written, db_path)

    assert kept is not None and kept.name.startswith("exam.sqlite3.replaced-")
    assert _dump(kept) == current  # the replaced database, whole
    # Everything as it was at the backup, plus the restore's audit entry.
    assert _records(db_path) == _records(written)
    entries = [line for line in _dump(db_path) if line.startswith(AUDIT_ROW)]
    assert entries[:-1] == [line for line in at_backup if line.startswith(AUDIT_ROW)]
    with open_database(db_path) as db:
        repo = Repository(db)
        assert [s.patient.family_name for s in repo.search_patients()] == ["Kim"]
        assert repo.audit_log()[-1].action == "restore"
    assert written.read_bytes() == backup_bytes  # the backup itself is untouched


def test_restore_moves_a_damaged_database_aside_unchanged(
    clinic: Repository, file_db: Database, db_path: Path, tmp_path: Path
) -> None:
    written = clinic.backup_to(tmp_path)
    file_db.close()
    damaged = b"\x00garbage" * 1000
    db_path.write_bytes(damaged)

    kept = restore_database(written, db_path)

    assert kept is not None and kept.read_bytes() == damaged
    with open_database(db_path) as db:
        assert Repository(db).search_patients()[0].patient.family_name == "Kim"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database" * 100, "damaged or not a database"),
        (None, "not a sijoint-exam database"),
    ],
    ids=["not SQLite", "another program's"],
)
def test_restore_refuses_a_bad_backup_and_changes_nothing(
    clinic: Repository,
    file_db: Database,
    db_path: Path,
    tmp_path: Path,
    content: bytes | None,
    message: str,
) -> None:
    bad = tmp_path / "bad.sqlite3"
    if content is None:
        with contextlib.closing(sqlite3.connect(bad)) as conn:
            conn.execute("CREATE TABLE notes (text TEXT)")
    else:
        bad.write_bytes(content)
    file_db.close()
    before = sorted(db_path.parent.iterdir())
    current = db_path.read_bytes()
    with pytest.raises(DatabaseError, match=message) as caught:
        restore_database(bad, db_path)
    assert str(bad) in str(caught.value)
    assert db_path.read_bytes() == current
    assert sorted(db_path.parent.iterdir()) == before


def test_restore_refuses_a_damaged_backup(
    clinic: Repository, file_db: Database, tmp_path: Path, db_path: Path
) -> None:
    written = clinic.backup_to(tmp_path)
    file_db.close()
    damaged = bytearray(written.read_bytes())
    damaged[4096 * 2 + 8 : 4096 * 2 + 200] = b"\xab" * 192
    written.write_bytes(bytes(damaged))
    with pytest.raises(DatabaseError, match="cannot be restored.*damaged"):
        restore_database(written, db_path)


def test_restore_into_a_database_open_elsewhere_is_refused(
    clinic: Repository, file_db: Database, db_path: Path, tmp_path: Path, spawn
) -> None:
    written = clinic.backup_to(tmp_path)
    file_db.close()
    child = spawn("hold", db_path)
    assert read_line(child) == "open"
    current = db_path.read_bytes()
    with pytest.raises(DatabaseInUseError, match="already open"):
        restore_database(written, db_path)
    assert db_path.read_bytes() == current


def test_a_damaged_database_offers_the_latest_good_backup(
    clinic: Repository, file_db: Database, db_path: Path
) -> None:
    folder = db_path.parent / "backups"  # where open_database looks by default
    folder.mkdir()
    good, newer_good, broken = (
        Repository(
            file_db, clock=lambda day=day: dt.datetime(2026, 11, day, 18, tzinfo=dt.UTC)
        ).backup_to(folder)
        for day in (18, 19, 20)
    )
    broken.write_bytes(b"truncated")
    file_db.close()
    db_path.write_bytes(b"\x00garbage" * 1000)

    with pytest.raises(DatabaseError) as caught:
        open_database(db_path)

    assert caught.value.latest_backup == newer_good
    assert caught.value.path == db_path
    assert str(newer_good) in str(caught.value)
    assert db_path.read_bytes() == b"\x00garbage" * 1000
