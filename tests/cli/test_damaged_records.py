"""A zero-length database file and a visit whose stored content cannot be read:
refused or reported by name, exit status 1, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from sijoint_exam.cli import main
from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.store.database import DatabaseError, open_database
from sijoint_exam.store.repository import DamagedRecordError, Repository
from tests.cli.test_main import run

PATIENT = Patient("A-1001", "Kim", "Sungae", dt.date(1978, 3, 14))


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(b"")
    return path


def test_a_zero_length_database_is_not_intact(empty: Path, capsys) -> None:
    assert main(["verify", "--db", str(empty)]) == 1
    err = capsys.readouterr().err
    assert "is an empty file (0 bytes)" in err
    assert "intact" not in err
    assert empty.read_bytes() == b""


def test_a_zero_length_database_is_not_taken_for_a_new_one(empty: Path) -> None:
    with pytest.raises(DatabaseError, match="empty file"):
        open_database(empty)
    assert empty.read_bytes() == b""


def test_the_window_refuses_a_zero_length_database(empty: Path, tmp_path) -> None:
    result = run("--db", str(empty), "--exit-when", "ready", home=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "empty file (0 bytes)" in result.stderr
    assert empty.read_bytes() == b""


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """Visit 1 whose stored content is damaged (bit rot); visit 2 intact."""
    path = tmp_path / "clinic.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        patient_id = repo.add_patient(PATIENT)
        repo.save_visit(patient_id, Visit(date=dt.date(2026, 11, 20)))
        repo.save_visit(patient_id, Visit(date=dt.date(2026, 11, 21)))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        (stored,) = conn.execute("SELECT content FROM visit WHERE id = 1").fetchone()
        flipped = bytes([stored[0], stored[1] ^ 0x40, *stored[2:]])
        conn.execute("UPDATE visit SET content = ? WHERE id = 1", [flipped])
    finally:
        conn.close()
    return path


def test_reading_a_damaged_visit_names_it(damaged: Path) -> None:
    with open_database(damaged) as db:
        repo = Repository(db)
        with pytest.raises(DamagedRecordError, match="Visit 1 cannot be read"):
            repo.get_visit(1)
        assert repo.get_visit(2).date == dt.date(2026, 11, 21)


@pytest.mark.parametrize(
    "args",
    [
        ["export", "1", "--format", "json"],
        ["export-pdf", "1", "-o", "{out}/note.pdf"],
        [
            "export-pdf",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--out-dir",
            "{out}",
        ],
    ],
    ids=["export", "export-pdf", "export-pdf batch"],
)
def test_exporting_a_damaged_visit_fails_naming_it(
    damaged: Path, tmp_path: Path, args: list[str], capsys
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    given = [a.format(out=out) for a in args]
    assert main([*given, "--db", str(damaged)]) == 1
    captured = capsys.readouterr()
    assert "Visit 1 cannot be read: the stored visit content is damaged" in captured.err
    assert "restore the database from a backup" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_a_good_visit_is_exported_with_a_damaged_one_named_in_its_trend(
    damaged: Path, tmp_path: Path, capsys
) -> None:
    """Visit 1 is damaged: visit 2's note is still written, and its trend says
    that the visit of 2026-11-20 is left out."""
    from pypdf import PdfReader

    target = tmp_path / "note.pdf"
    assert main(["export-pdf", "2", "-o", str(target), "--db", str(damaged)]) == 0
    assert "Traceback" not in capsys.readouterr().err
    text = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(target).pages
    )
    assert "Not in this trend: the visit of 2026-11-20" in text


def test_verify_names_the_damaged_visit(damaged: Path, capsys) -> None:
    assert main(["verify", "--db", str(damaged)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "Visit 1 cannot be read: its stored content is damaged or was changed "
        "outside the program; restore the database from a backup."
    ]


def test_an_empty_backup_is_never_offered_nor_restored(tmp_path: Path, capsys) -> None:
    from sijoint_exam.store import files

    db = tmp_path / "clinic.sqlite3"
    open_database(db).close()
    empty_backup = files.backup_path(db, tmp_path / "backups", dt.datetime.now(dt.UTC))
    empty_backup.parent.mkdir()
    empty_backup.write_bytes(b"")
    assert files.latest_good_backup(db, empty_backup.parent) is None
    before = db.read_bytes()
    assert main(["restore", str(empty_backup), "--db", str(db)]) == 1
    assert "empty (0 bytes)" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_a_record_from_before_the_input_limits_is_exported_with_a_warning(
    tmp_path: Path, capsys
) -> None:
    """A control character stored by an earlier version: the visit file is
    written as the record is, and the warning names the field that `import`
    will refuse, with the same words import uses."""
    path = tmp_path / "clinic.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        patient_id = repo.add_patient(PATIENT)
        visit_id = repo.save_visit(
            patient_id, Visit(date=dt.date(2026, 11, 20), plan="Ice\x07 and rest")
        )
    target = tmp_path / "visit.json"
    args = ["export", str(visit_id), "--format", "json", "-o", str(target)]
    assert main([*args, "--db", str(path)]) == 0
    warned = capsys.readouterr().err.splitlines()
    assert warned[0].startswith(f"export: warning: visit {visit_id} was written")
    refusal = "visit.plan: character 4 is a control character (U+0007)"
    assert warned[1:] == [f"  {refusal}, refused in free text"]
    # Nothing left out: the file holds the record as stored.
    assert json.loads(target.read_text("utf-8"))["visit"]["plan"] == "Ice\x07 and rest"
    assert main(["import", str(target), "--db", str(tmp_path / "other.sqlite3")]) == 2
    assert refusal in capsys.readouterr().err
