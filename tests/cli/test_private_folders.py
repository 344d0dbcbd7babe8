"""Every folder and file the program writes is its owner's only (SECURITY.md):
settings, state, logs, database, backups; loose modes left by an earlier
version are tightened."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.cli.test_main import run

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _written(home: Path) -> list[Path]:
    """What the program wrote under the fake home: its own folders and below."""
    found = []
    for base in ("config", "data", "state"):
        found += [p for p in (home / base).rglob("*") if p.name != base]
    return found


def _loose(path: Path) -> list[str]:
    expected = 0o700 if path.is_dir() else 0o600
    return [f"{oct(_mode(path))} {path}"] if _mode(path) != expected else []


def test_a_first_start_writes_nothing_others_can_read(tmp_path: Path) -> None:
    result = run("--exit-when", "ready", home=tmp_path)
    assert result.returncode == 0, result.stderr
    written = _written(tmp_path)
    assert {p.name for p in written} >= {
        "sijoint-exam",
        "settings.ini",
        "log",
        "sijoint-exam.log",
        "sijoint-exam.sqlite3",
    }
    assert [line for p in written for line in _loose(p)] == []


def test_loose_modes_from_before_are_tightened(tmp_path: Path) -> None:
    config = tmp_path / "config" / "sijoint-exam"
    logs = tmp_path / "state" / "sijoint-exam" / "log"
    config.mkdir(parents=True)
    logs.mkdir(parents=True)
    (config / "settings.ini").write_text("[preferences]\nclinician=J. Doe, PT\n")
    (logs / "sijoint-exam.log").write_text("an earlier run\n")
    (logs / "sijoint-exam.log.1").write_text("an older run\n")
    for path in (config, logs, logs.parent):
        path.chmod(0o755)
    for path in (config / "settings.ini", *logs.iterdir()):
        path.chmod(0o644)
    (tmp_path / "config").chmod(0o755)
    result = run("--exit-when", "ready", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line for p in _written(tmp_path) for line in _loose(p)] == []
    # A parent that is not the program's own keeps its mode.
    assert _mode(tmp_path / "config") == 0o755


def test_backups_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "clinic" / "clinic.sqlite3"
    assert run("--db", str(db), "--exit-when", "ready", home=tmp_path).returncode == 0
    result = run("backup", "--db", str(db), home=tmp_path)
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.strip())
    assert backup.parent == db.parent / "backups"
    assert _mode(backup.parent) == 0o700
    assert _mode(backup) == 0o600
