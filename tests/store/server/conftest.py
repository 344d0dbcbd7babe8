"""Workstation databases ("rooms") for the sync tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sijoint_exam.store.database import ExamDatabase, open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.server.sync import SyncReport, sync


@dataclass
class Room:
    """One workstation: its own database file and its clinic-server login."""

    name: str
    path: Path
    db: ExamDatabase
    repo: Repository
    url: str

    def sync(self) -> SyncReport:
        return sync(self.db, self.url, self.name)


@pytest.fixture
def make_room(tmp_path, clinic) -> Iterator[Callable[..., Room]]:
    """`make_room("Room A", "room_a")`: a new database logging in as the role."""
    opened: list[ExamDatabase] = []

    def make(
        name: str, role: str, clock: Callable[[], dt.datetime] | None = None
    ) -> Room:
        path = tmp_path / f"{role}.sqlite3"
        db = open_database(path, instance_lock=False)
        opened.append(db)
        repo = Repository(
            db, clinician=f"Clinician of {name}", **({"clock": clock} if clock else {})
        )
        return Room(name, path, db, repo, clinic.url(role))

    yield make
    for db in opened:
        db.close()
