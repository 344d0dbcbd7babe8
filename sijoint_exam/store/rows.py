"""Rows <-> domain objects, and the summaries the lists show."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from sijoint_exam.domain import cluster, visit_file
from sijoint_exam.domain.catalogue import TESTS_BY_ID
from sijoint_exam.domain.outcomes import odi_score
from sijoint_exam.domain.visit import Patient
from sijoint_exam.store import cipher, visit_content
from sijoint_exam.store.errors import DuplicateMrnError
from sijoint_exam.store.patient_directory import PATIENT_COLUMNS, patient_from_tuple

# The side value of a provocation_result row for a test that is not done per side.
NO_SIDE = "none"


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
    signed: bool = False
    nrs_now: int | None = None  # pain now, for the visit list
    odi_percent: float | None = None  # None: no ODI or too many sections missing
    damaged: bool = False  # its stored content cannot be read (see `verify`)
    # The room it is in progress in, for another room's visit (clinic server).
    elsewhere: str | None = None


def patient_to_row(patient: Patient) -> dict[str, Any]:
    return {
        "mrn": patient.mrn,
        "family_name": patient.family_name,
        "given_names": patient.given_names,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex.value,
    }


def result_rows(
    visit_id: int, provocation: dict[str, dict[str, Any]]
) -> Iterator[tuple[int, str, str, str]]:
    """One row per recorded test and side, from the visit's canonical content."""
    for test_id, finding in provocation.items():
        if TESTS_BY_ID[test_id].lateral:
            sides = {"left": finding["left"], "right": finding["right"]}
        else:
            sides = {NO_SIDE: finding["result"]}
        for side, result in sides.items():
            yield (visit_id, test_id, side, result)


def visit_summary(row: dict[str, Any]) -> VisitSummary:
    # The count comes from the stored content, through the same rule code the
    # form uses, so a summary can never disagree with the opened visit.
    try:
        visit = visit_file.visit_from_dict(
            json.loads(visit_content.unpack(row["content"]))
        )
    except ValueError:  # unreadable content, or not JSON: the others still list
        return VisitSummary(
            id=row["id"],
            patient_id=row["patient_id"],
            date=dt.date.fromisoformat(row["visit_date"]),
            clinician=row["clinician"],
            rule=row["rule"],
            positive_count=0,
            updated_at=dt.datetime.fromisoformat(row["updated_at"]),
            signed=bool(row["signed"]),
            damaged=True,
            elsewhere=row.get("elsewhere"),
        )
    return VisitSummary(
        id=row["id"],
        patient_id=row["patient_id"],
        date=dt.date.fromisoformat(row["visit_date"]),
        clinician=row["clinician"],
        rule=row["rule"],
        positive_count=cluster.evaluate(visit).positive,
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
        signed=bool(row["signed"]),
        nrs_now=visit.pain.now,
        odi_percent=odi_score(visit.odi).percent,
        elsewhere=row.get("elsewhere"),
    )


@contextlib.contextmanager
def unique_mrn(db: Database, mrn: str) -> Iterator[None]:
    """Turn the UNIQUE(mrn) violation into an error naming who has the MRN."""
    try:
        yield
    except cipher.INTEGRITY_ERRORS as exc:
        if "patient.mrn" not in str(exc):
            raise
        row = db.execute(
            f"SELECT {PATIENT_COLUMNS} FROM patient WHERE mrn = ?", [mrn]
        ).fetchone()
        if row is None:
            raise
        holder = patient_from_tuple(row)
        raise DuplicateMrnError(
            f'MRN "{mrn}" is already used by {holder.display_name}'
        ) from exc
