"""Block agent windows travel with the stored visit: its canonical JSON keeps them,
so no migration is needed, and a visit with the default windows is stored exactly
as before they were settings."""

from __future__ import annotations

import json

from sqlite_utils import Database

from sijoint_exam.domain.block import AgentWindows
from sijoint_exam.domain.visit import Scoring
from sijoint_exam.store import visit_content
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import verify

WIDE = Scoring(agent_window_hours=AgentWindows(lidocaine=3, ropivacaine=12))


def stored_scoring(db: Database, visit_id: int) -> dict:
    (row,) = db.execute("SELECT content FROM visit WHERE id = ?", [visit_id])
    return json.loads(visit_content.unpack(row[0]))["scoring"]


def test_non_default_windows_round_trip_through_save_and_open(
    db: Database, repo: Repository, sample_patient, sample_visit
) -> None:
    visit = sample_visit(scoring=WIDE)
    visit_id = repo.save_visit(repo.add_patient(sample_patient()), visit)
    assert repo.get_visit(visit_id) == visit
    assert stored_scoring(db, visit_id)["agent_window_hours"] == {
        "lidocaine": 3,
        "bupivacaine": 8,
        "ropivacaine": 12,
    }


def test_default_windows_are_stored_as_before(
    db: Database, repo: Repository, sample_patient, sample_visit
) -> None:
    visit_id = repo.save_visit(repo.add_patient(sample_patient()), sample_visit())
    assert "agent_window_hours" not in stored_scoring(db, visit_id)
    assert repo.get_visit(visit_id).scoring.agent_window_hours == AgentWindows()


def test_changing_only_the_windows_is_saved(
    repo: Repository, sample_patient, sample_visit
) -> None:
    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    repo.save_visit(patient_id, sample_visit(scoring=WIDE), visit_id)
    assert repo.get_visit(visit_id).scoring == WIDE


def test_drafts_keep_the_windows(
    repo: Repository, sample_patient, sample_visit
) -> None:
    patient_id = repo.add_patient(sample_patient())
    repo.save_draft(patient_id, None, sample_visit(scoring=WIDE))
    (draft,) = repo.drafts()
    assert draft.visit.scoring == WIDE


def test_a_signed_visit_with_windows_verifies(
    db: Database, repo: Repository, sample_patient, sample_visit
) -> None:
    visit_id = repo.save_visit(
        repo.add_patient(sample_patient()), sample_visit(scoring=WIDE)
    )
    repo.sign_visit(visit_id, "J. Doe, PT")
    assert verify(db) == []
    assert repo.get_visit(visit_id).scoring == WIDE
