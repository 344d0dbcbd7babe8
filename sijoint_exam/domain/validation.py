"""Validation: every problem at once, each naming the field and the allowed range.

Used alike by the form (to show issues and enable Save), the importer and the store.
Normative list: clinical-rules.md §7.
"""

from __future__ import annotations

import datetime as dt
import math

from sijoint_exam.domain import input_limits, visit_writer
from sijoint_exam.domain.alignment import (
    LANDMARK_POSITIONS,
    UNSIDED_PATTERNS,
    Alignment,
)
from sijoint_exam.domain.block import Block
from sijoint_exam.domain.catalogue import (
    AGENT_WINDOW_HOURS_RANGE,
    BLOCK_PRE_NRS_RANGE,
    BLOCK_THRESHOLD_CHOICES,
    PATIENT_PERCENT_RANGE,
    PRETEST_PROBABILITY_RANGE,
    RULES_BY_ID,
    TESTS_BY_ID,
)
from sijoint_exam.domain.catalogue_measures import (
    ASLR_LEG_RANGE,
    NRS_RANGE,
    ODI_ANSWER_RANGE,
    ODI_SECTIONS,
    ODI_VERSIONS,
    PAIN_REGIONS,
    RED_FLAGS_BY_ID,
)
from sijoint_exam.domain.catalogue_together import CONSERVATIVE_CARE_WEEKS_RANGE
from sijoint_exam.domain.problems import MRN_MAX_LENGTH, Problem
from sijoint_exam.domain.visit import Patient, ProvocationFinding, Visit

__all__ = ["MRN_MAX_LENGTH", "Problem", "validate_patient", "validate_visit"]

MAX_AGE_YEARS = 120


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
    return problems + _text_limits(patient=patient)


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
    for test_id, finding in visit.provocation.items():
        if test_id not in TESTS_BY_ID:
            allowed = ", ".join(TESTS_BY_ID)
            problems.append(
                Problem(
                    f"visit.provocation.{test_id}",
                    f"unknown test (allowed: {allowed})",
                )
            )
        else:
            problems.extend(_finding_problems(test_id, finding))
    problems.extend(_scoring_problems(visit))
    dob = patient.date_of_birth if patient is not None else None
    problems.extend(_history_problems(visit, dob))
    problems.extend(_pain_problems(visit))
    problems.extend(_red_flag_problems(visit))
    problems.extend(_alignment_problems(visit.alignment))
    for i, block in enumerate(visit.blocks):
        problems.extend(_block_problems(block, f"visit.blocks[{i}]", dob, today))
    problems.extend(_odi_problems(visit))
    for side in ("left", "right"):
        value = getattr(visit.aslr, side)
        if value is not None:
            problems.extend(_integer(value, ASLR_LEG_RANGE, f"visit.aslr.{side}"))
    return problems + _text_limits(visit=visit)


def _text_limits(
    patient: Patient | None = None, visit: Visit | None = None
) -> list[Problem]:
    """The visit file's input limits (characters, lengths, counts), held for
    what the form saves too: every visit exported then imports again."""
    if patient is not None:
        names = ("mrn", "family_name", "given_names")
        document = {"patient": {name: getattr(patient, name) for name in names}}
    else:
        assert visit is not None
        document = {"visit": visit_writer.visit_to_dict(visit)}
    # The MRN's length has its own, older message above.
    return [
        problem
        for problem in input_limits.limit_problems(document)
        if not (problem.field == "patient.mrn" and "characters long" in problem.message)
    ]


def _integer(value: object, allowed: tuple[int, int], field: str) -> list[Problem]:
    """An integer within `allowed` (inclusive), or one problem naming the range."""
    low, high = allowed
    if not isinstance(value, int) or isinstance(value, bool):
        return [Problem(field, f"{value!r} is not an integer ({low}–{high})")]
    if not low <= value <= high:
        return [Problem(field, f"{value} is outside {low}–{high}")]
    return []


def _finding_problems(test_id: str, finding: ProvocationFinding) -> list[Problem]:
    """Keys that the file would not keep for this kind of test."""
    path = f"visit.provocation.{test_id}"
    default = ProvocationFinding()
    wrong = []
    if TESTS_BY_ID[test_id].lateral:
        for key in ("result", "pain_side"):
            if getattr(finding, key) != getattr(default, key):
                wrong.append((key, "a lateral test is recorded as left and right"))
    elif (finding.left, finding.right) != (default.left, default.right):
        wrong.append(("left", "a test with one result is recorded as result"))
    test = TESTS_BY_ID[test_id]
    if not test.records_lying_side and finding.lying_side is not None:
        wrong.append(("lying_side", f"{test.name} does not record a lying side"))
    return [Problem(f"{path}.{key}", message) for key, message in wrong]


def _history_problems(visit: Visit, dob: dt.date | None) -> list[Problem]:
    weeks = visit.history.conservative_care_weeks
    if weeks is not None:
        field = "visit.history.conservative_care_weeks"
        if problems := _integer(weeks, CONSERVATIVE_CARE_WEEKS_RANGE, field):
            return problems
    onset = visit.history.onset
    if onset is None:
        return []
    if onset > visit.date:
        return [
            Problem(
                "visit.history.onset",
                f"{onset} is after the visit date {visit.date}",
            )
        ]
    if dob is not None and onset < dob:
        return [
            Problem("visit.history.onset", f"{onset} is before the date of birth {dob}")
        ]
    return []


