"""Signing a visit, and addenda: corrections that follow a signed visit.

A signature holds the clinician's name, a UTC time, the SHA-256 of the visit's
stored canonical JSON, and the checks before signing the clinician acknowledged
by name (`domain.signing_checks`); the audit log's entry of the signing records
all four, which is what `verify` holds the signature to. From then on triggers
in the database (migration 004_signing) refuse any change to the visit and its
provocation rows, and to the signature itself; an addendum is hashed together
with the signed content it corrects, and is as permanent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from sijoint_exam.domain.signing_checks import in_check_order
from sijoint_exam.store import audit, sync_tables, visit_content
from sijoint_exam.store.errors import (
    NotFoundError,
    VisitElsewhereError,
    VisitSignedError,
)
from sijoint_exam.store.transactions import immediate


@dataclass(frozen=True)
class Signature:
    """Who signed a visit, when (UTC), the hash of what they signed, and the
    checks before signing they acknowledged (ids in their listed order)."""

    visit_id: int
    clinician: str
    signed_at: dt.datetime
    content_sha256: str
    acknowledged_checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Addendum:
    """A dated, signed correction of a signed visit; shown after it, never
    replacing it."""

    id: int
    visit_id: int
    text: str
    clinician: str
    created_at: dt.datetime
    content_sha256: str


def addendum_sha256(
    visit_id: int, visit_sha256: str, text: str, clinician: str, created_at: str
) -> str:
    """The hash an addendum is signed with: its text with the signed content's."""
    return audit.sha256_text(
        audit.canonical(
            {
                "visit_id": visit_id,
                "visit_sha256": visit_sha256,
                "text": text,
                "clinician": clinician,
                "created_at": created_at,
            }
        )
    )


def refuse_changes(db: Database, patient_id: int, visit_id: int) -> None:
    """Raise unless `visit_id` is an unsigned visit of `patient_id`.

    Raises:
        NotFoundError: No visit has this id.
        ValueError: It belongs to another patient.
        VisitSignedError: It is signed.
        VisitElsewhereError: It is another room's visit in progress.
    """
    row = db.execute(
        "SELECT v.patient_id, s.clinician, s.signed_at FROM visit v"
        " LEFT JOIN signature s ON s.visit_id = v.id WHERE v.id = ?",
        [visit_id],
    ).fetchone()
    if row is None:
        raise NotFoundError(f"There is no visit with id {visit_id}.")
    owner, clinician, signed_at = row
    if owner != patient_id:
        raise ValueError(
            f"Visit {visit_id} belongs to another patient, not to {patient_id}"
        )
    if clinician is not None:
        raise VisitSignedError(
            f"Visit {visit_id} was signed by {clinician} on {signed_at[:10]}: it "
            "cannot be changed; add an addendum instead."
        )
    _refuse_other_rooms(db, visit_id)


def _refuse_other_rooms(db: Database, visit_id: int) -> None:
    """Raise if the visit is another room's: that room alone changes or signs it."""
    room = sync_tables.room_elsewhere(db, visit_id)
    if room is not None:
        raise VisitElsewhereError(
            f"Visit {visit_id} is in progress in {room}: it can be changed and "
            "signed only there; here it is read-only."
        )


ACKNOWLEDGED = "acknowledged checks: "


def sign_detail(acknowledged_checks: Sequence[str]) -> str:
    """The detail of the audit entry of a signing: the checks acknowledged, if any
    (what `verify` compares the signature's own list with)."""
    return ACKNOWLEDGED + ", ".join(acknowledged_checks) if acknowledged_checks else ""


