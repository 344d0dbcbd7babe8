"""Kill the program with SIGKILL mid-edit: nothing older than the last autosave is
lost, and the next start finds the draft."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository

CHILD = Path(__file__).with_name("autosave_child.py")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_edit_loses_nothing_autosaved(tmp_path):
    database = tmp_path / "clinic.sqlite3"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(database), str(tmp_path / "s.ini")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        confirmed = [int(child.stdout.readline()) for _ in range(3)]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    db = open_database(database)
    try:
        drafts = Repository(db).drafts()
        assert len(drafts) == 1
        saved_edit = int(drafts[0].visit.chief_complaint.removeprefix("edit "))
        assert saved_edit >= confirmed[-1] == 3
    finally:
        db.close()