def _pain_problems(visit: Visit) -> list[Problem]:
    problems = []
    for key in ("now", "best_24h", "worst_24h"):
        value = getattr(visit.pain, key)
        if value is not None:
            problems.extend(_integer(value, NRS_RANGE, f"visit.pain.{key}"))
    for region in visit.pain.regions:
        if region not in PAIN_REGIONS:
            problems.append(
                Problem(
                    "visit.pain.regions",
                    f"{region!r} is not a body-chart region "
                    f"(allowed: {', '.join(PAIN_REGIONS)})",
                )
            )
    return problems


def _red_flag_problems(visit: Visit) -> list[Problem]:
    allowed = ", ".join(RED_FLAGS_BY_ID)
    return [
        Problem(f"visit.red_flags.{flag}", f"unknown red flag (allowed: {allowed})")
        for flag in visit.red_flags
        if flag not in RED_FLAGS_BY_ID
    ]


def _alignment_problems(alignment: Alignment) -> list[Problem]:
    problems = []
    seen = set()
    for i, found in enumerate(alignment.patterns):
        path = f"visit.alignment.patterns[{i}]"
        if found.pattern in UNSIDED_PATTERNS and found.side is not None:
            problems.append(
                Problem(f"{path}.side", f"{found.pattern.value} takes no side")
            )
        if found.pattern not in UNSIDED_PATTERNS and found.side is None:
            problems.append(
                Problem(f"{path}.side", f"{found.pattern.value} needs left or right")
            )
        if (found.pattern, found.side) in seen:
            problems.append(Problem(path, f"{found.pattern.value} is listed twice"))
        seen.add((found.pattern, found.side))
    for landmark, positions in alignment.landmarks.items():
        allowed = LANDMARK_POSITIONS[landmark]
        for side in ("left", "right"):
            value = getattr(positions, side)
            if value is not None and value not in allowed:
                problems.append(
                    Problem(
                        f"visit.alignment.landmarks.{landmark.value}.{side}",
                        f"{value.value!r} is not one of "
                        f"{', '.join(p.value for p in allowed)}",
                    )
                )
    return problems


def _block_problems(
    block: Block, path: str, dob: dt.date | None, today: dt.date
) -> list[Problem]:
    problems = []
    if block.date > today + dt.timedelta(days=1):
        problems.append(
            Problem(f"{path}.date", f"{block.date} is more than 1 day in the future")
        )
    if dob is not None and block.date < dob:
        problems.append(
            Problem(f"{path}.date", f"{block.date} is before the date of birth {dob}")
        )
    if block.number not in (1, 2):
        problems.append(Problem(f"{path}.number", f"{block.number!r} is not 1 or 2"))
    if block.pre == 0:
        # Relief is a fraction of the pain before: none means none can be computed.
        problems.append(
            Problem(f"{path}.pre", "0 is refused: relief cannot be computed (1–10)")
        )
    else:
        problems.extend(_integer(block.pre, BLOCK_PRE_NRS_RANGE, f"{path}.pre"))
    for j, reading in enumerate(block.readings):
        where = f"{path}.readings[{j}]"
        minutes = reading.minutes
        if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
            problems.append(
                Problem(f"{where}.minutes", f"{minutes!r} is not a whole number ≥ 0")
            )
        problems.extend(_integer(reading.nrs, NRS_RANGE, f"{where}.nrs"))
        if reading.patient_percent is not None:
            problems.extend(
                _integer(
                    reading.patient_percent,
                    PATIENT_PERCENT_RANGE,
                    f"{where}.patient_percent",
                )
            )
    hours = block.relief_hours
    if hours is not None and not (math.isfinite(hours) and hours >= 0):
        problems.append(
            Problem(f"{path}.relief_hours", f"{hours} is not a number of hours ≥ 0")
        )
    return problems


def _odi_problems(visit: Visit) -> list[Problem]:
    odi = visit.odi
    problems = []
    if odi.version not in ODI_VERSIONS:
        problems.append(
            Problem(
                "visit.odi.version",
                f"{odi.version!r} is not one of {', '.join(ODI_VERSIONS)}",
            )
        )
    if len(odi.answers) != ODI_SECTIONS:
        problems.append(
            Problem(
                "visit.odi.answers",
                f"has {len(odi.answers)} answers; the ODI has {ODI_SECTIONS} sections "
                "(null for one not answered)",
            )
        )
    for i, answer in enumerate(odi.answers):
        if answer is not None:
            problems.extend(
                _integer(answer, ODI_ANSWER_RANGE, f"visit.odi.answers[{i}]")
            )
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
    if not low <= scoring.pretest_probability <= high:  # NaN fails too
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
    for agent, hours in scoring.agent_window_hours.by_agent().items():
        path = f"visit.scoring.agent_window_hours.{agent.value}"
        problems.extend(_integer(hours, AGENT_WINDOW_HOURS_RANGE, path))
    return problems
