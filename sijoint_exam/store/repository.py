"""Patients and visits in the database, handed out as domain objects, never rows."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError as RowNotFoundError

from sijoint_exam.domain import cluster, visit_file
from sijoint_exam.domain.catalogue import TESTS_BY_ID
from sijoint_exam.domain.visit import Patient, Sex, Visit

# The side value of a provocation_result row for a test that is not done per side.
NO_SIDE = "none"


class DuplicateMrnError(ValueError):
    """Another patient already has this medical record number."""


class NotFoundError(LookupError):
    """No patient or visit has the id asked for."""


@dataclass(frozen=True)
class PatientSummary:
    """A row of the patient list: the id to ask for, and the patient."""

    id: int
    patient: Patient


@dataclass(frozen=True)
class VisitSummary:
    """A row of a patient's visit history."""

    id: int
    patient_id: int
    date: dt.date
    clinician: str
    rule: str
    positive_count: int
    updated_at: dt.datetime


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fold(text: str) -> str:
    """Text as search compares it: normalised, then case-folded."""
    # NFKC so that composed and decomposed accents (and Hangul) compare equal.
    return unicodedata.normalize("NFKC", text).casefold()


class Repository:
    """Reads and writes patients and visits.

    Args:
        db: An open, migrated database (see `open_database`).
        clock: Gives the current time for `created_at`/`updated_at`; timezone-aware.
    """

    def __init__(
        self,
        db: Database,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self._db = db
        self._clock = clock
        # SQLite's LIKE and lower() fold ASCII only; search needs Unicode folding.
        db.register_function(_fold, deterministic=True, name="sijoint_fold")

    # Patients

    def add_patient(self, patient: Patient) -> int:
        """Add a patient and return the new id.

        Raises:
            DuplicateMrnError: Another patient has the same MRN.
        """
        now = self._now()
        row = {**_patient_to_row(patient), "created_at": now, "updated_at": now}
        with self._unique_mrn(patient.mrn):
            table = self._db.table("patient").insert(row)
        return int(table.last_pk)

    def update_patient(self, patient_id: int, patient: Patient) -> None:
        """Replace a patient's details.

        Raises:
            NotFoundError: No patient has this id.
            DuplicateMrnError: Another patient has the new MRN.
        """
        self.get_patient(patient_id)
        row = {**_patient_to_row(patient), "updated_at": self._now()}
        with self._unique_mrn(patient.mrn):
            self._db.table("patient").update(patient_id, row)

    def get_patient(self, patient_id: int) -> Patient:
        """The patient with this id.

        Raises:
            NotFoundError: No patient has this id.
        """
        return _patient_from_row(self._row("patient", patient_id))

    def search_patients(self, text: str = "", limit: int = 200) -> list[PatientSummary]:
        """Patients whose name, MRN or date of birth contain every word of `text`.

        Matching ignores case (in any script) but not accents: "ñúñ" finds
        "Ñúñez", "nunez" does not. Ordered by family name, then given names.
        """
        words = [_fold(word) for word in text.split()]
        # Joined with a newline, which no search word can contain, so a word never
        # matches across the end of one field and the start of the next.
        haystack = (
            "sijoint_fold(family_name || char(10) || given_names || char(10) "
            "|| mrn || char(10) || date_of_birth)"
        )
        where = " AND ".join(f"instr({haystack}, ?) > 0" for _ in words) or "1"
        sql = (
            f"SELECT * FROM patient WHERE {where} ORDER BY family_name COLLATE NOCASE,"
            " given_names COLLATE NOCASE, id LIMIT ?"
        )
        return [
            PatientSummary(id=row["id"], patient=_patient_from_row(row))
            for row in self._db.query(sql, [*words, limit])
        ]

    # Visits

    def save_visit(
        self, patient_id: int, visit: Visit, visit_id: int | None = None
    ) -> int:
        """Store a visit, new or replacing `visit_id`, and return its id.

        The visit row and its provocation results are written in one transaction.

        Raises:
            NotFoundError: No patient has `patient_id`, or no visit has `visit_id`.
            ValueError: `visit_id` belongs to another patient, or the visit names a
                provocation test the catalogue does not know.
        """
        self.get_patient(patient_id)
        unknown = sorted(set(visit.provocation) - set(TESTS_BY_ID))
        if unknown:
            raise ValueError(f"Unknown provocation test: {', '.join(unknown)}")
        if visit_id is not None and self.visit_patient_id(visit_id) != patient_id:
            raise ValueError(
                f"Visit {visit_id} belongs to another patient, not to {patient_id}"
            )
        content = visit_file.visit_to_dict(visit)
        now = self._now()
        row = {
            "patient_id": patient_id,
            "visit_date": visit.date.isoformat(),
            "clinician": visit.clinician,
            "symptomatic_side": visit.symptomatic_side.value,
            "rule": visit.scoring.rule,
            "content_json": visit_file.canonical_json(content),
            "updated_at": now,
        }
        visits = self._db.table("visit")
        results = self._db.table("provocation_result")
        with self._db.atomic():
            if visit_id is None:
                visit_id = int(visits.insert({**row, "created_at": now}).last_pk)
            else:
                visits.update(visit_id, row)
                results.delete_where("visit_id = ?", [visit_id])
            results.insert_all(_result_rows(visit_id, content["provocation"]))
        return visit_id

    def get_visit(self, visit_id: int) -> Visit:
        """The visit with this id.

        Raises:
            NotFoundError: No visit has this id.
        """
        row = self._row("visit", visit_id)
        return visit_file.visit_from_dict(json.loads(row["content_json"]))

    def visit_patient_id(self, visit_id: int) -> int:
        """The id of the patient a visit belongs to.

        Raises:
            NotFoundError: No visit has this id.
        """
        return int(self._row("visit", visit_id)["patient_id"])

    def list_visits(self, patient_id: int) -> list[VisitSummary]:
        """A patient's visits, newest first (empty for an unknown patient)."""
        rows = self._db.table("visit").rows_where(
            "patient_id = ?", [patient_id], order_by="visit_date DESC, id DESC"
        )
        return [_visit_summary(row) for row in rows]

    # Helpers

    def _now(self) -> str:
        return self._clock().astimezone(dt.UTC).isoformat(timespec="seconds")

    def _row(self, table: str, row_id: int) -> dict[str, Any]:
        try:
            return self._db.table(table).get(row_id)
        except RowNotFoundError:
            raise NotFoundError(f"There is no {table} with id {row_id}.") from None

    @contextlib.contextmanager
    def _unique_mrn(self, mrn: str) -> Iterator[None]:
        """Turn the UNIQUE(mrn) violation into an error naming who has the MRN."""
        try:
            yield
        except sqlite3.IntegrityError as exc:
            holder = self._patient_with_mrn(mrn)
            if holder is None or "patient.mrn" not in str(exc):
                raise
            raise DuplicateMrnError(
                f'MRN "{mrn}" is already used by {holder.display_name}'
            ) from exc

    def _patient_with_mrn(self, mrn: str) -> Patient | None:
        rows = list(self._db.table("patient").rows_where("mrn = ?", [mrn], limit=1))
        return _patient_from_row(rows[0]) if rows else None


def _patient_to_row(patient: Patient) -> dict[str, Any]:
    return {
        "mrn": patient.mrn,
        "family_name": patient.family_name,
        "given_names": patient.given_names,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex.value,
    }


def _patient_from_row(row: dict[str, Any]) -> Patient:
    return Patient(
        mrn=row["mrn"],
        family_name=row["family_name"],
        given_names=row["given_names"],
        date_of_birth=dt.date.fromisoformat(row["date_of_birth"]),
        sex=Sex(row["sex"]),
    )


def _result_rows(
    visit_id: int, provocation: dict[str, dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """One row per recorded test and side, from the visit's canonical content."""
    for test_id, finding in provocation.items():
        if TESTS_BY_ID[test_id].lateral:
            sides = {"left": finding["left"], "right": finding["right"]}
        else:
            sides = {NO_SIDE: finding["result"]}
        for side, result in sides.items():
            yield {
                "visit_id": visit_id,
                "test_id": test_id,
                "side": side,
                "result": result,
            }


def _visit_summary(row: dict[str, Any]) -> VisitSummary:
    # The count comes from the stored content, through the same rule code the
    # form uses, so a summary can never disagree with the opened visit.
    visit = visit_file.visit_from_dict(json.loads(row["content_json"]))
    return VisitSummary(
        id=row["id"],
        patient_id=row["patient_id"],
        date=dt.date.fromisoformat(row["visit_date"]),
        clinician=row["clinician"],
        rule=row["rule"],
        positive_count=cluster.evaluate(visit).positive,
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
    )
