"""The clinician working: on every audit entry, and remembered per database."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.store import migrations as schema
from sijoint_exam.store.repository import Repository


@pytest.fixture
def ticking(db: Database) -> Repository:
    """A repository whose clock moves on a minute at each reading."""
    moments = (dt.datetime(2026, 11, 20, 9, m, tzinfo=dt.UTC) for m in range(60))
    return Repository(db, clock=lambda: next(moments), os_user=lambda: "nurse1")


def test_every_audit_entry_carries_the_clinician_working(
    ticking: Repository, sample_patient, sample_visit, tmp_path: Path
) -> None:
    repo = ticking
    repo.clinician = "Dr A"
    patient_id = repo.add_patient(sample_patient())
    # The visit names another examiner; the entry names who recorded it.
    visit_id = repo.save_visit(patient_id, sample_visit(clinician="J. Doe, PT"))
    repo.update_patient(patient_id, sample_patient(given_names="Sun-ae"))
    repo.sign_visit(visit_id)
    repo.clinician = "Dr B"  # one step switches
    repo.add_addendum(visit_id, "Left, not right.")
    repo.record_export(visit_id, tmp_path / "note.pdf", "visit note PDF")
    repo.record_print(visit_id, "Room 2", "visit note")
    entries = repo.audit_log()
    assert [(e.action, e.clinician) for e in entries] == [
        ("create", "Dr A"),
        ("create", "Dr A"),
        ("change", "Dr A"),
        ("sign", "Dr A"),
        ("addendum", "Dr B"),
        ("export", "Dr B"),
        ("print", "Dr B"),
    ]
    assert repo.signature(visit_id).clinician == "Dr A"
    assert repo.addenda(visit_id)[0].clinician == "Dr B"
    assert {e.os_user for e in entries} == {"nurse1"}


def test_backups_carry_the_clinician_too(tmp_path: Path, file_db: Database) -> None:
    repo = Repository(file_db, clinician="Dr C")
    repo.backup_to(tmp_path / "backups")
    assert [(e.action, e.clinician) for e in repo.audit_log()] == [("backup", "Dr C")]


def test_a_given_signer_or_exporter_overrides_the_one_working(
    repo: Repository, sample_patient, sample_visit
) -> None:
    repo.clinician = "Dr A"
    visit_id = repo.save_visit(repo.add_patient(sample_patient()), sample_visit())
    repo.sign_visit(visit_id, "Dr Signer")
    repo.record_export(visit_id, "out.json", "visit file", clinician="Dr Export")
    assert [e.clinician for e in repo.audit_log()][-2:] == ["Dr Signer", "Dr Export"]


def test_without_a_clinician_a_visit_is_logged_under_its_own(
    repo: Repository, sample_patient, sample_visit
) -> None:
    assert repo.clinician == ""
    visit_id = repo.save_visit(repo.add_patient(sample_patient()), sample_visit())
    assert [e.clinician for e in repo.audit_log()] == ["", "J. Doe, PT"]
    with pytest.raises(ValueError, match="clinician's name"):
        repo.sign_visit(visit_id)  # nobody to sign


def test_clinicians_are_remembered_most_recent_first(
    ticking: Repository, db: Database
) -> None:
    repo = ticking
    assert repo.clinicians() == []
    repo.clinician = "  Dr A "
    assert repo.clinician == "Dr A"
    repo.remember_clinician("Dr B")  # added, not switched to
    assert repo.clinician == "Dr A"
    assert repo.clinicians() == ["Dr B", "Dr A"]
    repo.clinician = "Dr A"
    assert repo.clinicians() == ["Dr A", "Dr B"]
    repo.clinician = ""  # nobody: nothing remembered
    assert repo.clinicians() == ["Dr A", "Dr B"]
    with pytest.raises(ValueError, match="needs a name"):
        repo.remember_clinician("   ")
    # Per database: another repository on it sees the same list.
    assert Repository(db).clinicians() == ["Dr A", "Dr B"]
    [first_a] = db.execute(
        "SELECT first_used_at FROM clinician WHERE name = 'Dr A'"
    ).fetchone()
    assert first_a == "2026-11-20T09:00:00+00:00"


def test_constructing_a_repository_remembers_nobody(db: Database) -> None:
    Repository(db, clinician="Dr Quiet")
    assert Repository(db).clinicians() == []


def test_migration_remembers_the_clinicians_of_the_audit_log(
    repo: Repository, db: Database, sample_patient, sample_visit
) -> None:
    visit_id = repo.save_visit(repo.add_patient(sample_patient()), sample_visit())
    repo.sign_visit(visit_id, "Dr Older ")
    # As if the database had been written before migration 006.
    db.execute("DROP TABLE clinician")
    schema.clinicians(db)
    # Same moment (a fixed clock): by name.
    assert repo.clinicians() == ["Dr Older", "J. Doe, PT"]
