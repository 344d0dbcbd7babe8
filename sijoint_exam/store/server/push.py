"""Send this room's changes to the clinic server, in one server transaction.

The records go first (patients, visits, signatures, addenda), then the audit
entries that name them. Everything is idempotent: a push cut short (the program
killed, the network gone) is sent again whole by the next sync, and what the
server already has is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlite_utils import Database

from sijoint_exam.store import audit, sync_tables
from sijoint_exam.store.server import outbox, schema
from sijoint_exam.store.server.conflicts import (
    Conflict,
    DivergedLogError,
    patient_label,
)
from sijoint_exam.store.transactions import immediate

NOTIFY_CHANNEL = "sijoint_exam_changes"


@dataclass
class Pushed:
    """What a push sent, what it held back, and the server's later versions of
    demographics this room had also edited (to be taken in here)."""

    entries: int = 0
    visits: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    newer_patients: list[dict[str, Any]] = field(default_factory=list)


def register(conn: psycopg.Connection, db: Database, room: str) -> None:
    """Record this workstation (each id this database has had) and its room
    name, in the caller's transaction."""
    identities = [row[0] for row in db.execute("SELECT uid FROM sync_identity")]
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO workstation (uid, room) VALUES (%s, %s) ON CONFLICT (uid)"
            " DO UPDATE SET room = excluded.room, last_seen = now()"
            " WHERE workstation.db_user = session_user",
            [(uid, room) for uid in identities],
        )


# Audit entries per server transaction: a first sync of a large database goes
# in steps, each committed with the local cursor, never all in memory at once.
CHUNK = 5000


def push(db: Database, conn: psycopg.Connection) -> Pushed:
    """Send what changed since the last push; hold back a patient whose MRN
    another patient on the server has (a conflict), and all of theirs."""
    done = Pushed()
    with_held = True  # the first step tries the held patients again
    while True:
        box = outbox.collect(db, CHUNK, with_held)
        if not box:
            if with_held:  # nothing to send; the room's name may have changed
                with conn.transaction():
                    register(conn, db, sync_tables.workstation(db)[1])
            return done
        _push_step(db, conn, box, done)
        with_held = False


def _push_step(
    db: Database, conn: psycopg.Connection, box: outbox.Outbox, done: Pushed
) -> None:
    me, room = sync_tables.workstation(db)
    already_held = outbox.held_patients(db) - box.patients
    outbox.assign_uids(db, box)
    patients = outbox.patients(db, box.patients)
    visits = outbox.visits(db, box.visits)
    signatures = outbox.signatures(db, box.signatures)
    addenda = outbox.addenda(db, box.addenda)
    entries = outbox.audit_entries(
        db, int(outbox.get_state(db, outbox.PUSHED_AUDIT) or 0), box.last_id
    )
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", [schema.PUSH_LOCK])
        register(conn, db, room)
        _refuse_divergence(conn, me, entries)
        conflicts = _mrn_conflicts(conn, patients, room)
        done.conflicts += conflicts
        held = already_held | {conflict.local_id for conflict in conflicts}
        patients = [row for row in patients if row["local_id"] not in held]
        visits = [row for row in visits if row["patient_id"] not in held]
        signatures = [row for row in signatures if row["patient_id"] not in held]
        addenda = [row for row in addenda if row["patient_id"] not in held]
        _send_patients(conn, patients, me)
        _send_visits(conn, visits, me)
        _send(
            conn,
            signatures,
            "signature",
            "visit_uid, workstation, clinician, signed_at, content_sha256,"
            " acknowledged_checks",
            "visit_uid",
            me,
        )
        _send(
            conn,
            addenda,
            "addendum",
            "uid, visit_uid, workstation, text,"
            " clinician, created_at, content_sha256, signed_visit_ref",
            "uid",
            me,
        )
        _send(
            conn,
            entries,
            "audit_entry",
            "workstation, id, at, os_user,"
            " clinician, action, entity, entity_id, detail, content_sha256,"
            " previous_sha256, entry_sha256, entity_uid",
            "workstation, id",
            me,
        )
        if patients:
            done.newer_patients += _newer_elsewhere(conn, patients, me)
        conn.execute("SELECT pg_notify(%s, %s)", [NOTIFY_CHANNEL, me])
    with immediate(db):
        outbox.set_state(db, outbox.PUSHED_AUDIT, box.last_id)
        db.conn.executemany(
            "DELETE FROM sync_held WHERE kind = 'patient' AND key = ?",
            [(str(row["local_id"]),) for row in patients],
        )
        db.conn.executemany(
            "INSERT INTO sync_held (kind, key, mrn, reason)"
            " VALUES ('patient', ?, ?, ?) ON CONFLICT (kind, key)"
            " DO UPDATE SET mrn = excluded.mrn, reason = excluded.reason",
            [(str(c.local_id), c.mrn, c.message) for c in conflicts],
        )
    done.entries += len(entries)
    done.visits += len(visits)


def _refuse_divergence(
    conn: psycopg.Connection, me: str, entries: list[dict[str, Any]]
) -> None:
    """Entries the server has already from this room must be these same ones."""
    if not entries:
        return
    held: dict[int, str] = dict(
        conn.execute(
            "SELECT id, entry_sha256 FROM audit_entry WHERE workstation = %s"
            " AND id BETWEEN %s AND %s",
            [me, entries[0]["id"], entries[-1]["id"]],
        ).fetchall()
    )
    for entry in entries:
        if held.get(entry["id"], entry["entry_sha256"]) != entry["entry_sha256"]:
            raise DivergedLogError(
                f"this database's audit log differs from entry {entry['id']} on from "
                "what this room sent before (a database restored from an older "
                "backup, or a copy of it used elsewhere); nothing was sent. For a "
                "restored backup, run `sijoint-exam sync --as-new-room` once; never "
                "work in two copies"
            )


