"""Patients and visits in the database, handed out as domain objects, never rows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from sijoint_exam.domain import visit_file
from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.store import (
    audit,
    backup,
    clinicians,
    drafts,
    rows,
    search,
    signing,
    sync_tables,
    visit_content,
    visits,
)
from sijoint_exam.store.audit import AuditEntry, AuditLog, current_os_user
from sijoint_exam.store.drafts import Draft
from sijoint_exam.store.errors import (
    DamagedRecordError,
    DuplicateMrnError,
    NotFoundError,
    VisitSignedError,
)
from sijoint_exam.store.patient_directory import (
    PATIENT_COLUMNS,
    PatientSummary,
    find_patients,
    patient_from_tuple,
)
from sijoint_exam.store.rows import NO_SIDE, VisitSummary
from sijoint_exam.store.signing import Addendum, Signature
from sijoint_exam.store.transactions import immediate

__all__ = [
    "NO_SIDE",
    "Addendum",
    "DamagedRecordError",
    "Draft",
    "DuplicateMrnError",
    "NotFoundError",
    "PatientSummary",
    "Repository",
    "Signature",
    "VisitSignedError",
    "VisitSummary",
]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Repository:
    """Reads and writes patients, visits, drafts, signatures and addenda, and
    records each change in the audit log.

    Args:
        db: An open, migrated database (see `open_database`).
        clock: Gives the current time for timestamps; timezone-aware.
        os_user: Gives the operating-system user the audit log records.
        clinician: The clinician working (see the `clinician` property); not
            added to the remembered list until set through the property.
    """

    def __init__(
        self,
        db: Database,
        clock: Callable[[], dt.datetime] = _utc_now,
        os_user: Callable[[], str] = current_os_user,
        clinician: str = "",
    ) -> None:
        self._db = db
        self._clock = clock
        self._clinician = clinician.strip()
        self._audit = AuditLog(db, clock, os_user, lambda: self._clinician)

    # The clinician working

    @property
    def clinician(self) -> str:
        """The clinician working now ("" for none), stamped on every audit entry.

        Setting it switches clinician in one step and remembers the name in this
        database's list (`clinicians()`); "" clears it. A visit saved with no
        clinician set is logged under the visit's own clinician.
        """
        return self._clinician

    @clinician.setter
    def clinician(self, name: str) -> None:
        name = name.strip()
        if name:
            clinicians.remember(self._db, name, self._now())
        self._clinician = name

    def clinicians(self) -> list[str]:
        """The clinicians who have worked on this database, most recent first."""
        return clinicians.names(self._db)

    def remember_clinician(self, name: str) -> None:
        """Add a clinician to the list without switching to them.

        Raises:
            ValueError: The name is blank.
        """
        clinicians.remember(self._db, name, self._now())

    # Patients

    def add_patient(self, patient: Patient) -> int:
        """Add a patient and return the new id.

        Raises:
            DuplicateMrnError: Another patient has the same MRN.
        """
        now = self._now()
        row = rows.patient_to_row(patient)
        with immediate(self._db), rows.unique_mrn(self._db, patient.mrn):
            cursor = self._db.execute(
                "INSERT INTO patient (mrn, family_name, given_names, date_of_birth,"
                " sex, search_text, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [*row.values(), search.search_text(row), now, now],
            )
            patient_id = int(cursor.lastrowid or 0)
            self._audit.append(
                audit.CREATE, "patient", patient_id, audit.patient_sha256(row), at=now
            )
        return patient_id

    def update_patient(self, patient_id: int, patient: Patient) -> None:
        """Replace a patient's details.

        Raises:
            NotFoundError: No patient has this id.
            DuplicateMrnError: Another patient has the new MRN.
        """
        row = rows.patient_to_row(patient)
        now = self._now()
        with immediate(self._db), rows.unique_mrn(self._db, patient.mrn):
            cursor = self._db.execute(
                "UPDATE patient SET mrn = ?, family_name = ?, given_names = ?,"
                " date_of_birth = ?, sex = ?, search_text = ?, updated_at = ?"
                " WHERE id = ?",
                [*row.values(), search.search_text(row), now, patient_id],
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"There is no patient with id {patient_id}.")
            self._audit.append(
                audit.CHANGE, "patient", patient_id, audit.patient_sha256(row), at=now
            )

    def get_patient(self, patient_id: int) -> Patient:
        """The patient with this id.

        Raises:
            NotFoundError: No patient has this id.
        """
        row = self._db.execute(
            f"SELECT {PATIENT_COLUMNS} FROM patient WHERE id = ?", [patient_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"There is no patient with id {patient_id}.")
        return patient_from_tuple(row)

    def search_patients(self, text: str = "", limit: int = 200) -> list[PatientSummary]:
        """Patients whose name, MRN or date of birth contain every word of `text`.

        Matching ignores case and accents in any script, composed or not: "nunez"
        and "ÑÚÑ" find "Ñúñez"; "weiss" finds "Weiß". A word never matches across
        two fields. Ordered by family name, then given names (an index walks or
        looks them up at any size: see `store.search`).
        """
        return find_patients(self._db.conn, text, limit)

    # Visits

    def save_visit(
        self, patient_id: int, visit: Visit, visit_id: int | None = None
    ) -> int:
        """Store a visit, new or replacing `visit_id`, and return its id.

        The visit row, its provocation results, its audit entry and the removal of
        its draft are written in one transaction.

        Raises:
            NotFoundError: No patient has `patient_id`, or no visit has `visit_id`.
            VisitSignedError: `visit_id` is signed.
            ValueError: `visit_id` belongs to another patient, or the visit names a
                provocation test the catalogue does not know.
        """
        return visits.write_visit(
            self._db,
            self._audit,
            patient_id,
            visit,
            visit_id,
            now=self._now(),
            clinician=self._clinician or visit.clinician,
            check_patient=self.get_patient,
        )

    def get_visit(self, visit_id: int) -> Visit:
        """The visit with this id.

        Raises:
            NotFoundError: No visit has this id.
        """
        content = self._visit_json(visit_id)
        try:
            return visit_file.visit_from_dict(json.loads(content))
        except ValueError as exc:  # JSONDecodeError is one
            raise DamagedRecordError.of_visit(visit_id, str(exc)) from None

    def visit_patient_id(self, visit_id: int) -> int:
        """The id of the patient a visit belongs to.

        Raises:
            NotFoundError: No visit has this id.
        """
        return int(self._visit_row(visit_id, "patient_id")[0])

    def list_visits(self, patient_id: int) -> list[VisitSummary]:
        """A patient's visits, newest first (empty for an unknown patient)."""
        return visits.summaries(self._db, patient_id)

    def visits_between(
        self, first: dt.date, last: dt.date
    ) -> list[tuple[int, str, dt.date]]:
        """(visit id, MRN, date) of every visit dated `first`..`last`, by date."""
        return visits.between(self._db, first, last)

    # Drafts

    def save_draft(self, patient_id: int, visit_id: int | None, visit: Visit) -> int:
        """Autosave the visit being edited; returns the draft's id.

        Each call replaces the previous draft of the same visit (or of the
        patient's new visit, when `visit_id` is None), so the id stays the same.

        Raises:
            NotFoundError: No such patient or visit.
            VisitSignedError: `visit_id` is signed.
            ValueError: `visit_id` belongs to another patient.
        """
        return drafts.save(self._db, patient_id, visit_id, visit, self._now())

    def drafts(self) -> list[Draft]:
        """Drafts never saved as visits (after a crash, say), newest first."""
        return drafts.pending(self._db)

    def discard_draft(self, draft_id: int) -> None:
        """Delete a draft the user does not want back.

        Raises:
            NotFoundError: No draft has this id.
        """
        drafts.discard(self._db, draft_id)

    # Signing and addenda

    def sign_visit(
        self,
        visit_id: int,
        clinician: str | None = None,
        acknowledged_checks: Sequence[str] = (),
    ) -> Signature:
        """Sign a saved visit: from now on it cannot change, in the form or in SQL.

        `clinician` signs; by default the one working now. `acknowledged_checks`
        are the ids of the checks before signing (`domain.signing_checks`) the
        clinician acknowledged by name; they are stored with the signature, in
        its audit entry, and read back as `Signature.acknowledged_checks` (in
        their listed order, each once).

        Raises:
            NotFoundError: No visit has this id.
            VisitSignedError: It is already signed.
            ValueError: No clinician name, an unknown check id, or the visit has
                an unsaved draft.
        """
        signer = self._clinician if clinician is None else clinician
        return signing.sign(
            self._db, self._audit, visit_id, signer, self._now(), acknowledged_checks
        )

    def room_elsewhere(self, visit_id: int) -> str | None:
        """The room a visit is in progress in when it is another room's (it came
        from the clinic server, and only that room changes or signs it); None
        for this room's own visits."""
        return sync_tables.room_elsewhere(self._db, visit_id)

    def signature(self, visit_id: int) -> Signature | None:
        """The visit's signature, or None while it is unsigned."""
        return signing.signature(self._db, visit_id)

    def add_addendum(
        self, visit_id: int, text: str, clinician: str | None = None
    ) -> Addendum:
        """Add a dated, signed correction to a signed visit (signed by
        `clinician`, by default the one working now).

        Raises:
            NotFoundError: No visit has this id.
            ValueError: The visit is not signed, or text or clinician is empty.
        """
        signer = self._clinician if clinician is None else clinician
        return signing.add_addendum(
            self._db, self._audit, visit_id, text, signer, self._now()
        )

    def addenda(self, visit_id: int) -> list[Addendum]:
        """A visit's addenda, oldest first."""
        return signing.addenda(self._db, visit_id)

    # Audit log

    def record_export(
        self, visit_id: int, destination: str | Path, kind: str, clinician: str = ""
    ) -> AuditEntry:
        """Log that a visit was exported (`kind`: "visit note PDF", "visit file"…),
        by `clinician` or else the one working now."""
        return self._record_output(audit.EXPORT, visit_id, destination, kind, clinician)

    def record_print(
        self, visit_id: int, printer: str, kind: str, clinician: str = ""
    ) -> AuditEntry:
        """Log that a visit was printed on `printer` (by `clinician`, as above)."""
        return self._record_output(audit.PRINT, visit_id, printer, kind, clinician)

    def audit_log(
        self, entity: str | None = None, entity_id: int | None = None
    ) -> list[AuditEntry]:
        """The audit log, oldest first; one kind of record, or one record, if asked
        (`entity` is "patient", "visit", "addendum" or "database")."""
        return self._audit.entries(entity, entity_id)

    # Backups

    def backup_to(self, destination: Path) -> Path:
        """Back the database up, live, into a folder (a dated file) or a new file.

        Raises:
            FileExistsError: `destination` is an existing file.
        """
        return backup.backup_to(self._db, destination, self._audit, self._clock())

    def backup_if_due(self, folder: Path) -> Path | None:
        """The daily backup into `folder`, if none was taken today; then remove
        backups beyond the last 14 days and 12 month-ends. Returns the new file."""
        # Days begin at the clinic's midnight, not UTC's.
        now = self._clock().astimezone()
        return backup.backup_if_due(self._db, folder, self._audit, now)

    # Helpers

    def _record_output(
        self, action: str, visit_id: int, where: str | Path, kind: str, clinician: str
    ) -> AuditEntry:
        return self._audit.append(
            action,
            "visit",
            visit_id,
            audit.sha256_text(self._visit_json(visit_id)),
            clinician=clinician or None,
            detail=f"{kind}: {where}",
            at=self._now(),
        )

    def _now(self) -> str:
        return audit.iso_utc(self._clock())

    def _visit_json(self, visit_id: int) -> str:
        try:
            return visit_content.unpack(self._visit_row(visit_id, "content")[0])
        except visit_content.UnreadableContent as exc:
            raise DamagedRecordError.of_visit(visit_id, str(exc)) from None

    def _visit_row(self, visit_id: int, columns: str) -> tuple[Any, ...]:
        row = self._db.execute(
            f"SELECT {columns} FROM visit WHERE id = ?", [visit_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"There is no visit with id {visit_id}.")
        return tuple(row)