def sign(
    db: Database,
    log: audit.AuditLog,
    visit_id: int,
    clinician: str,
    now: str,
    acknowledged_checks: Sequence[str] = (),
) -> Signature:
    """Sign a saved visit (see `Repository.sign_visit`)."""
    clinician = clinician.strip()
    if not clinician:
        raise ValueError("A visit is signed with the clinician's name; none was given.")
    if isinstance(acknowledged_checks, str):  # one id, not a list of its letters
        acknowledged_checks = (acknowledged_checks,)
    checks = in_check_order(acknowledged_checks)
    with immediate(db):
        row = db.execute(
            "SELECT patient_id, content FROM visit WHERE id = ?", [visit_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"There is no visit with id {visit_id}.")
        existing = signature(db, visit_id)
        if existing is not None:
            raise VisitSignedError(
                f"Visit {visit_id} is already signed by {existing.clinician} "
                f"({existing.signed_at:%Y-%m-%d %H:%M} UTC)."
            )
        _refuse_other_rooms(db, visit_id)
        draft = db.execute(
            "SELECT 1 FROM draft WHERE visit_id = ?", [visit_id]
        ).fetchone()
        if draft is not None:
            # Signing now would leave the draft's edits neither saved nor savable.
            raise ValueError(
                f"Visit {visit_id} has unsaved changes (an autosaved draft); save "
                "or discard them before signing."
            )
        patient_id, content = row
        content_sha256 = audit.sha256_text(visit_content.unpack(content))
        db.execute(
            "INSERT INTO signature (visit_id, patient_id, clinician, signed_at,"
            " content_sha256, acknowledged_checks) VALUES (?, ?, ?, ?, ?, ?)",
            [visit_id, patient_id, clinician, now, content_sha256, json.dumps(checks)],
        )
        log.append(
            audit.SIGN,
            "visit",
            visit_id,
            content_sha256,
            clinician=clinician,
            detail=sign_detail(checks),
            at=now,
        )
    return Signature(
        visit_id, clinician, dt.datetime.fromisoformat(now), content_sha256, checks
    )


def received_sha256(
    content_sha256: str, clinician: str, signed_at: str, checks: object
) -> str:
    """The hash a signature received from another room is logged with here: all
    it says (what was signed, by whom, when, the checks acknowledged, `checks`
    as the signature table stores them)."""
    return audit.sha256_text(
        audit.canonical(
            {
                "content_sha256": content_sha256,
                "clinician": clinician,
                "signed_at": signed_at,
                "acknowledged_checks": list(stored_checks(checks) or ()),
            }
        )
    )


def stored_checks(value: object) -> tuple[str, ...] | None:
    """A signature's stored acknowledged checks; None if the stored value is not
    a list of texts (it was then written outside the program)."""
    try:
        checks = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return None
    if not isinstance(checks, list) or not all(isinstance(c, str) for c in checks):
        return None
    return tuple(checks)


def signature(db: Database, visit_id: int) -> Signature | None:
    """A visit's signature; None while it is unsigned."""
    row = db.execute(
        "SELECT clinician, signed_at, content_sha256, acknowledged_checks"
        " FROM signature WHERE visit_id = ?",
        [visit_id],
    ).fetchone()
    if row is None:
        return None
    clinician, signed_at, content_sha256, checks = row
    return Signature(
        visit_id,
        clinician,
        dt.datetime.fromisoformat(signed_at),
        content_sha256,
        stored_checks(checks) or (),
    )


def add_addendum(
    db: Database,
    log: audit.AuditLog,
    visit_id: int,
    text: str,
    clinician: str,
    now: str,
) -> Addendum:
    """Append a correction to a signed visit (see `Repository.add_addendum`)."""
    text, clinician = text.strip(), clinician.strip()
    if not text:
        raise ValueError("An addendum needs some text.")
    if not clinician:
        raise ValueError("An addendum is signed with the clinician's name.")
    with immediate(db):
        signed = signature(db, visit_id)
        if signed is None:
            if db.execute("SELECT 1 FROM visit WHERE id = ?", [visit_id]).fetchone():
                raise ValueError(
                    f"Visit {visit_id} is not signed: correct the visit itself; "
                    "addenda follow signed visits."
                )
            raise NotFoundError(f"There is no visit with id {visit_id}.")
        content_sha256 = addendum_sha256(
            visit_id, signed.content_sha256, text, clinician, now
        )
        cursor = db.execute(
            "INSERT INTO addendum"
            " (visit_id, text, clinician, created_at, content_sha256)"
            " VALUES (?, ?, ?, ?, ?)",
            [visit_id, text, clinician, now, content_sha256],
        )
        addendum_id = int(cursor.lastrowid or 0)
        log.append(
            audit.ADDENDUM,
            "addendum",
            addendum_id,
            content_sha256,
            clinician=clinician,
            detail=f"to visit {visit_id}",
            at=now,
        )
    return Addendum(
        addendum_id,
        visit_id,
        text,
        clinician,
        dt.datetime.fromisoformat(now),
        content_sha256,
    )


def addenda(db: Database, visit_id: int) -> list[Addendum]:
    """A visit's addenda, oldest first."""
    rows = db.execute(
        "SELECT id, visit_id, text, clinician, created_at, content_sha256"
        " FROM addendum WHERE visit_id = ? ORDER BY id",
        [visit_id],
    ).fetchall()
    return [
        Addendum(
            row[0], row[1], row[2], row[3], dt.datetime.fromisoformat(row[4]), row[5]
        )
        for row in rows
    ]
