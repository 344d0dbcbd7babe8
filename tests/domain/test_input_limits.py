"""The input limits of the visit file: what they refuse, and what they let pass."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from sijoint_exam.domain.input_limits import (
    FREE_TEXT_LENGTH,
    LIST_LENGTHS,
    NAME_LENGTH,
    limit_problems,
)
from sijoint_exam.domain.validation import MRN_MAX_LENGTH

SAMPLE = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "sample-visit.json").read_text(
        encoding="utf-8"
    )
)


def with_value(path: list[str], value: object) -> dict:
    doc = copy.deepcopy(SAMPLE)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


def test_the_sample_is_within_every_limit() -> None:
    assert limit_problems(SAMPLE) == []


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["visit", "plan"], "Review in two weeks.\n\tHome exercises."),
        (["patient", "family_name"], "כהן"),  # right-to-left script itself is fine
        (["patient", "given_names"], "\u200fנועה"),  # a right-to-left mark
        (["patient", "family_name"], "Ñúñez-O'Brien"),
        (["patient", "mrn"], "M" * MRN_MAX_LENGTH),
        (["patient", "family_name"], "K" * NAME_LENGTH),
        (["visit", "assessment"], "a" * FREE_TEXT_LENGTH),
        (
            ["visit", "referral", "copies"],
            ["GP"] * LIST_LENGTHS["visit.referral.copies"],
        ),
    ],
    ids=[
        "tab and line feed in free text",
        "a right-to-left name",
        "a right-to-left mark",
        "accents and apostrophes",
        "longest MRN",
        "longest name",
        "longest free text",
        "most copies",
    ],
)
def test_what_a_clinic_writes_passes(path: list[str], value: object) -> None:
    assert limit_problems(with_value(path, value)) == []


@pytest.mark.parametrize(
    ("path", "value", "line"),
    [
        (
            ["patient", "mrn"],
            "M" * (MRN_MAX_LENGTH + 1),
            "patient.mrn: is 41 characters long; at most 40 are allowed",
        ),
        (
            ["patient", "given_names"],
            "Sun\tgae",
            "patient.given_names: character 4 is a control character (U+0009 TAB), "
            "refused in identifiers and names",
        ),
        (
            ["visit", "plan"],
            "Review\r in two weeks",
            "visit.plan: character 7 is a control character (U+000D CARRIAGE "
            "RETURN), refused in free text",
        ),
        (
            ["visit", "referral", "copies"],
            ["GP", "pa\u202etient"],
            "visit.referral.copies[1]: character 3 is a bidirectional control "
            "character (U+202E RIGHT-TO-LEFT OVERRIDE), refused in identifiers and "
            "names",
        ),
        (
            ["visit", "history", "k" * 101],
            1,
            "visit.history: a key is 101 characters long; at most 100 are allowed",
        ),
        (
            ["visit", "blocks", 0, "concentration"],
            "x" * (FREE_TEXT_LENGTH + 1),
            "visit.blocks[0].concentration: is 10,001 characters long; at most "
            "10,000 are allowed",
        ),
    ],
    ids=["MRN", "tab in a name", "carriage return", "copy", "key", "block text"],
)
def test_what_breaks_a_limit_is_named(path: list, value: object, line: str) -> None:
    assert [str(p) for p in limit_problems(with_value(path, value))] == [line]


def test_every_breach_is_found_in_one_pass() -> None:
    doc = with_value(["patient", "mrn"], "A\x00")
    doc["visit"]["plan"] = "\x1b[2J"
    assert [p.field for p in limit_problems(doc)] == ["patient.mrn", "visit.plan"]


def test_a_document_that_is_one_long_list_is_named_as_the_document() -> None:
    assert [str(p) for p in limit_problems([0] * 101)] == [
        "document: has 101 items; at most 100 are allowed"
    ]


def test_the_form_is_held_to_the_same_limits(sample_patient, sample_visit) -> None:
    """What the window saves must import again: validation applies the limits."""
    from sijoint_exam.domain.validation import validate_patient, validate_visit

    today = sample_visit().date
    patient = sample_patient(family_name="\u202eKim", mrn="M" * 41)
    assert [str(p) for p in validate_patient(patient, today)] == [
        "patient.mrn: is longer than 40 characters",
        "patient.family_name: character 1 is a bidirectional control character "
        "(U+202E RIGHT-TO-LEFT OVERRIDE), refused in identifiers and names",
    ]
    visit = sample_visit(plan="Review\x0bin two weeks")
    assert [str(p) for p in validate_visit(visit, sample_patient(), today)] == [
        "visit.plan: character 7 is a control character (U+000B), refused in free text"
    ]
    assert validate_visit(sample_visit(plan="Two lines\nand a\ttab"), None, today) == []
