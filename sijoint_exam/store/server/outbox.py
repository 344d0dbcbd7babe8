"""What this room has to send: read from the local database, never changing it
beyond giving new records their clinic-wide ids (before the server sees them, so
that a sync cut short sends the same ids again).

The local audit log is the outbox: every change of a patient, visit, signature or
addendum is an entry, so the entries after the last one pushed name what changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from sijoint_exam.store import audit, sync_tables, visit_content
from sijoint_exam.store.transactions import immediate

PUSHED_AUDIT = "pushed audit id"
PULLED_CHANGE = "pulled change"
LAST_SYNC = "last sync"

_CONTENT = (audit.BASELINE, audit.CREATE, audit.CHANGE)
_AUDIT_COLUMNS = (
    "id, at, os_user, clinician, action, entity, entity_id, detail,"
    " content_sha256, previous_sha256, entry_sha256"
)


def get_state(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def set_state(db: Database, key: str, value: str | int) -> None:
    db.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, str(value)],
    )


@dataclass
class Outbox:
    """The audit entries not yet pushed, and the records they name."""

    last_id: int
    entries: int
    patients: set[int] = field(default_factory=set)
    visits: set[int] = field(default_factory=set)
    signatures: set[int] = field(default_factory=set)  # visit ids
    addenda: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.entries or self.patients)


def held_patients(db: Database) -> set[int]:
    """The local patients a conflict holds back (not sent, nor anything of theirs)."""
    return {
        int(row[0])
        for row in db.execute("SELECT key FROM sync_held WHERE kind = 'patient'")
    }


def collect(db: Database, limit: int, with_held: bool) -> Outbox:
    """The next `limit` changes since the last push (their records), and, if
    asked, the patients a conflict held back with everything of theirs."""
    pushed = int(get_state(db, PUSHED_AUDIT) or 0)
    box = Outbox(last_id=pushed, entries=0)
    cursor = db.execute(
        "SELECT id, action, entity, entity_id FROM audit_log WHERE id > ?"
        " ORDER BY id LIMIT ?",
        [pushed, limit],
    )
    for entry_id, action, entity, entity_id in cursor:
        box.last_id, box.entries = entry_id, box.entries + 1
        if action in _CONTENT and entity == "patient":
            box.patients.add(entity_id)
        elif action in _CONTENT and entity == "visit":
            box.visits.add(entity_id)
        elif action == audit.SIGN and entity == "visit":
            box.signatures.add(entity_id)
        elif action == audit.ADDENDUM:
            box.addenda.add(entity_id)
    for patient_id in held_patients(db) if with_held else ():
        _whole_patient(db, box, patient_id)
    # Another room's visit is never sent from here (nor, then, its signature).
    mine = _own(db, "visit", box.visits | box.signatures)
    box.visits &= mine
    box.signatures &= mine
    return box


def waiting(db: Database) -> int:
    """How many changes wait to be sent (for the status bar)."""
    pushed = int(get_state(db, PUSHED_AUDIT) or 0)
    count = db.execute(
        "SELECT count(*) FROM audit_log WHERE id > ? AND action <> ?",
        [pushed, audit.RECEIVE],
    ).fetchone()[0]
    held = db.execute("SELECT count(*) FROM sync_held").fetchone()[0]
    return int(count) + int(held)


def _whole_patient(db: Database, box: Outbox, patient_id: int) -> None:
    box.patients.add(patient_id)
    for visit_id, signed in db.execute(
        "SELECT v.id, s.visit_id IS NOT NULL FROM visit v"
        " LEFT JOIN signature s ON s.visit_id = v.id WHERE v.patient_id = ?",
        [patient_id],
    ).fetchall():
        box.visits.add(visit_id)
        if signed:
            box.signatures.add(visit_id)
    box.addenda |= {
        row[0]
        for row in db.execute(
            "SELECT a.id FROM addendum a JOIN visit v ON v.id = a.visit_id"
            " WHERE v.patient_id = ?",
            [patient_id],
        )
    }


def _own(db: Database, entity: str, ids: set[int]) -> set[int]:
    """Of `ids`, those not another room's."""
    if not ids:
        return set()
    theirs = {
        row[0]
        for row in db.execute(
            f"SELECT local_id FROM sync_record r WHERE entity = ?"
            f" AND {sync_tables.NOT_OURS}",
            [entity],
        )
    }
    return ids - theirs


