"""Upgrading a database written by the first schema (tests/data/schema-001.sqlite3).

The file was made by applying migration 001 only (`apply(stop_before=
"002_patient_search")`), then inserting with plain SQL two patients (Ñúñez, José;
김, 선애) and one visit of 김's with three provocation rows, then VACUUM. It is never
rewritten: it stands for the files users have.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from sijoint_exam.store import audit
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import verify

FIXTURE = Path(__file__).parents[1] / "data" / "schema-001.sqlite3"


def _dump(path: Path) -> list[str]:
    with contextlib.closing(
        sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    ) as conn:
        return list(conn.iterdump())


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(FIXTURE, path)
    return path


def test_the_fixture_is_a_first_schema_database() -> None:
    with contextlib.closing(
        sqlite3.connect(f"{FIXTURE.as_uri()}?mode=ro", uri=True)
    ) as conn:
        applied = conn.execute("SELECT name FROM _sqlite_migrations").fetchall()
        columns = [row[1] for row in conn.execute("PRAGMA table_info(patient)")]
    assert applied == [("001_create_schema",)]
    assert "search_text" not in columns


def test_first_schema_database_is_upgraded_and_keeps_its_records(
    old_file: Path,
) -> None:
    original = _dump(old_file)
    with open_database(old_file) as db:
        repo = Repository(db)
        # Search works on the records that were there before it existed.
        [nunez] = repo.search_patients("NUNEZ jose")
        [kim] = repo.search_patients("김 선애")
        assert (nunez.id, nunez.patient.given_names) == (1, "José")
        assert nunez.patient.date_of_birth == dt.date(1990, 7, 1)
        [summary] = repo.list_visits(kim.id)
        assert (summary.id, summary.signed, summary.positive_count) == (1, False, 2)
        visit = repo.get_visit(1)
        assert (visit.date, visit.clinician, visit.plan) == (
            dt.date(2025, 3, 2),
            "J. Doe, PT",
            "Review in two weeks",
        )
        # Everything already there is in the audit log from the start.
        entries = repo.audit_log()
        assert [(e.action, e.entity, e.entity_id) for e in entries] == [
            (audit.BASELINE, "patient", 1),
            (audit.BASELINE, "patient", 2),
            (audit.BASELINE, "visit", 1),
        ]
        assert verify(db) == []
        # And the old records take part in what came with the upgrade.
        repo.sign_visit(1, "J. Doe, PT")
        repo.add_addendum(1, "Reviewed after the upgrade.", "J. Doe, PT")
        assert verify(db) == []

    [copy] = old_file.parent.glob("clinic.sqlite3.before-migration-*.sqlite3")
    assert _dump(copy) == original
