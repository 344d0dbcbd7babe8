"""`sijoint-exam accuracy`: the clinic's own 2×2 from the database, as text or JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sijoint_exam.cli import main
from sijoint_exam.domain.visit import Patient
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from tests.domain.test_clinic_accuracy import _clinic


def _database(path: Path, tp: int, fn: int, fp: int, tn: int) -> Path:
    with open_database(path) as db:
        repo = Repository(db)
        for number, visit in _clinic(tp, fn, fp, tn):
            patient = Patient(f"M-{number}", "Park", "Linh", dt.date(1970, 1, 1))
            repo.save_visit(repo.add_patient(patient), visit)
    return path


def test_json_gives_the_table_and_intervals(tmp_path, capsys) -> None:
    db = _database(tmp_path / "clinic.sqlite3", 8, 2, 3, 7)
    assert main(["--db", str(db), "accuracy", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rule"] == "vanderwurff_2006"  # no settings: the default rule
    assert result["table"] == {
        "true_positive": 8,
        "false_negative": 2,
        "false_positive": 3,
        "true_negative": 7,
    }
    # Sn 8/10 by Wilson: centre (0.8 + 1.96²/20)/(1 + 1.96²/10) = 0.7167,
    # half-width 0.2266 → 0.490–0.943.
    assert result["clinic"]["sensitivity"] == {
        "value": 0.8,
        "lower": 0.49,
        "upper": 0.943,
    }
    # LR+ (8/10)/(3/10) = 2.67.
    assert result["clinic"]["lr_positive"]["value"] == 2.667
    assert result["published"]["lr_positive"] == 4.02


def test_text_below_the_minimum_shows_no_figures(tmp_path, capsys) -> None:
    db = _database(tmp_path / "clinic.sqlite3", 3, 1, 1, 2)
    assert main(["--db", str(db), "accuracy", "--rule", "laslett_2005_four"]) == 0
    out = capsys.readouterr().out
    assert "Two of four (Laslett 2005)" in out
    assert "Verified visits: 7" in out
    assert "No figures yet" in out
    assert "Sensitivity" not in out
    assert "partial verification" in out


def test_unknown_rule_is_refused(tmp_path, capsys) -> None:
    db = _database(tmp_path / "clinic.sqlite3", 1, 0, 0, 1)
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(db), "accuracy", "--rule", "five_of_five"])
    assert stop.value.code == 2
    assert "--rule: invalid choice" in capsys.readouterr().err
