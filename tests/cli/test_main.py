"""The program's entry points, in a subprocess (a second QApplication would abort)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from sijoint_exam import __version__
from sijoint_exam.store.migrations import known_names


def run(*args: str, home, env_extra: dict[str, str] | None = None):
    # The user's own settings and data folders are never touched by a test.
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        **(env_extra or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "sijoint_exam", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_version(tmp_path):
    result = run("--version", home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"sijoint-exam {__version__}"


def test_window_opens_on_the_database_given_and_creates_it(tmp_path):
    db = tmp_path / "sub" / "clinic.sqlite3"
    result = run("--db", str(db), "--exit-when", "ready", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert db.is_file()


def test_environment_variable_picks_the_database(tmp_path):
    db = tmp_path / "from-env.sqlite3"
    result = run(
        "--exit-when", "ready", home=tmp_path, env_extra={"SIJOINT_EXAM_DB": str(db)}
    )
    assert result.returncode == 0, result.stderr
    assert db.is_file()


def test_unreadable_database_gives_a_message_not_a_traceback(tmp_path):
    db = tmp_path / "clinic.sqlite3"
    db.write_bytes(b"not a database" * 100)
    result = run("--db", str(db), "--exit-when", "ready", home=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "clinic.sqlite3" in result.stderr
    assert db.read_bytes() == b"not a database" * 100


def test_the_window_upgrades_a_database_of_the_previous_release(tmp_path):
    """Opened in the window, a schema-006 file is copied aside, then upgraded."""
    db = tmp_path / "clinic.sqlite3"
    shutil.copyfile(Path(__file__).parents[1] / "data" / "schema-006.sqlite3", db)
    result = run("--db", str(db), "--exit-when", "ready", home=tmp_path)
    assert result.returncode == 0, result.stderr
    with contextlib.closing(sqlite3.connect(db)) as conn:
        applied = conn.execute("SELECT name FROM _sqlite_migrations").fetchall()
    assert ("008_acknowledged_checks",) in applied
    assert applied[-1] == (known_names()[-1],)  # brought up to this version
    assert len(list(tmp_path.glob("clinic.sqlite3.before-migration-*.sqlite3"))) == 1
