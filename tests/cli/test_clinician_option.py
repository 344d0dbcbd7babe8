"""The clinician a command works as, in the audit log: --clinician, else
$SIJOINT_EXAM_CLINICIAN, else the settings' clinician."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sijoint_exam.cli import main
from sijoint_exam.cli.common import CLINICIAN_ENV
from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository

KIM = Patient("A-1001", "Kim", "Sungae", dt.date(1978, 3, 14))


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        repo.save_visit(repo.add_patient(KIM), Visit(date=dt.date(2026, 11, 20)))
    return path


def _last_entry(database: Path) -> tuple[str, str, str]:
    with open_database(database, instance_lock=False) as db:
        entry = Repository(db).audit_log()[-1]
    return entry.action, entry.clinician, entry.os_user


def _save_settings_clinician(name: str) -> None:
    from sijoint_exam.paths import settings_path
    from sijoint_exam.ui.preferences import Preferences
    from sijoint_exam.ui.settings import Settings

    settings_path().parent.mkdir(parents=True)
    Settings(settings_path()).preferences = Preferences(clinician=name)


def test_the_option_names_the_clinician(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "visit.json"
    args = ["export", "1", "--format", "json", "-o", str(out)]
    assert main([*args, "--clinician", " A. Other, MD ", "--db", str(database)]) == 0
    action, clinician, os_user = _last_entry(database)
    assert (action, clinician) == ("export", "A. Other, MD")
    assert os_user  # beside the operating-system user, never instead of it


def test_the_environment_names_it_when_the_option_does_not(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save_settings_clinician("From Settings, PT")
    monkeypatch.setenv(CLINICIAN_ENV, "J. Doe, PT")
    assert main(["backup", str(tmp_path / "copy.sqlite3"), "--db", str(database)]) == 0
    assert _last_entry(database)[:2] == ("backup", "J. Doe, PT")
    args = ["backup", str(tmp_path / "second.sqlite3"), "--clinician", "Z. Option"]
    assert main([*args, "--db", str(database)]) == 0
    assert _last_entry(database)[:2] == ("backup", "Z. Option")


def test_the_settings_name_it_otherwise_and_no_one_without_them(
    database: Path, tmp_path: Path
) -> None:
    assert main(["backup", str(tmp_path / "a.sqlite3"), "--db", str(database)]) == 0
    assert _last_entry(database)[:2] == ("backup", "")
    _save_settings_clinician("From Settings, PT")
    assert main(["backup", str(tmp_path / "b.sqlite3"), "--db", str(database)]) == 0
    assert _last_entry(database)[:2] == ("backup", "From Settings, PT")
