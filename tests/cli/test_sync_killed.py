"""SIGKILL in the middle of a sync loses nothing, and the next sync completes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import verify

VISITS = 400


def _clinic_day(path, sample_patient, sample_visit):
    with open_database(path, instance_lock=False) as db:
        repo = Repository(db, clinician="A. Therapist, PT")
        for number in range(VISITS // 4):
            patient_id = repo.add_patient(sample_patient(mrn=f"A-{number:04d}"))
            for day in range(1, 5):
                visit_id = repo.save_visit(
                    patient_id, sample_visit(date=dt.date(2026, 11, day))
                )
                if day % 2:
                    repo.sign_visit(visit_id)


def _sync(path, url):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sijoint_exam",
            "sync",
            "--db",
            str(path),
            "--server",
            url,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _kill_when(process, ready, what):
    """SIGKILL as soon as `ready()` holds; True if it did before the sync ended."""
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            os.kill(process.pid, signal.SIGKILL)
            process.communicate()
            return True
    process.communicate()
    assert process.returncode == 0, f"{what} failed before it could be killed"
    return False


def _pulled_cursor(path):
    with closing(sqlite3.connect(path)) as conn:
        row = conn.execute(
            "SELECT value FROM sync_state WHERE key = 'pulled change'"
        ).fetchone()
    return int(row[0]) if row else 0


def test_killed_push_and_killed_pull_lose_nothing(
    tmp_path, clinic, sample_patient, sample_visit
):
    room_a, room_b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    _clinic_day(room_a, sample_patient, sample_visit)
    with open_database(room_b, instance_lock=False):
        pass
    with clinic.connect() as watch:

        def pushing():
            # Room A's push transaction is open on the server.
            return (
                watch.execute(
                    "SELECT 1 FROM pg_stat_activity WHERE usename = 'room_a'"
                    " AND xact_start IS NOT NULL"
                ).fetchone()
                is not None
            )

        assert _kill_when(_sync(room_a, clinic.url("room_a")), pushing, "room A's push")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "sijoint_exam",
                "sync",
                "--db",
                str(room_a),
                "--server",
                clinic.url("room_a"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        with clinic.connect() as conn:
            on_server = conn.execute("SELECT count(*) FROM visit").fetchone()[0]
        assert on_server == VISITS

        # Room B's pull is in slices: kill it once the first one is committed.
        assert _kill_when(
            _sync(room_b, clinic.url("room_b")),
            lambda: _pulled_cursor(room_b) > 0,
            "room B's pull",
        )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sijoint_exam",
            "sync",
            "--db",
            str(room_b),
            "--server",
            clinic.url("room_b"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with open_database(room_b, instance_lock=False) as db:
        assert db.execute("SELECT count(*) FROM visit").fetchone()[0] == VISITS
        assert db.execute("SELECT count(*) FROM signature").fetchone()[0] == VISITS / 2
        assert db.execute("SELECT count(*) FROM patient").fetchone()[0] == VISITS / 4
        assert verify(db) == []
