"""The visit table: writing a visit (its row, provocation results and audit entry in
one transaction) and listing visits.

Saving is the write the form waits for: plain SQL rather than sqlite-utils' table
methods, each of which asks SQLite for the table's schema first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from sijoint_exam.domain import visit_file
from sijoint_exam.domain.catalogue import TESTS_BY_ID
from sijoint_exam.domain.visit import Visit
from sijoint_exam.store import audit, drafts, rows, signing, sync_tables, visit_content
from sijoint_exam.store.audit import AuditLog
from sijoint_exam.store.transactions import immediate


def write_visit(
    db: Database,
    log: AuditLog,
    patient_id: int,
    visit: Visit,
    visit_id: int | None,
    *,
    now: str,
    clinician: str,
    check_patient: Callable[[int], Any],
) -> int:
    """Store a visit, new or replacing `visit_id`, and return its id (see
    `Repository.save_visit` for what it raises)."""
    unknown = sorted(set(visit.provocation) - set(TESTS_BY_ID))
    if unknown:
        raise ValueError(f"Unknown provocation test: {', '.join(unknown)}")
    content = visit_file.visit_to_dict(visit)
    content_json = visit_file.canonical_json(content)
    columns = [
        visit.date.isoformat(),
        visit.clinician,
        visit.symptomatic_side.value,
        visit.scoring.rule,
        visit_content.pack(content_json),
        now,
    ]
    with immediate(db):
        check_patient(patient_id)
        if visit_id is None:
            cursor = db.execute(
                "INSERT INTO visit (visit_date, clinician, symptomatic_side, rule,"
                " content, updated_at, patient_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [*columns, patient_id, now],
            )
            saved_id, action = int(cursor.lastrowid or 0), audit.CREATE
        else:
            signing.refuse_changes(db, patient_id, visit_id)
            db.execute(
                "UPDATE visit SET visit_date = ?, clinician = ?,"
                " symptomatic_side = ?, rule = ?, content = ?, updated_at = ?"
                " WHERE id = ?",
                [*columns, visit_id],
            )
            db.execute("DELETE FROM provocation_result WHERE visit_id = ?", [visit_id])
            saved_id, action = visit_id, audit.CHANGE
        db.conn.executemany(
            "INSERT INTO provocation_result (visit_id, test_id, side, result)"
            " VALUES (?, ?, ?, ?)",
            rows.result_rows(saved_id, content["provocation"]),
        )
        drafts.clear(db, patient_id, visit_id)
        log.append(
            action,
            "visit",
            saved_id,
            audit.sha256_text(content_json),
            clinician=clinician,
            at=now,
        )
    return saved_id


def summaries(db: Database, patient_id: int) -> list[rows.VisitSummary]:
    """A patient's visits, newest first, each with the room it is in progress in
    when another room's (clinic server)."""
    found = db.query(
        "SELECT v.*, s.visit_id IS NOT NULL AS signed,"
        f" (SELECT {sync_tables.ROOM_OF_ORIGIN} FROM sync_record r"
        " LEFT JOIN sync_room n ON n.uid = r.origin"
        " WHERE r.entity = 'visit' AND r.local_id = v.id"
        f" AND {sync_tables.NOT_OURS})"
        " AS elsewhere FROM visit v"
        " LEFT JOIN signature s ON s.visit_id = v.id WHERE v.patient_id = ?"
        " ORDER BY v.visit_date DESC, v.id DESC",
        [patient_id],
    )
    return [rows.visit_summary(row) for row in found]


def between(
    db: Database, first: dt.date, last: dt.date
) -> list[tuple[int, str, dt.date]]:
    """(visit id, MRN, date) of every visit dated `first`..`last`, by date."""
    found = db.execute(
        "SELECT v.id, p.mrn, v.visit_date FROM visit v"
        " JOIN patient p ON p.id = v.patient_id"
        " WHERE v.visit_date BETWEEN ? AND ? ORDER BY v.visit_date, v.id",
        [first.isoformat(), last.isoformat()],
    ).fetchall()
    return [(row[0], row[1], dt.date.fromisoformat(row[2])) for row in found]
