"""Fixtures of the store's tests: a database file, a raw connection, a child process."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository

CHILD = Path(__file__).with_name("child.py")
NINE_THIRTY = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic" / "exam.sqlite3"


@pytest.fixture
def file_db(db_path: Path) -> Iterator[Database]:
    """A database file, opened as the program opens it."""
    with open_database(db_path) as db:
        yield db


@pytest.fixture
def file_repo(file_db: Database) -> Repository:
    """A repository on `file_db`; fixed clock and operating-system user."""
    return Repository(file_db, clock=lambda: NINE_THIRTY, os_user=lambda: "nurse1")


@contextlib.contextmanager
def raw(path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection, as any other program would open the file:
    autocommit, no recursive triggers, nothing of ours registered."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


@pytest.fixture
def spawn() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start tests/store/child.py in its own process; every one is ended and
    waited for at teardown."""
    started: list[subprocess.Popen[str]] = []

    def start(*args: str | Path) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, str(CHILD), *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(child)
        return child

    yield start
    for child in started:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=30)


def read_line(child: subprocess.Popen[str]) -> str:
    """The child's next line of output; fails with its error output if it ended."""
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line:
        child.wait(timeout=30)
        assert child.stderr is not None
        raise AssertionError(f"child ended ({child.returncode}): {child.stderr.read()}")
    return line.strip()
