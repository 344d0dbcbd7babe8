"""Migration 007: visit content deflated, provocation results without rowid.

tests/data/schema-006.sqlite3 was written by the release before it (migrations
001-006), through its Repository: patients 김 선애 and Ñúñez José; three visits,
the first signed with an addendum and exported, the second with a Korean plan,
the third with a long Spanish assessment and no provocation tests; then VACUUM.
It is never rewritten: it stands for the files users have.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.domain import visit_file
from sijoint_exam.store import cipher, compaction, visit_content
from sijoint_exam.store import migrations as schema
from sijoint_exam.store.database import open_database
from sijoint_exam.store.errors import DatabaseError
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import verify
from tests.store.conftest import raw

FIXTURE = Path(__file__).parents[1] / "data" / "schema-006.sqlite3"
PASSPHRASE = "correct horse battery"


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(FIXTURE, path)
    return path


def _read(path: Path, sql: str, passphrase: str | None = None) -> list[tuple]:
    with contextlib.closing(cipher.connect(path, passphrase)) as conn:
        return conn.execute(sql).fetchall()


def _triggers(path: Path, passphrase: str | None = None) -> list[tuple]:
    return _read(
        path,
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        " ORDER BY name",
        passphrase,
    )


def _results(path: Path, passphrase: str | None = None) -> list[tuple]:
    return _read(
        path,
        "SELECT * FROM provocation_result ORDER BY visit_id, test_id, side",
        passphrase,
    )


def test_the_fixture_is_a_schema_006_database() -> None:
    applied = _read(FIXTURE, "SELECT name FROM _sqlite_migrations")
    assert applied[-1] == ("006_clinicians",)
    assert len(_read(FIXTURE, "SELECT content_json FROM visit")) == 3


def _encrypted_copy(old_file: Path) -> Path:
    """The fixture encrypted as `sijoint-exam encrypt` would have left it."""
    target = old_file.with_name("encrypted.sqlite3")
    with contextlib.closing(cipher.connect(old_file, cipher=True)) as conn:
        cipher.export_encrypted(conn, target, PASSPHRASE)
    return target


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_visits_keep_their_content_hashes_signatures_and_guards(
    old_file: Path, encrypted: bool
) -> None:
    path, passphrase = (
        (_encrypted_copy(old_file), PASSPHRASE) if encrypted else (old_file, None)
    )
    stored_json = dict(_read(path, "SELECT id, content_json FROM visit", passphrase))
    results, triggers = _results(path, passphrase), _triggers(path, passphrase)

    with open_database(path, passphrase=passphrase) as db:
        repo = Repository(db)
        # The same visits, read from the new form; the hashes the audit log and
        # the signature recorded still match, and the trigger guards are back.
        for visit_id, text in stored_json.items():
            assert repo.get_visit(visit_id) == visit_file.visit_from_dict(
                json.loads(text)
            )
        assert verify(db) == []
        assert repo.signature(1) is not None
        assert [a.text for a in repo.addenda(1)] == ["Block booked for 2026-11-30."]
        assert repo.get_visit(2).plan == "통증이 줄었음. 다음 주 재평가."
        assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
        assert db.execute("PRAGMA freelist_count").fetchone() == (0,)  # vacuumed

    columns = _read(
        path, "SELECT name, type FROM pragma_table_info('visit')", passphrase
    )
    assert ("content", "BLOB") in columns
    assert "content_json" not in {name for name, _ in columns}
    [(table_sql,)] = _read(
        path,
        "SELECT sql FROM sqlite_master WHERE name = 'provocation_result'",
        passphrase,
    )
    assert table_sql.rstrip().endswith("WITHOUT ROWID")
    assert _results(path, passphrase) == results
    assert _triggers(path, passphrase) == triggers
    # Each visit takes a fraction of its JSON.
    for visit_id, stored in _read(path, "SELECT id, content FROM visit", passphrase):
        assert len(stored) < len(stored_json[visit_id].encode()) / 3


def test_a_signed_visit_is_still_refused_to_raw_sql(old_file: Path) -> None:
    with open_database(old_file):
        pass
    with raw(old_file) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="signed"):
            conn.execute("UPDATE visit SET content = X'00' WHERE id = 1")
        with pytest.raises(sqlite3.IntegrityError, match="signed"):
            conn.execute("DELETE FROM provocation_result WHERE visit_id = 1")
        # Foreign keys still name the rebuilt visit table.
        conn.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            conn.execute(
                "INSERT INTO provocation_result VALUES (99, 'faber', 'left', 'x')"
            )


def test_running_again_after_a_stop_before_its_record_changes_nothing(
    old_file: Path,
) -> None:
    """If the program stops between the step's commit and sqlite-utils' record
    of it, the next opening runs it again on the converted tables."""
    with open_database(old_file):
        pass
    with contextlib.closing(sqlite3.connect(old_file)) as conn:
        before = list(conn.iterdump())
    with Database(old_file) as db:
        schema.compact_visits(db)
    with contextlib.closing(sqlite3.connect(old_file)) as conn:
        assert list(conn.iterdump()) == before


def test_a_failure_part_way_leaves_the_file_as_it_was(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with contextlib.closing(sqlite3.connect(old_file)) as conn:
        before = list(conn.iterdump())
    packed: list[str] = []

    def pack_then_fail(text: str) -> bytes:
        packed.append(text)
        if len(packed) == 2:
            raise OSError("disk full")
        return visit_content.pack(text)

    monkeypatch.setattr(compaction.visit_content, "pack", pack_then_fail)
    with pytest.raises(DatabaseError, match="Upgrading .* failed.*before the upgrade"):
        open_database(old_file)
    assert len(packed) == 2
    with contextlib.closing(sqlite3.connect(old_file)) as conn:
        assert list(conn.iterdump()) == before
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_caller_is_told_before_an_upgrade_and_only_then(
    old_file: Path, tmp_path: Path
) -> None:
    told: list[bool] = []

    def upgrading() -> None:  # before the copy: nothing written yet
        told.append(not list(tmp_path.glob("*.before-migration-*")))

    with open_database(old_file, on_upgrade=lambda: upgrading()):
        pass
    with open_database(old_file, on_upgrade=lambda: told.append(False)):
        pass  # up to date now
    with open_database(tmp_path / "new.sqlite3", on_upgrade=lambda: told.append(False)):
        pass  # a new database is created, not upgraded
    assert told == [True]
