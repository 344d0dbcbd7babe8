"""One sync: push this room's changes, take in the server's answer to them, pull
the other rooms' changes. The CLI's `sync` and the window's background sync both
call `sync`."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

import psycopg
from sqlite_utils import Database

from sijoint_exam.store import audit, sync_tables
from sijoint_exam.store.server import outbox, schema
from sijoint_exam.store.server.conflicts import Conflict, DivergedLogError
from sijoint_exam.store.server.connection import ServerError, connect, failure
from sijoint_exam.store.server.inbox import Inbox
from sijoint_exam.store.server.pull import pull, rooms
from sijoint_exam.store.server.push import push
from sijoint_exam.store.transactions import immediate

PULL_FIRST = "pull first"


@dataclass
class SyncReport:
    """What one sync did."""

    sent_entries: int = 0
    sent_visits: int = 0
    received_visits: int = 0
    received_patients: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"sent {self.sent_visits} visit(s) and {self.sent_entries} audit "
            f"entr{'y' if self.sent_entries == 1 else 'ies'}; received "
            f"{self.received_visits} visit(s)"
        )


def set_room(db: Database, room: str) -> None:
    """Name this workstation for the other rooms ("Room 2", "Front desk")."""
    room = " ".join(room.split())
    if not room:
        raise ValueError("A room's name cannot be blank.")
    with immediate(db):
        db.execute("UPDATE sync_workstation SET room = ? WHERE id = 1", [room])
        db.execute(
            "UPDATE sync_record SET origin_room = ? WHERE origin IN"
            " (SELECT uid FROM sync_identity)",
            [room],
        )


def start_new_line(db: Database) -> str:
    """Give this database a new workstation id, keeping the old ones as its own,
    and send its whole audit log again under it: for a database restored from
    an older backup, whose log no longer matches what it sent before. The next
    sync also takes back what the server has that the backup lacked."""
    uid = str(uuid.uuid4())
    with immediate(db):
        db.execute("UPDATE sync_workstation SET uid = ? WHERE id = 1", [uid])
        db.execute("INSERT INTO sync_identity (uid) VALUES (?)", [uid])
        db.execute(
            "DELETE FROM sync_state WHERE key IN (?, ?)",
            [outbox.PUSHED_AUDIT, outbox.PULLED_CHANGE],
        )
        # Take back first what the server has newer than the backup (a visit
        # edited since), so that sending the whole log again reverts nothing.
        outbox.set_state(db, PULL_FIRST, 1)
    return uid


def sync(db: Database, url: str, default_room: str) -> SyncReport:
    """Push, then pull.

    Raises:
        ServerError: The server could not be reached or refused the sync (one
            line naming it); nothing half-done stays behind, and the next sync
            starts from where the last one committed.
    """
    if not sync_tables.workstation(db)[1]:
        set_room(db, default_room)
    report = SyncReport()
    with connect(url) as conn:
        try:
            schema.check_ready(conn)
        except ValueError as exc:
            raise ServerError(failure(url, "cannot sync", exc)) from None
        except psycopg.Error as exc:
            raise ServerError(failure(url, "could not be read", exc)) from None
        try:
            first = None
            if outbox.get_state(db, PULL_FIRST):
                first = pull(db, conn)
                with immediate(db):
                    db.execute("DELETE FROM sync_state WHERE key = ?", [PULL_FIRST])
            pushed = push(db, conn)
            if pushed.newer_patients:
                inbox = Inbox(db, sync_tables.workstation(db)[0], rooms(conn))
                with immediate(db):
                    for row in pushed.newer_patients:
                        inbox.patient(row)
                    inbox.flush()
            pulled = pull(db, conn)
            if first is not None:
                pulled.visits += first.visits
                pulled.patients += first.patients
                pulled.conflicts = first.conflicts + pulled.conflicts
        except psycopg.Error as exc:
            raise ServerError(failure(url, "the sync stopped", exc)) from None
        except DivergedLogError as exc:
            raise ServerError(failure(url, "refused", exc)) from None
    with immediate(db):
        outbox.set_state(db, outbox.LAST_SYNC, audit.iso_utc(dt.datetime.now(dt.UTC)))
    report.sent_entries, report.sent_visits = pushed.entries, pushed.visits
    report.received_visits = pulled.visits
    report.received_patients = pulled.patients
    seen: set[str] = set()
    for conflict in [*pushed.conflicts, *pulled.conflicts]:
        if conflict.mrn not in seen:
            seen.add(conflict.mrn)
            report.conflicts.append(conflict)
    return report
