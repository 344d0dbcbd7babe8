"""Autosaved drafts: the visit being edited, kept until it is saved or discarded.

A patient has at most one draft per visit, and one of a new visit; each autosave
replaces it. After a crash, `pending` lists what was being edited. Drafts are not
records: they are not audited and saving the visit removes its draft (in the same
transaction, in `Repository.save_visit`).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlite_utils import Database

from sijoint_exam.domain import visit_file
from sijoint_exam.domain.visit import Visit
from sijoint_exam.store import cipher, signing
from sijoint_exam.store.errors import NotFoundError
from sijoint_exam.store.transactions import immediate


@dataclass(frozen=True)
class Draft:
    """An autosaved visit that was never saved for real."""

    id: int
    patient_id: int
    visit_id: int | None  # None: a new visit
    visit: Visit
    saved_at: dt.datetime


def save(
    db: Database, patient_id: int, visit_id: int | None, visit: Visit, saved_at: str
) -> int:
    """Store the draft of `visit_id` (or of a new visit) for a patient."""
    content = visit_file.canonical_json(visit_file.visit_to_dict(visit))
    with immediate(db):
        if visit_id is not None:
            signing.refuse_changes(db, patient_id, visit_id)
        found = db.execute(
            "SELECT id FROM draft WHERE patient_id = ? AND visit_id IS ?",
            [patient_id, visit_id],
        ).fetchone()
        if found is not None:
            db.execute(
                "UPDATE draft SET content_json = ?, saved_at = ? WHERE id = ?",
                [content, saved_at, found[0]],
            )
            return int(found[0])
        try:
            cursor = db.execute(
                "INSERT INTO draft (patient_id, visit_id, content_json, saved_at)"
                " VALUES (?, ?, ?, ?)",
                [patient_id, visit_id, content, saved_at],
            )
        except cipher.INTEGRITY_ERRORS as exc:
            if "FOREIGN KEY" not in str(exc):
                raise
            raise NotFoundError(f"There is no patient with id {patient_id}.") from None
        return int(cursor.lastrowid or 0)


def clear(db: Database, patient_id: int, visit_id: int | None) -> None:
    """Remove the draft of a visit that was just saved (in the caller's
    transaction)."""
    db.execute(
        "DELETE FROM draft WHERE patient_id = ? AND visit_id IS ?",
        [patient_id, visit_id],
    )


def pending(db: Database) -> list[Draft]:
    """Every draft, newest first."""
    rows = db.execute(
        "SELECT id, patient_id, visit_id, content_json, saved_at FROM draft"
        " ORDER BY saved_at DESC, id DESC"
    ).fetchall()
    return [
        Draft(
            id=draft_id,
            patient_id=patient_id,
            visit_id=visit_id,
            visit=visit_file.visit_from_dict(json.loads(content)),
            saved_at=dt.datetime.fromisoformat(saved_at),
        )
        for draft_id, patient_id, visit_id, content, saved_at in rows
    ]


def discard(db: Database, draft_id: int) -> None:
    """Delete a draft the user chose not to recover."""
    with immediate(db):
        cursor = db.execute("DELETE FROM draft WHERE id = ?", [draft_id])
        if cursor.rowcount == 0:
            raise NotFoundError(f"There is no draft with id {draft_id}.")
