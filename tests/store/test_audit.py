"""The audit log: an entry per change, chained by hashes; verify() names each break."""

from __future__ import annotations

import getpass
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.store import audit, visit_content
from sijoint_exam.store.backup import restore_database
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import verify
from tests.store.conftest import NINE_THIRTY, raw


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _actions(repo: Repository) -> list[tuple[str, str, int | None]]:
    return [(e.action, e.entity, e.entity_id) for e in repo.audit_log()]


@pytest.fixture
def history(file_repo: Repository, sample_patient, sample_visit) -> Repository:
    """A patient created and changed, a visit created, changed, signed, with an
    addendum, exported and printed."""
    patient_id = file_repo.add_patient(sample_patient())
    file_repo.update_patient(patient_id, sample_patient(given_names="Sun-ae"))
    visit_id = file_repo.save_visit(patient_id, sample_visit())
    file_repo.save_visit(patient_id, sample_visit(plan="Block"), visit_id)
    file_repo.sign_visit(visit_id, "J. Doe, PT")
    file_repo.add_addendum(visit_id, "Block booked.", "A. Other, MD")
    file_repo.record_export(visit_id, "/tmp/note.pdf", "visit note PDF", "J. Doe, PT")
    file_repo.record_print(visit_id, "Front desk", "referral letter")
    return file_repo


def test_an_entry_per_create_change_sign_addendum_export_and_print(
    history: Repository, db_path: Path
) -> None:
    assert _actions(history) == [
        ("create", "patient", 1),
        ("change", "patient", 1),
        ("create", "visit", 1),
        ("change", "visit", 1),
        ("sign", "visit", 1),
        ("addendum", "addendum", 1),
        ("export", "visit", 1),
        ("print", "visit", 1),
    ]
    entries = history.audit_log()
    assert {entry.os_user for entry in entries} == {"nurse1"}
    assert {entry.at for entry in entries} == {NINE_THIRTY}
    assert [entry.clinician for entry in entries] == [
        "",
        "",
        "J. Doe, PT",
        "J. Doe, PT",
        "J. Doe, PT",
        "A. Other, MD",
        "J. Doe, PT",
        "",
    ]
    with raw(db_path) as conn:
        content = visit_content.unpack(
            conn.execute("SELECT content FROM visit").fetchone()[0]
        )
    signature = history.signature(1)
    assert signature is not None
    assert entries[3].content_sha256 == _sha(content)
    assert entries[4].content_sha256 == signature.content_sha256 == _sha(content)
    assert entries[5].content_sha256 == history.addenda(1)[0].content_sha256
    assert entries[5].detail == "to visit 1"
    assert entries[6].detail == "visit note PDF: /tmp/note.pdf"
    assert entries[7].detail == "referral letter: Front desk"
    assert history.audit_log("visit", 1) == entries[2:5] + entries[6:]


def test_entries_are_chained(history: Repository) -> None:
    entries = history.audit_log()
    assert entries[0].previous_sha256 == audit.GENESIS
    for before, entry in zip(entries, entries[1:], strict=False):
        assert entry.previous_sha256 == before.entry_sha256
        assert entry.id == before.id + 1
    assert len({entry.entry_sha256 for entry in entries}) == len(entries)


def test_backup_and_restore_are_logged(
    history: Repository, file_db: Database, db_path: Path
) -> None:
    head = history.audit_log()[-1].entry_sha256
    written = history.backup_to(db_path.parent / "copy.sqlite3")
    last = history.audit_log()[-1]
    assert (last.action, last.entity, last.entity_id) == ("backup", "database", None)
    assert last.content_sha256 == head  # the state the copy holds
    assert last.detail == f"backup to {written}"

    file_db.close()  # the restore needs the file closed, as the CLI has it
    kept = restore_database(written, db_path)
    with open_database(db_path) as db:
        restored = Repository(db).audit_log()
    assert [entry.action for entry in restored][-2:] == ["print", "restore"]
    assert restored[-1].content_sha256 == head
    assert str(written) in restored[-1].detail and str(kept) in restored[-1].detail


