"""`sijoint-exam verify`, `backup` and `restore`."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sijoint_exam.cli import main
from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository

DAY_ONE = Patient("A-1001", "Kim", "Sungae", dt.date(1978, 3, 14))


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A database with a signed visit."""
    path = tmp_path / "clinic.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        patient_id = repo.add_patient(DAY_ONE)
        visit_id = repo.save_visit(patient_id, Visit(date=DAY_ONE.date_of_birth))
        repo.sign_visit(visit_id, "J. Doe, PT")
    return path


def test_verify_an_intact_database(database: Path, capsys) -> None:
    assert main(["verify", "--db", str(database)]) == 0
    out = capsys.readouterr().out
    assert out == f"{database}: intact (3 audit log entries, 1 signed visit checked).\n"


def test_verify_reports_each_break_and_fails(database: Path, capsys) -> None:
    conn = sqlite3.connect(database, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER visit_signed_no_update")
        conn.execute("UPDATE visit SET clinician = 'X', content = X'00'")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE id = 2")
    finally:
        conn.close()
    # --db before the command works as well as after it.
    assert main(["--db", str(database), "verify"]) == 1
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert "Audit log entry 2 has been deleted." in lines
    assert any(line.startswith("Visit 1 (signed by J. Doe, PT") for line in lines)
    assert "5 break(s) found" in captured.err


def test_verify_without_a_database_fails_with_a_message(tmp_path, capsys) -> None:
    missing = tmp_path / "none.sqlite3"
    assert main(["verify", "--db", str(missing)]) == 1
    assert str(missing) in capsys.readouterr().err
    assert not missing.exists()


def test_backup_into_a_folder_a_file_and_the_default_folder(
    database: Path, tmp_path: Path, capsys
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    assert main(["backup", str(folder), "--db", str(database)]) == 0
    [written] = folder.iterdir()
    assert capsys.readouterr().out == f"{written}\n"

    assert main(["backup", "--db", str(database)]) == 0
    [default] = (database.parent / "backups").iterdir()
    assert default.name.startswith("clinic-")
    assert capsys.readouterr().out == f"{default}\n"

    assert main(["backup", str(written), "--db", str(database)]) == 1
    assert "never overwrites" in capsys.readouterr().err


def test_backup_into_a_new_folder_named_with_a_trailing_slash(
    database: Path, tmp_path: Path, capsys
) -> None:
    folder = tmp_path / "usb" / "clinic"
    assert main(["backup", f"{folder}{os.sep}", "--db", str(database)]) == 0
    [written] = folder.iterdir()
    assert written.name.startswith("clinic-")
    assert capsys.readouterr().out == f"{written}\n"
    assert folder.stat().st_mode & 0o777 == 0o700


def test_restore(database: Path, tmp_path: Path, capsys) -> None:
    assert main(["backup", str(tmp_path), "--db", str(database)]) == 0
    written = Path(capsys.readouterr().out.strip())
    with open_database(database) as db:
        Repository(db).add_patient(Patient("Z-9", "Later", "", DAY_ONE.date_of_birth))

    assert main(["restore", str(written), "--db", str(database)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f'Restored "{database}" from "{written}".'
    assert out[1].startswith(f'The database it replaced is kept at "{database}.')
    with open_database(database) as db:
        names = [s.patient.family_name for s in Repository(db).search_patients()]
    assert names == ["Kim"]


def test_restore_of_a_bad_file_fails_and_changes_nothing(
    database: Path, tmp_path: Path, capsys
) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    before = database.read_bytes()
    assert main(["restore", str(bad), "--db", str(database)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err
    assert database.read_bytes() == before


def test_verify_runs_as_a_command(database: Path) -> None:
    env = {**os.environ, "SIJOINT_EXAM_DB": str(database)}
    result = subprocess.run(
        [sys.executable, "-m", "sijoint_exam", "verify"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "intact" in result.stdout
