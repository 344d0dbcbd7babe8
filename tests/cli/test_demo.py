"""`sijoint-exam demo`: each patient is written with their visits in one
transaction, so a demo stopped halfway leaves no patient without a visit."""

from __future__ import annotations

from pathlib import Path

import pytest

from sijoint_exam.cli import main
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import verify


class Stopped(BaseException):
    """Stands for the process being ended between two writes."""


def _visit_counts(path: Path) -> dict[str, int]:
    with open_database(path) as db:
        repo = Repository(db)
        return {
            summary.patient.mrn: len(repo.list_visits(summary.id))
            for summary in repo.search_patients("DEMO-", limit=10_000)
        }


def test_a_demo_stopped_before_a_patient_s_visits_leaves_no_patient_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "clinic.sqlite3"
    added, saved = Repository.add_patient, Repository.save_visit
    patients = 0

    def add(self, *args, **kwargs):
        nonlocal patients
        patients += 1
        return added(self, *args, **kwargs)

    def save_then_stop(self, *args, **kwargs):
        if patients == 4:  # the fourth patient is written, none of their visits
            raise Stopped
        return saved(self, *args, **kwargs)

    monkeypatch.setattr(Repository, "add_patient", add)
    monkeypatch.setattr(Repository, "save_visit", save_then_stop)
    with pytest.raises(Stopped):
        main(["demo", "--patients", "20", "--db", str(db)])
    monkeypatch.undo()
    counts = _visit_counts(db)
    assert len(counts) == 3
    assert [mrn for mrn, visits in counts.items() if visits == 0] == []
    with open_database(db) as opened:
        assert verify(opened) == []


def test_a_whole_demo(tmp_path: Path, capsys) -> None:
    db = tmp_path / "clinic.sqlite3"
    assert main(["demo", "--patients", "5", "--db", str(db)]) == 0
    counts = _visit_counts(db)
    assert len(counts) == 5 and min(counts.values()) >= 1
    assert f"Added 5 patients and {sum(counts.values())} visits" in (
        capsys.readouterr().out
    )
