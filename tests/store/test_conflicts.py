"""Two programs, one database: a second window is refused with a clear message;
two processes writing at once leave it whole; files are the owner's only."""

from __future__ import annotations

import os
import signal
import stat
import sys
from pathlib import Path

import pytest

from sijoint_exam.store.database import (
    DatabaseError,
    DatabaseInUseError,
    open_database,
)
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import verify
from tests.store.conftest import read_line

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX")


def test_a_database_open_in_another_program_is_refused(db_path: Path, spawn) -> None:
    with open_database(db_path):
        pass
    holder = spawn("hold", db_path)
    assert read_line(holder) == "open"

    with pytest.raises(DatabaseInUseError) as caught:
        open_database(db_path)
    message = str(caught.value)
    assert str(db_path) in message
    assert "already open in another copy of sijoint-exam" in message
    assert f"process {holder.pid}" in message
    # Tools that only read or back up may still open it.
    with open_database(db_path, instance_lock=False) as db:
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)

    holder.communicate("")  # the window closes
    with open_database(db_path):
        pass


@POSIX
def test_the_lock_dies_with_a_killed_program(db_path: Path, spawn) -> None:
    holder = spawn("hold", db_path)
    assert read_line(holder) == "open"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=30)
    with open_database(db_path):
        pass


def test_one_program_may_open_its_database_twice_and_then_lets_go(
    db_path: Path, spawn
) -> None:
    first = open_database(db_path)
    second = open_database(db_path)
    first.close()
    attempt = spawn("try", db_path)
    assert read_line(attempt).startswith("in use: ")  # still held by `second`
    second.close()
    attempt = spawn("try", db_path)
    assert read_line(attempt) == "opened"


def test_two_processes_writing_at_once_leave_it_whole(db_path: Path, spawn) -> None:
    with open_database(db_path):
        pass
    count = 40
    writers = [spawn("writer", db_path, name, count) for name in ("Left", "Right")]
    assert [read_line(writer) for writer in writers] == ["ready", "ready"]
    for writer in writers:  # both start together
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    assert [read_line(writer) for writer in writers] == ["done", "done"]
    for writer in writers:
        writer.communicate(timeout=60)
        assert writer.returncode == 0

    with open_database(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        repo = Repository(db)
        for name in ("Left", "Right"):
            found = repo.search_patients(name, limit=1000)
            assert len(found) == count
            assert all(len(repo.list_visits(s.id)) == 1 for s in found)
        # Each transaction read the log's last hash and appended after it: had two
        # interleaved, the chain would show it.
        assert verify(db) == []
        assert len(repo.audit_log()) == 4 * count


@POSIX
def test_new_files_and_folders_are_the_owners_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "sijoint" / "exam.sqlite3"
    existing = stat.S_IMODE(tmp_path.stat().st_mode)
    with open_database(path) as db:
        Repository(db).backup_if_due(path.parent / "backups")
        created = [
            path.parent.parent,
            path.parent,
            path,
            path.with_name("exam.sqlite3-wal"),
            path.with_name("exam.sqlite3-shm"),
            path.with_name("exam.sqlite3.lock"),
            path.parent / "backups",
            *(path.parent / "backups").iterdir(),
        ]
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in created}
    assert modes == {p.name: (0o700 if p.is_dir() else 0o600) for p in created}
    # A folder that was there already is not the program's to change.
    assert stat.S_IMODE(tmp_path.stat().st_mode) == existing


def test_a_lock_file_that_cannot_be_made_gives_a_message(db_path: Path) -> None:
    with open_database(db_path):
        pass
    lock_file = db_path.with_name("exam.sqlite3.lock")
    lock_file.unlink()
    lock_file.mkdir()  # as unopenable as a read-only folder, even for root
    with pytest.raises(DatabaseError, match="lock file") as caught:
        open_database(db_path)
    assert str(db_path) in str(caught.value)
