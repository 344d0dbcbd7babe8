"""Take in what the other rooms changed, in slices of the server's change numbers.

Each slice is applied in one local transaction that also moves the cursor on, so
a pull cut short resumes where it stopped and takes nothing in twice. Pushes hold
the server's push lock while they write; reading the high-water mark under it
(shared) means every change numbered up to the mark has been committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row
from sqlite_utils import Database

from sijoint_exam.store import sync_tables
from sijoint_exam.store.server import outbox, schema
from sijoint_exam.store.server.conflicts import Conflict
from sijoint_exam.store.server.inbox import Inbox
from sijoint_exam.store.transactions import immediate

# Change numbers per slice: bounded memory and short local transactions.
SLICE = 1000

_PATIENT = (
    "SELECT uid::text, mrn, family_name, given_names, date_of_birth, sex,"
    " created_at, edited_at, edited_by::text, clinician FROM patient"
)
_VISIT = (
    "SELECT uid::text, patient_uid::text, workstation::text, visit_date, clinician,"
    " symptomatic_side, rule, content_json, created_at, updated_at FROM visit"
)
_SIGNATURE = (
    "SELECT visit_uid::text, workstation::text, clinician, signed_at, content_sha256,"
    " acknowledged_checks FROM signature"
)
_ADDENDUM = (
    "SELECT uid::text, visit_uid::text, workstation::text, text, clinician,"
    " created_at, content_sha256, signed_visit_ref FROM addendum"
)
_AUDIT = (
    "SELECT workstation::text, id, at, os_user, clinician, action, entity,"
    " detail, content_sha256, previous_sha256, entry_sha256, entity_uid::text"
    " FROM audit_entry"
)


@dataclass
class Pulled:
    visits: int = 0
    patients: int = 0
    conflicts: list[Conflict] = field(default_factory=list)


def _rows(
    conn: psycopg.Connection, query: str, params: list[Any]
) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cursor:
        cursor.execute(query, params)
        rows: list[dict[str, Any]] = cursor.fetchall()
        return rows


def high_water(conn: psycopg.Connection) -> int:
    """The last change number given out by a committed push."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", [schema.PUSH_LOCK])
        row = conn.execute("SELECT last_value, is_called FROM change_seq").fetchone()
        assert row is not None  # a sequence always has its one row
        last, called = row
    return int(last) if called else 0


def rooms(conn: psycopg.Connection) -> dict[str, str]:
    return {
        uid: room
        for uid, room in conn.execute("SELECT uid::text, room FROM workstation")
    }


def pull(db: Database, conn: psycopg.Connection) -> Pulled:
    """Apply every change of the other rooms up to the high-water mark."""
    me = sync_tables.workstation(db)[0]
    high = high_water(conn)
    names = rooms(conn)
    with immediate(db):
        db.conn.executemany(
            "INSERT INTO sync_room (uid, room) VALUES (?, ?)"
            " ON CONFLICT (uid) DO UPDATE SET room = excluded.room",
            names.items(),
        )
    done = Pulled()
    _retry_held(db, conn, me, names, done)
    start = int(outbox.get_state(db, outbox.PULLED_CHANGE) or 0)
    while start < high:
        end = min(start + SLICE, high)
        span = " WHERE changed_seq > %s AND changed_seq <= %s"
        patients = _rows(
            conn, _PATIENT + span + " AND edited_by <> %s", [start, end, me]
        )
        others = span + " AND workstation <> %s ORDER BY changed_seq"
        visits = _rows(conn, _VISIT + others, [start, end, me])
        signatures = _rows(conn, _SIGNATURE + others, [start, end, me])
        addenda = _rows(conn, _ADDENDUM + others, [start, end, me])
        entries = _rows(conn, _AUDIT + others, [start, end, me])
        inbox = Inbox(db, me, names)
        with immediate(db):
            _patients_first(inbox, conn, patients, visits)
            for row in visits:
                inbox.visit(row)
            for row in signatures:
                inbox.signature(row)
            for row in addenda:
                inbox.addendum(row)
            inbox.clinic_audit(entries)
            inbox.flush()
            outbox.set_state(db, outbox.PULLED_CHANGE, end)
        done.visits += inbox.visits
        done.patients += inbox.patients
        done.conflicts += inbox.conflicts
        start = end
    return done


def _patients_first(
    inbox: Inbox,
    conn: psycopg.Connection,
    patients: list[dict[str, Any]],
    visits: list[dict[str, Any]],
) -> None:
    """The slice's patients, and those of its visits not here yet (a patient
    edited since carries a later change number than its visits)."""
    for row in patients:
        inbox.patient(row)
    wanted = {row["patient_uid"] for row in visits} - {row["uid"] for row in patients}
    missing = [uid for uid in wanted if inbox.local_id("patient", uid) is None]
    if missing:
        for row in _rows(conn, _PATIENT + " WHERE uid = ANY(%s::uuid[])", [missing]):
            inbox.patient(row)


def _retry_held(
    db: Database, conn: psycopg.Connection, me: str, names: dict[str, str], done: Pulled
) -> None:
    """Server patients a conflict kept out: take each in, with all of theirs,
    once its MRN no longer clashes here."""
    held = [
        row[0]
        for row in db.execute("SELECT key FROM sync_held WHERE kind = 'server patient'")
    ]
    if not held:
        return
    inbox = Inbox(db, me, names)
    with immediate(db):
        for row in _rows(conn, _PATIENT + " WHERE uid = ANY(%s::uuid[])", [held]):
            if inbox.patient(row) is None:
                continue
            visits = _rows(
                conn,
                _VISIT + " WHERE patient_uid = %s ORDER BY changed_seq",
                [row["uid"]],
            )
            uids = [visit["uid"] for visit in visits]
            for visit in visits:
                inbox.visit(visit)
            for signature in _rows(
                conn, _SIGNATURE + " WHERE visit_uid = ANY(%s::uuid[])", [uids]
            ):
                inbox.signature(signature)
            for addendum in _rows(
                conn,
                _ADDENDUM + " WHERE visit_uid = ANY(%s::uuid[]) ORDER BY changed_seq",
                [uids],
            ):
                inbox.addendum(addendum)
        inbox.flush()
    done.visits += inbox.visits
    done.patients += inbox.patients
    done.conflicts += inbox.conflicts
