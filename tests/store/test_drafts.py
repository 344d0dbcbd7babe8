"""Autosaved drafts: one per visit being edited, gone once the visit is saved, and
still there after the program is killed."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Draft, NotFoundError, Repository
from tests.conftest import TODAY
from tests.store.conftest import NINE_THIRTY, read_line


def test_draft_round_trip(repo: Repository, sample_patient, sample_visit) -> None:
    patient_id = repo.add_patient(sample_patient())
    draft_id = repo.save_draft(patient_id, None, sample_visit())
    assert repo.drafts() == [
        Draft(
            id=draft_id,
            patient_id=patient_id,
            visit_id=None,
            visit=sample_visit(),
            saved_at=NINE_THIRTY,
        )
    ]


def test_each_autosave_replaces_the_draft_of_the_same_visit(
    repo: Repository, sample_patient, sample_visit
) -> None:
    kim = repo.add_patient(sample_patient())
    lee = repo.add_patient(sample_patient(mrn="L-1", family_name="Lee"))
    visit_id = repo.save_visit(kim, sample_visit())
    new_kim = repo.save_draft(kim, None, sample_visit(plan="first"))
    assert repo.save_draft(kim, None, sample_visit(plan="second")) == new_kim
    old_kim = repo.save_draft(kim, visit_id, sample_visit(plan="edited"))
    new_lee = repo.save_draft(lee, None, sample_visit(plan="Lee's"))
    assert len({new_kim, old_kim, new_lee}) == 3
    by_id = {draft.id: draft for draft in repo.drafts()}
    assert set(by_id) == {new_kim, old_kim, new_lee}
    assert by_id[new_kim].visit.plan == "second"
    assert (by_id[old_kim].visit_id, by_id[old_kim].visit.plan) == (visit_id, "edited")
    assert (by_id[new_lee].patient_id, by_id[new_lee].visit.plan) == (lee, "Lee's")


def test_saving_the_visit_clears_its_draft_only(
    repo: Repository, sample_patient, sample_visit
) -> None:
    kim = repo.add_patient(sample_patient())
    lee = repo.add_patient(sample_patient(mrn="L-1", family_name="Lee"))
    repo.save_draft(kim, None, sample_visit())
    lees = repo.save_draft(lee, None, sample_visit())
    visit_id = repo.save_visit(kim, sample_visit())
    assert [draft.id for draft in repo.drafts()] == [lees]

    kims = repo.save_draft(kim, visit_id, sample_visit(plan="more"))
    repo.save_visit(kim, sample_visit(plan="more"), visit_id=visit_id)
    assert kims not in [draft.id for draft in repo.drafts()]
    assert [draft.id for draft in repo.drafts()] == [lees]


def test_a_failed_save_keeps_the_draft(
    db: Database, repo: Repository, sample_patient, sample_visit
) -> None:
    patient_id = repo.add_patient(sample_patient())
    draft_id = repo.save_draft(patient_id, None, sample_visit())
    db.execute(
        "CREATE TRIGGER refuse_results BEFORE INSERT ON provocation_result"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        repo.save_visit(patient_id, sample_visit())
    assert [draft.id for draft in repo.drafts()] == [draft_id]
    assert repo.list_visits(patient_id) == []


def test_discard_draft(repo: Repository, sample_patient, sample_visit) -> None:
    patient_id = repo.add_patient(sample_patient())
    draft_id = repo.save_draft(patient_id, None, sample_visit())
    repo.discard_draft(draft_id)
    assert repo.drafts() == []
    with pytest.raises(NotFoundError):
        repo.discard_draft(draft_id)


def test_drafts_refuse_unknown_or_foreign_visits(
    repo: Repository, sample_patient, sample_visit
) -> None:
    kim = repo.add_patient(sample_patient())
    lee = repo.add_patient(sample_patient(mrn="L-1", family_name="Lee"))
    kims_visit = repo.save_visit(kim, sample_visit())
    with pytest.raises(NotFoundError):
        repo.save_draft(999, None, sample_visit())
    with pytest.raises(NotFoundError):
        repo.save_draft(kim, 999, sample_visit())
    with pytest.raises(ValueError, match="another patient"):
        repo.save_draft(lee, kims_visit, sample_visit())
    assert repo.drafts() == []


def test_drafts_are_newest_first(db: Database, sample_patient, sample_visit) -> None:
    times = iter(NINE_THIRTY.replace(minute=minute) for minute in (1, 3, 2, 4))
    repo = Repository(db, clock=lambda: next(times))
    kim = repo.add_patient(sample_patient())
    lee = repo.add_patient(sample_patient(mrn="L-1", family_name="Lee"))
    repo.save_draft(kim, None, sample_visit())
    repo.save_draft(lee, None, sample_visit())
    assert [draft.patient_id for draft in repo.drafts()] == [lee, kim]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_nothing_older_than_the_last_autosave_is_lost_when_killed(
    db_path: Path, spawn, sample_patient
) -> None:
    with open_database(db_path) as db:
        Repository(db).add_patient(sample_patient(mrn="D-0001"))
    child = spawn("drafts", db_path)
    # Let it autosave a while, then kill it between any two instructions.
    printed = [int(read_line(child)) for _ in range(40)]
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.stdout is not None
    # Edits it printed before the kill landed are committed too.
    printed += [int(line) for line in child.stdout.read().split()]
    assert child.returncode == -signal.SIGKILL

    # The lock died with the process: the next start opens the file at once.
    with open_database(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        [draft] = Repository(db).drafts()
    recovered = int(draft.visit.chief_complaint.removeprefix("edit "))
    assert recovered >= printed[-1]
    assert draft.visit.date == TODAY
