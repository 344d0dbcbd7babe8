"""Validation: every problem at once, each naming the field and the allowed range.

Used alike by the form (to show issues and enable Save), the importer and the store.
Normative list: clinical-rules.md §7.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sijoint_exam.domain.catalogue import (
    BLOCK_THRESHOLD_CHOICES,
    PRETEST_PROBABILITY_RANGE,
    RULES_BY_ID,
    TESTS_BY_ID,
)
from sijoint_exam.domain.visit import Patient, Visit

MAX_AGE_YEARS = 120
MRN_MAX_LENGTH = 40


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, named by its field path (`patient.mrn`)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def validate_patient(patient: Patient, today: dt.date) -> list[Problem]:
    """Problems with a patient's identity fields (empty list when valid)."""
    problems = []
    mrn = patient.mrn.strip()
    if not mrn:
        problems.append(Problem("patient.mrn", "is required"))
    elif len(mrn) > MRN_MAX_LENGTH:
        problems.append(
            Problem("patient.mrn", f"is longer than {MRN_MAX_LENGTH} characters")
        )
    if not patient.family_name.strip():
        problems.append(Problem("patient.family_name", "is required"))
    dob = patient.date_of_birth
    if dob > today:
        problems.append(
            Problem("patient.date_of_birth", f"{dob} is in the future (today {today})")
        )
    elif dob < _years_before(today, MAX_AGE_YEARS):
        problems.append(
            Problem(
                "patient.date_of_birth",
                f"{dob} is more than {MAX_AGE_YEARS} years ago",
            )
        )
    return problems


def validate_visit(
    visit: Visit, patient: Patient | None, today: dt.date
) -> list[Problem]:
    """Problems with a visit; pass the patient to check the date against the DOB."""
    problems = []
    latest = today + dt.timedelta(days=1)
    if visit.date > latest:
        problems.append(
            Problem("visit.date", f"{visit.date} is more than 1 day in the future")
        )
    if patient is not None and visit.date < patient.date_of_birth:
        problems.append(
            Problem(
                "visit.date",
                f"{visit.date} is before the date of birth {patient.date_of_birth}",
            )
        )
    for test_id in visit.provocation:
        if test_id not in TESTS_BY_ID:
            allowed = ", ".join(TESTS_BY_ID)
            problems.append(
                Problem(
                    f"visit.provocation.{test_id}",
                    f"unknown test (allowed: {allowed})",
                )
            )
    problems.extend(_scoring_problems(visit))
    return problems


def _scoring_problems(visit: Visit) -> list[Problem]:
    scoring = visit.scoring
    problems = []
    if scoring.rule not in RULES_BY_ID:
        allowed = ", ".join(RULES_BY_ID)
        problems.append(
            Problem(
                "visit.scoring.rule",
                f"{scoring.rule!r} is not a rule set (allowed: {allowed})",
            )
        )
    low, high = PRETEST_PROBABILITY_RANGE
    if not low <= scoring.pretest_probability <= high:
        problems.append(
            Problem(
                "visit.scoring.pretest_probability",
                f"{scoring.pretest_probability} is outside {low}–{high}",
            )
        )
    if scoring.block_threshold_percent not in BLOCK_THRESHOLD_CHOICES:
        choices = ", ".join(str(c) for c in BLOCK_THRESHOLD_CHOICES)
        problems.append(
            Problem(
                "visit.scoring.block_threshold_percent",
                f"{scoring.block_threshold_percent} is not one of {choices}",
            )
        )
    return problems