def test_a_record_and_its_entry_are_written_together(
    db: Database, repo: Repository, sample_patient, sample_visit
) -> None:
    db.execute(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log"
        " BEGIN SELECT RAISE(ABORT, 'log full'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="log full"):
        repo.add_patient(sample_patient())
    assert repo.search_patients() == []
    db.execute("DROP TRIGGER refuse_audit")
    patient_id = repo.add_patient(sample_patient())
    db.execute(
        "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log"
        " BEGIN SELECT RAISE(ABORT, 'log full'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="log full"):
        repo.save_visit(patient_id, sample_visit())
    assert repo.list_visits(patient_id) == []
    assert db.execute("SELECT count(*) FROM provocation_result").fetchone() == (0,)


@pytest.mark.parametrize(
    "change",
    ["UPDATE audit_log SET detail = 'nothing'", "DELETE FROM audit_log"],
)
def test_raw_sql_cannot_change_the_log(
    history: Repository, db_path: Path, change: str
) -> None:
    with raw(db_path) as conn:
        before = conn.execute("SELECT * FROM audit_log").fetchall()
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(change)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("INSERT OR REPLACE INTO audit_log SELECT * FROM audit_log")
        assert conn.execute("SELECT * FROM audit_log").fetchall() == before


def test_the_os_user_is_recorded_even_without_a_login_name(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert audit.current_os_user() == getpass.getuser()

    def no_name() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_name)
    expected = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    assert audit.current_os_user() == expected
    assert audit.AuditLog(db).append(audit.BACKUP, "database", None).os_user == expected


def test_unknown_action_is_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.AuditLog(db).append("tweak", "visit", 1)


def test_verify_finds_nothing_in_an_intact_database(
    history: Repository, file_db: Database
) -> None:
    assert verify(file_db) == []


def test_verify_names_a_signed_visit_edited_and_an_audit_entry_deleted(
    history: Repository, file_db: Database, db_path: Path
) -> None:
    """The issue's tamper test: with the triggers dropped by raw SQL, edit a
    signed row and delete an audit row; verify names both (and the triggers)."""
    with raw(db_path) as conn:
        conn.execute("DROP TRIGGER visit_signed_no_update")
        # As a tool that can read the stored form would edit it.
        (stored,) = conn.execute("SELECT content FROM visit WHERE id = 1").fetchone()
        edited = visit_content.unpack(stored).replace("Block", "Surgery")
        conn.execute(
            "UPDATE visit SET content = ? WHERE id = 1", [visit_content.pack(edited)]
        )
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE id = 3")
    problems = verify(file_db)
    assert problems == [
        'The trigger "visit_signed_no_update" that keeps signed records or the '
        "audit log from changing has been removed.",
        'The trigger "audit_log_no_delete" that keeps signed records or the '
        "audit log from changing has been removed.",
        "Audit log entry 3 has been deleted.",
        "Visit 1 (signed by J. Doe, PT, 2026-11-20T09:30:00+00:00) was changed "
        "after it was signed.",
        "Visit 1 differs from its last audit entry: it was changed outside the "
        "program.",
    ]


def _tamper(db_path: Path, *statements: str) -> None:
    with raw(db_path) as conn:
        for trigger in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            " AND name NOT LIKE 'patient_search%'"
        ).fetchall():
            conn.execute(f"DROP TRIGGER {trigger[0]}")
        for statement in statements:
            conn.execute(statement)


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        (
            ["DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"],
            ["Audit log entry 8 has been deleted."],
        ),
        (
            ["DELETE FROM audit_log WHERE id IN (2, 3)"],
            [
                "Audit log entries 2 to 3 have been deleted.",
                # Its last entry left is the one with the name before the change.
                "Patient 1 differs from its last audit entry: it was changed "
                "outside the program.",
            ],
        ),
        (
            ["UPDATE audit_log SET detail = 'visit note PDF: /dev/null' WHERE id = 7"],
            ["Audit log entry 7 (export visit 1) was changed after it was written."],
        ),
        (
            [
                # Rewritten with a fresh hash, so only the link to it breaks.
                "UPDATE audit_log SET entry_sha256 = 'f' || substr(entry_sha256, 2)"
                " WHERE id = 7"
            ],
            [
                "Audit log entry 7 (export visit 1) was changed after it was written.",
                "Audit log entry 8 does not follow entry 7: the entry before it was "
                "changed or replaced.",
            ],
        ),
        (
            ["DELETE FROM signature"],
            [
                "Visit 1 was signed according to the audit log, but its signature "
                "has been removed."
            ],
        ),
        (
            ["UPDATE provocation_result SET result = 'negative'"],
            [
                "Visit 1 (signed by J. Doe, PT, 2026-11-20T09:30:00+00:00): its "
                "provocation results were changed after it was signed."
            ],
        ),
        (
            [
                "UPDATE visit SET patient_id = 2",
                "INSERT INTO patient SELECT 2, "
                "'Z-9', family_name, given_names, date_of_birth, sex, created_at,"
                " updated_at, search_text FROM patient",
            ],
            [
                "Visit 1 (signed by J. Doe, PT, 2026-11-20T09:30:00+00:00) was "
                "moved to another patient after signing.",
                "Patient 2 is not in the audit log: it was added outside the program.",
            ],
        ),
        (
            ["UPDATE addendum SET text = 'No block.'"],
            [
                "Addendum 1 to visit 1 (by A. Other, MD, 2026-11-20T09:30:00+00:00) "
                "was changed after it was signed."
            ],
        ),
        (
            ["DELETE FROM addendum"],
            ["Addendum 1 is in the audit log but has been deleted."],
        ),
        (
            ["UPDATE patient SET family_name = 'Park'"],
            [
                "Patient 1 differs from its last audit entry: it was changed "
                "outside the program."
            ],
        ),
    ],
    ids=[
        "last entry deleted",
        "entries deleted",
        "entry edited",
        "entry hash rewritten",
        "signature deleted",
        "signed results edited",
        "signed visit moved",
        "addendum edited",
        "addendum deleted",
        "patient edited",
    ],
)
def test_verify_names_each_break(
    history: Repository,
    file_db: Database,
    db_path: Path,
    statements: list[str],
    expected: list[str],
) -> None:
    _tamper(db_path, *statements)
    problems = [p for p in verify(file_db) if "trigger" not in p]
    assert problems == expected