def assign_uids(db: Database, box: Outbox) -> None:
    """Give every record about to be sent its clinic-wide id, committed now."""
    me, room = sync_tables.workstation(db)
    with immediate(db):
        for entity, ids in (
            ("patient", box.patients),
            ("visit", box.visits),
            ("addendum", box.addenda),
        ):
            known = _mapped(db, entity, ids)
            db.conn.executemany(
                "INSERT INTO sync_record (entity, local_id, uid, origin, origin_room)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (entity, local_id, str(uuid.uuid4()), me, room)
                    for local_id in sorted(ids - known)
                ],
            )


def _mapped(db: Database, entity: str, ids: Iterable[int]) -> set[int]:
    return {
        row[0]
        for row in db.execute(
            "SELECT local_id FROM sync_record WHERE entity = ?"
            f" AND local_id IN ({_in(ids)})",
            [entity],
        )
    }


def _in(ids: Iterable[int]) -> str:
    return ",".join(str(int(value)) for value in ids) or "NULL"


def patients(db: Database, ids: set[int]) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT r.uid, p.id AS local_id, p.mrn, p.family_name, p.given_names,"
            " p.date_of_birth, p.sex, p.created_at, p.updated_at,"
            " (SELECT a.clinician FROM audit_log a WHERE a.entity = 'patient'"
            " AND a.entity_id = p.id ORDER BY a.id DESC LIMIT 1) AS clinician"
            " FROM patient p"
            " JOIN sync_record r ON r.entity = 'patient' AND r.local_id = p.id"
            f" WHERE p.id IN ({_in(ids)}) ORDER BY p.id"
        )
    )


def visits(db: Database, ids: set[int]) -> list[dict[str, Any]]:
    found = []
    for row in db.query(
        "SELECT r.uid, r.origin, pr.uid AS patient_uid, v.patient_id, v.visit_date,"
        " v.clinician, v.symptomatic_side, v.rule, v.content, v.created_at,"
        " v.updated_at FROM visit v"
        " JOIN sync_record r ON r.entity = 'visit' AND r.local_id = v.id"
        " JOIN sync_record pr ON pr.entity = 'patient' AND pr.local_id = v.patient_id"
        f" WHERE v.id IN ({_in(ids)}) ORDER BY v.id"
    ):
        row["content_json"] = visit_content.unpack(row.pop("content"))
        found.append(row)
    return found


def signatures(db: Database, visit_ids: set[int]) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT r.uid AS visit_uid, v.patient_id, s.clinician, s.signed_at,"
            " s.content_sha256, s.acknowledged_checks"
            " FROM signature s JOIN visit v ON v.id = s.visit_id"
            " JOIN sync_record r ON r.entity = 'visit' AND r.local_id = s.visit_id"
            f" WHERE s.visit_id IN ({_in(visit_ids)}) ORDER BY s.visit_id"
        )
    )


def addenda(db: Database, ids: set[int]) -> list[dict[str, Any]]:
    return list(
        db.query(
            "SELECT r.uid, vr.uid AS visit_uid, v.patient_id, a.text, a.clinician,"
            " a.created_at, a.content_sha256,"
            " coalesce(r.signed_visit_ref, a.visit_id) AS signed_visit_ref"
            " FROM addendum a JOIN visit v ON v.id = a.visit_id"
            " JOIN sync_record r ON r.entity = 'addendum' AND r.local_id = a.id"
            " JOIN sync_record vr ON vr.entity = 'visit' AND vr.local_id = a.visit_id"
            f" WHERE a.id IN ({_in(ids)}) ORDER BY a.id"
        )
    )


def audit_entries(db: Database, after: int, last: int) -> list[dict[str, Any]]:
    """The entries after `after` up to `last`, each with the clinic-wide id of
    the record it concerns (None for the database itself)."""
    columns = ", ".join(f"a.{name.strip()}" for name in _AUDIT_COLUMNS.split(","))
    return list(
        db.query(
            f"SELECT {columns}, r.uid AS entity_uid FROM audit_log a"
            " LEFT JOIN sync_record r ON r.local_id = a.entity_id AND r.entity ="
            " CASE a.entity WHEN 'signature' THEN 'visit' ELSE a.entity END"
            " WHERE a.id > ? AND a.id <= ? ORDER BY a.id",
            [after, last],
        )
    )
