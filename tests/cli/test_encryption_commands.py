"""`encrypt`, `change-passphrase`, and every database command on an encrypted
database, with $SIJOINT_EXAM_PASSPHRASE or the terminal prompt."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from pathlib import Path

import pytest

from sijoint_exam.cli import main
from sijoint_exam.cli.common import NEW_PASSPHRASE_ENV, PASSPHRASE_ENV
from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.store.database import is_encrypted, open_database
from sijoint_exam.store.repository import Repository

SAMPLE = Path(__file__).parents[1] / "data" / "sample-visit.json"
PASSPHRASE = "Ñandú de 김선애 2026"
NEW_PASSPHRASE = "another long passphrase"
PATIENT = Patient("B-2002", "Łukasz-Ñúñez", "김선애", dt.date(1978, 3, 14))


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """No passphrase in the environment and no terminal, unless a test sets one."""
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    monkeypatch.delenv(NEW_PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        visit_id = repo.save_visit(
            repo.add_patient(PATIENT), Visit(date=dt.date.today())
        )
        repo.sign_visit(visit_id, "J. Doe, PT")
    return path


@pytest.fixture
def encrypted(plain: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Path:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert main(["encrypt", "--db", str(plain)]) == 0
    capsys.readouterr()
    return plain


def _terminal(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """A terminal that answers the prompts in turn; returns the prompts."""
    prompts: list[str] = []
    replies = iter(answers)

    def ask(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(replies)

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(getpass, "getpass", ask)
    return prompts


def test_encrypt_with_the_environment_variable(plain: Path, monkeypatch, capsys):
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert main(["encrypt", "--db", str(plain)]) == 0
    out = capsys.readouterr().out
    [kept] = plain.parent.glob("clinic.sqlite3.plain-before-encryption-*")
    assert is_encrypted(plain) and not is_encrypted(kept)
    assert f'Encrypted "{plain}".' in out and f"  {kept}\n" in out
    assert "delete every unencrypted copy securely" in out
    assert PASSPHRASE not in out


def test_every_database_command_works_on_an_encrypted_database(
    encrypted: Path, tmp_path: Path, capsys
) -> None:
    db = ["--db", str(encrypted)]
    assert main(["verify", *db]) == 0
    assert "intact" in capsys.readouterr().out
    assert main(["import", str(SAMPLE), *db]) == 0
    visit_id = capsys.readouterr().out.strip()
    exported = tmp_path / "visit.json"
    assert main(["export", visit_id, "--format", "json", "-o", str(exported), *db]) == 0
    assert json.loads(exported.read_text())["patient"]
    assert main(["demo", "--patients", "2", *db]) == 0
    assert main(["backup", str(tmp_path / "copy.sqlite3"), *db]) == 0
    assert is_encrypted(tmp_path / "copy.sqlite3")
    assert main(["restore", str(tmp_path / "copy.sqlite3"), *db]) == 0
    assert is_encrypted(encrypted)
    assert main(["verify", *db]) == 0
    captured = capsys.readouterr()
    assert PASSPHRASE not in captured.out + captured.err


def test_without_a_passphrase_the_command_says_how_to_give_one(
    encrypted: Path, monkeypatch, capsys
) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV)
    assert main(["verify", "--db", str(encrypted)]) == 1
    err = capsys.readouterr().err
    assert "is encrypted" in err and PASSPHRASE_ENV in err


def test_a_wrong_passphrase_is_one_plain_line(encrypted: Path, monkeypatch, capsys):
    monkeypatch.setenv(PASSPHRASE_ENV, "not the passphrase")
    assert main(["backup", "--db", str(encrypted)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f'sijoint-exam: The passphrase for "{encrypted}" is not right.\n'
    )
    assert captured.out == ""


def test_the_terminal_prompt_is_used_without_the_variable(
    encrypted: Path, monkeypatch, capsys
) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV)
    prompts = _terminal(monkeypatch, PASSPHRASE)
    assert main(["verify", "--db", str(encrypted)]) == 0
    assert prompts == [f'Passphrase for "{encrypted}": ']
    assert PASSPHRASE not in "".join(capsys.readouterr())


def test_a_plain_database_asks_for_nothing(plain: Path, monkeypatch, capsys):
    prompts = _terminal(monkeypatch)
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert main(["verify", "--db", str(plain)]) == 0
    assert prompts == []


def test_encrypt_asks_twice_and_refuses_a_mismatch_or_a_weak_one(
    plain: Path, monkeypatch, capsys
) -> None:
    before = plain.read_bytes()
    _terminal(monkeypatch, PASSPHRASE, PASSPHRASE + "x")
    assert main(["encrypt", "--db", str(plain)]) == 2
    assert "differ" in capsys.readouterr().err
    _terminal(monkeypatch, "short", "short")
    assert main(["encrypt", "--db", str(plain)]) == 2
    assert "at least 8 characters" in capsys.readouterr().err
    assert plain.read_bytes() == before
    prompts = _terminal(monkeypatch, PASSPHRASE, PASSPHRASE)
    assert main(["encrypt", "--db", str(plain)]) == 0
    assert prompts == [f'New passphrase for "{plain}": ', "The same passphrase again: "]
    assert is_encrypted(plain)


def test_encrypt_without_any_passphrase_or_twice(plain: Path, monkeypatch, capsys):
    assert main(["encrypt", "--db", str(plain)]) == 2
    assert PASSPHRASE_ENV in capsys.readouterr().err
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert main(["encrypt", "--db", str(plain)]) == 0
    assert main(["encrypt", "--db", str(plain)]) == 1
    assert "encrypted already" in capsys.readouterr().err


def test_encrypt_creates_a_new_encrypted_database(tmp_path: Path, monkeypatch, capsys):
    path = tmp_path / "new" / "clinic.sqlite3"
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert main(["encrypt", "--db", str(path)]) == 0
    assert f'Created the encrypted database "{path}".' in capsys.readouterr().out
    assert is_encrypted(path)
    assert main(["verify", "--db", str(path)]) == 0


def test_change_passphrase(encrypted: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(NEW_PASSPHRASE_ENV, NEW_PASSPHRASE)
    assert main(["change-passphrase", "--db", str(encrypted)]) == 0
    assert "Backups made before still open" in capsys.readouterr().out
    assert main(["verify", "--db", str(encrypted)]) == 1  # the old one fails
    assert "is not right" in capsys.readouterr().err
    monkeypatch.setenv(PASSPHRASE_ENV, NEW_PASSPHRASE)
    assert main(["verify", "--db", str(encrypted)]) == 0


def test_change_passphrase_on_the_terminal_and_its_refusals(
    encrypted: Path, plain: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV)
    prompts = _terminal(monkeypatch, "wrong passphrase", NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert main(["change-passphrase", "--db", str(encrypted)]) == 1
    assert "is not right" in capsys.readouterr().err
    assert prompts[0] == f'Current passphrase for "{encrypted}": '
    other = tmp_path / "other.sqlite3"
    open_database(other).close()
    assert main(["change-passphrase", "--db", str(other)]) == 1
    assert "not encrypted" in capsys.readouterr().err
    assert main(["change-passphrase", "--db", str(tmp_path / "none")]) == 1
    assert "There is no database" in capsys.readouterr().err


def test_restoring_a_plain_backup_over_an_encrypted_database_warns(
    plain: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    old = tmp_path / "old-backup.sqlite3"
    assert main(["backup", str(old), "--db", str(plain)]) == 0
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert main(["encrypt", "--db", str(plain)]) == 0
    capsys.readouterr()
    assert main(["restore", str(old), "--db", str(plain)]) == 0
    assert "is not encrypted" in capsys.readouterr().err


def test_backup_says_which_plain_backups_rotation_left(
    plain: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder = plain.parent / "backups"
    folder.mkdir()
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    with open_database(plain) as db:
        for day in range(15):
            moment = long_ago + dt.timedelta(days=day)
            Repository(db, clock=lambda m=moment: m).backup_to(folder)
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert main(["encrypt", "--db", str(plain)]) == 0
    capsys.readouterr()
    assert main(["backup", "--db", str(plain)]) == 0
    err = capsys.readouterr().err
    assert "unencrypted backup(s) from before the database was encrypted" in err
    assert "Delete them securely." in err
    assert len(list(folder.iterdir())) == 16  # nothing removed: all plain but one