def _mrn_conflicts(
    conn: psycopg.Connection, patients: list[dict[str, Any]], room: str
) -> list[Conflict]:
    """Local patients whose MRN the server gives to another patient."""
    if not patients:
        return []
    found = conn.execute(
        "SELECT p.mrn, p.uid::text, p.family_name, p.given_names, p.date_of_birth,"
        " w.room FROM patient p JOIN workstation w ON w.uid = p.edited_by"
        " WHERE p.mrn = ANY(%s)",
        [[row["mrn"] for row in patients]],
    ).fetchall()
    theirs = {row[0]: row for row in found}
    conflicts = []
    for row in patients:
        other = theirs.get(row["mrn"])
        if other is None or other[1] == row["uid"]:
            continue
        conflicts.append(
            Conflict(
                mrn=row["mrn"],
                local_id=row["local_id"],
                here=patient_label(
                    row["family_name"], row["given_names"], row["date_of_birth"]
                ),
                there=patient_label(other[2], other[3], other[4]),
                other_room=other[5],
            )
        )
    return conflicts


def _send_patients(
    conn: psycopg.Connection, patients: list[dict[str, Any]], me: str
) -> None:
    """Later edit wins (ties: the higher workstation id); every version is kept."""
    if not patients:
        return
    rows = [
        {
            **row,
            "me": me,
            "clinician": row["clinician"] or "",
            "sha": audit.patient_sha256(row),
        }
        for row in patients
    ]
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO patient (uid, mrn, family_name, given_names, date_of_birth,"
            " sex, created_at, edited_at, edited_by, clinician)"
            " VALUES (%(uid)s, %(mrn)s, %(family_name)s, %(given_names)s,"
            " %(date_of_birth)s, %(sex)s, %(created_at)s, %(updated_at)s, %(me)s,"
            " %(clinician)s)"
            " ON CONFLICT (uid) DO UPDATE SET mrn = excluded.mrn,"
            " family_name = excluded.family_name, given_names = excluded.given_names,"
            " date_of_birth = excluded.date_of_birth, sex = excluded.sex,"
            " edited_at = excluded.edited_at, edited_by = excluded.edited_by,"
            " clinician = excluded.clinician"
            " WHERE (patient.edited_at, patient.edited_by::text)"
            " < (excluded.edited_at, excluded.edited_by::text)",
            rows,
        )
        cursor.executemany(
            "INSERT INTO patient_version (patient_uid, mrn, family_name, given_names,"
            " date_of_birth, sex, edited_at, workstation, clinician, content_sha256)"
            " VALUES (%(uid)s, %(mrn)s, %(family_name)s, %(given_names)s,"
            " %(date_of_birth)s, %(sex)s, %(updated_at)s, %(me)s, %(clinician)s,"
            " %(sha)s)"
            " ON CONFLICT DO NOTHING",
            rows,
        )


def _send_visits(
    conn: psycopg.Connection, visits: list[dict[str, Any]], me: str
) -> None:
    """New visits, and this room's unsigned ones as they are now (a signed one
    is never changed: the server's trigger would refuse it, and the content is
    the same anyway)."""
    if not visits:
        return
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO visit (uid, patient_uid, workstation, visit_date, clinician,"
            " symptomatic_side, rule, content_json, created_at, updated_at)"
            " VALUES (%(uid)s, %(patient_uid)s, %(origin)s, %(visit_date)s,"
            " %(clinician)s,"
            " %(symptomatic_side)s, %(rule)s, %(content_json)s, %(created_at)s,"
            " %(updated_at)s)"
            " ON CONFLICT (uid) DO UPDATE SET visit_date = excluded.visit_date,"
            " clinician = excluded.clinician,"
            " symptomatic_side = excluded.symptomatic_side, rule = excluded.rule,"
            " content_json = excluded.content_json, updated_at = excluded.updated_at"
            " WHERE visit.content_json IS DISTINCT FROM excluded.content_json"
            " AND visit.workstation = excluded.workstation",
            [{**row, "me": me} for row in visits],
        )


def _send(
    conn: psycopg.Connection,
    rows: list[dict[str, Any]],
    table: str,
    columns: str,
    key: str,
    me: str,
) -> None:
    """Insert rows that are permanent once written; those already there stay."""
    if not rows:
        return
    names = [name.strip() for name in columns.split(",")]
    marks = ", ".join(f"%({name})s" for name in names)
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            f" ON CONFLICT ({key}) DO NOTHING",
            [{**row, "workstation": me} for row in rows],
        )


def _newer_elsewhere(
    conn: psycopg.Connection, patients: list[dict[str, Any]], me: str
) -> list[dict[str, Any]]:
    """The patients sent whose server version is another room's later edit."""
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cursor:
        cursor.execute(
            "SELECT p.uid::text, p.mrn, p.family_name, p.given_names,"
            " p.date_of_birth, p.sex, p.created_at, p.edited_at,"
            " p.edited_by::text, p.clinician, w.room FROM patient p"
            " JOIN workstation w ON w.uid = p.edited_by"
            " WHERE p.uid = ANY(%s) AND p.edited_by <> %s",
            [[row["uid"] for row in patients], me],
        )
        rows: list[dict[str, Any]] = cursor.fetchall()
        return rows
