"""parse_document: the visit file read strictly, every problem named by its path."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sijoint_exam.domain.alignment import Pattern, PatternFinding
from sijoint_exam.domain.block import BlockSide
from sijoint_exam.domain.catalogue import Agent, Result, Side
from sijoint_exam.domain.outcomes import Answer
from sijoint_exam.domain.score import score_to_json, score_to_text, score_visit
from sijoint_exam.domain.validation import Problem
from sijoint_exam.domain.visit import Urgency
from sijoint_exam.domain.visit_file import (
    canonical_json,
    document,
    parse_document,
    patient_from_dict,
    visit_from_dict,
)

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 22)


def sample() -> dict:
    return json.loads((DATA / "sample-visit.json").read_text(encoding="utf-8"))


def problems_of(doc: object) -> list[str]:
    result = parse_document(doc, TODAY)
    assert isinstance(result, list), "expected problems"
    assert result, "a refusal names at least one problem"
    return [str(p) for p in result]


def fields_of(doc: object) -> list[str]:
    result = parse_document(doc, TODAY)
    assert isinstance(result, list)
    return [p.field for p in result]


def edited(path: str, value: object) -> dict:
    """The sample with one value replaced (`visit.pain.now`, `visit.blocks.0.pre`)."""
    doc = sample()
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return doc


def test_the_two_sample_copies_are_the_same():
    assert (ROOT / "resources" / "sample-visit.json").read_bytes() == (
        DATA / "sample-visit.json"
    ).read_bytes()


def test_the_sample_is_read_whole():
    patient, visit = parse_document(sample(), TODAY)
    assert patient.display_name == "Kim, Sungae"
    assert visit.history.onset == dt.date(2026, 6, 1)
    assert visit.history.anticoagulation is False
    assert visit.referral.urgency is Urgency.ROUTINE
    assert visit.referral.copies == ("GP", "patient")
    assert (visit.pain.now, visit.pain.best_24h, visit.pain.worst_24h) == (6, 3, 8)
    assert visit.red_flag("trauma") is Answer.YES
    assert visit.red_flag("sexual") is Answer.NOT_ASKED
    assert visit.finding("thigh_thrust").left is Result.POSITIVE
    assert visit.finding("compression").lying_side is Side.RIGHT
    assert visit.alignment.patterns == (PatternFinding(Pattern.UPSLIP, Side.LEFT),)
    (block,) = visit.blocks
    assert (block.agent, block.side, block.pre) == (Agent.LIDOCAINE, BlockSide.LEFT, 7)
    assert [r.patient_percent for r in block.readings] == [90, None]
    assert visit.odi.answers[7] is None
    assert (visit.aslr.left, visit.aslr.right) == (2, 0)


def test_the_sample_round_trips_to_the_same_file():
    # Only the explicit `"sacral_thrust": {"result": "not_tested"}` goes: an
    # omitted test is not tested, so the canonical file leaves it out.
    patient, visit = parse_document(sample(), TODAY)
    expected = sample()
    del expected["visit"]["provocation"]["sacral_thrust"]
    out = document(patient, visit)
    assert out == expected
    assert list(out["visit"]) == list(expected["visit"])  # canonical key order
    again = parse_document(json.loads(canonical_json(out)), TODAY)
    assert again == (patient, visit)
    assert canonical_json(document(*again)) == canonical_json(out)


def test_only_patient_and_visit_date_are_needed():
    doc = {
        "format": "sijoint-exam/visit",
        "version": 1,
        "patient": {"mrn": "B-7", "family_name": "Lee", "date_of_birth": "1990-01-02"},
        "visit": {"date": "2026-11-20"},
    }
    patient, visit = parse_document(doc, TODAY)
    assert visit.blocks == () and visit.odi.is_empty and visit.red_flags == {}
    assert document(patient, visit)["visit"] == {
        "date": "2026-11-20",
        "clinician": "",
        "symptomatic_side": "unknown",
        "chief_complaint": "",
        "centralised": None,
        "provocation": {},
        "scoring": {
            "rule": "vanderwurff_2006",
            "pretest_probability": 0.2,
            "block_threshold_percent": 75,
        },
        "assessment": "",
        "plan": "",
    }


def test_null_means_omitted():
    doc = edited("visit.pain.now", None)
    doc["visit"]["history"]["onset"] = None
    _, visit = parse_document(doc, TODAY)
    assert visit.pain.now is None and visit.history.onset is None


# ---------------------------------------------------------------------------
# Every bad value is named with its path and the allowed range.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "line"),
    [
        ("visit.pain.now", 11, "visit.pain.now: 11 is outside 0–10"),
        ("visit.pain.worst_24h", -1, "visit.pain.worst_24h: -1 is outside 0–10"),
        ("visit.pain.now", 6.5, "visit.pain.now: 6.5 is not an integer (0–10)"),
        ("visit.pain.now", "6", 'visit.pain.now: "6" is not an integer (0–10)'),
        ("visit.pain.now", True, "visit.pain.now: true is not an integer (0–10)"),
        (
            "visit.blocks.0.pre",
            0,
            "visit.blocks[0].pre: 0 is refused: relief cannot be computed (1–10)",
        ),
        ("visit.blocks.0.pre", 11, "visit.blocks[0].pre: 11 is outside 1–10"),
        (
            "visit.blocks.0.readings.1",
            {"minutes": 60, "nrs": 12},
            "visit.blocks[0].readings[1].nrs: 12 is outside 0–10",
        ),
        (
            "visit.blocks.0.readings.0",
            {"minutes": 30, "nrs": 1, "patient_percent": 101},
            "visit.blocks[0].readings[0].patient_percent: 101 is outside 0–100",
        ),
        ("visit.blocks.0.number", 3, "visit.blocks[0].number: 3 is not 1 or 2"),
        (
            "visit.blocks.0.agent",
            "mepivacaine",
            'visit.blocks[0].agent: "mepivacaine" is not one of lidocaine, '
            "bupivacaine, ropivacaine, other",
        ),
        (
            "visit.blocks.0.relief_hours",
            -1,
            "visit.blocks[0].relief_hours: -1 is not a number of hours ≥ 0",
        ),
        ("visit.odi.answers.0", 6, "visit.odi.answers[0]: 6 is outside 0–5"),
        (
            "visit.odi.answers",
            [1, 2, 3],
            "visit.odi.answers: has 3 answers; the ODI has 10 sections "
            "(null for one not answered)",
        ),
        (
            "visit.odi.version",
            "3.0",
            "visit.odi.version: '3.0' is not one of 1.0, 2.0, 2.1a, 2.1b, modified",
        ),
        ("visit.aslr.left", 6, "visit.aslr.left: 6 is outside 0–5"),
        (
            "visit.scoring.block_threshold_percent",
            70,
            "visit.scoring.block_threshold_percent: 70 is not one of "
            "50, 75, 80, 90, 100",
        ),
        (
            "visit.scoring.pretest_probability",
            1.0,
            "visit.scoring.pretest_probability: 1.0 is outside 0.01–0.99",
        ),
        (
            "visit.scoring.rule",
            "laslett",
            "visit.scoring.rule: 'laslett' is not a rule set (allowed: "
            "vanderwurff_2006, laslett_2005_six, laslett_2005_four, cms_lcd_2023)",
        ),
        (
            "visit.symptomatic_side",
            "both",
            'visit.symptomatic_side: "both" is not one of left, right, bilateral, '
            "unknown",
        ),
        (
            "visit.provocation.thigh_thrust.left",
            "yes",
            'visit.provocation.thigh_thrust.left: "yes" is not one of positive, '
            "positive_other, negative, not_tested, unable",
        ),
        (
            "visit.red_flags.bladder",
            "maybe",
            'visit.red_flags.bladder: "maybe" is not one of yes, no, not_asked',
        ),
        (
            "visit.alignment.patterns.0",
            {"pattern": "twist", "side": "left"},
            'visit.alignment.patterns[0].pattern: "twist" is not one of '
            "anterior_rotation, posterior_rotation, upslip, downslip, inflare, "
            "outflare, pubic_superior_shear, pubic_inferior_shear, "
            "bilateral_flexion, bilateral_extension, unilateral_flexion, "
            "unilateral_extension, left_on_left, right_on_right, right_on_left, "
            "left_on_right",
        ),
        (
            "visit.alignment.patterns.0",
            {"pattern": "upslip"},
            "visit.alignment.patterns[0].side: upslip needs left or right",
        ),
        (
            "visit.alignment.patterns.0",
            {"pattern": "left_on_left", "side": "left"},
            "visit.alignment.patterns[0].side: left_on_left takes no side",
        ),
        (
            "visit.alignment.landmarks.asis",
            {"left": "deep"},
            "visit.alignment.landmarks.asis.left: 'deep' is not one of higher, "
            "lower, level",
        ),
        (
            "visit.date",
            "2026-11-24",
            "visit.date: 2026-11-24 is more than 1 day in the future",
        ),
        (
            "visit.date",
            "20/11/2026",
            'visit.date: "20/11/2026" is not a date (YYYY-MM-DD)',
        ),
        (
            "visit.date",
            "2026-02-30",
            'visit.date: "2026-02-30" is not a date (YYYY-MM-DD)',
        ),
        ("visit.date", "20261120", 'visit.date: "20261120" is not a date (YYYY-MM-DD)'),
        (
            "patient.date_of_birth",
            "1906-11-21",
            "patient.date_of_birth: 1906-11-21 is more than 120 years ago",
        ),
        ("patient.mrn", "  ", "patient.mrn: is required"),
        ("patient.family_name", 7, "patient.family_name: 7 is not text"),
        (
            "patient.sex",
            "f",
            'patient.sex: "f" is not one of female, male, other, unknown',
        ),
        (
            "visit.history.onset",
            "2026-12-01",
            "visit.history.onset: 2026-12-01 is after the visit date 2026-11-20",
        ),
        (
            "visit.pain.regions",
            ["left_foot", "left_foot"],
            'visit.pain.regions[1]: "left_foot" is listed twice',
        ),
    ],
)
def test_one_bad_value_one_line(path, value, line):
    assert problems_of(edited(path, value)) == [line]


def test_a_visit_before_birth():
    doc = edited("visit.date", "1978-03-13")
    del doc["visit"]["history"]
    assert problems_of(doc) == [
        "visit.date: 1978-03-13 is before the date of birth 1978-03-14"
    ]


def test_a_date_of_birth_in_the_future_is_after_every_date_of_the_visit():
    assert problems_of(edited("patient.date_of_birth", "2026-11-23")) == [
        "patient.date_of_birth: 2026-11-23 is in the future (today 2026-11-22)",
        "visit.date: 2026-11-20 is before the date of birth 2026-11-23",
        "visit.history.onset: 2026-06-01 is before the date of birth 2026-11-23",
        "visit.blocks[0].date: 2026-10-02 is before the date of birth 2026-11-23",
    ]


def test_an_unknown_region_names_the_chart():
    (line,) = problems_of(edited("visit.pain.regions", ["left_toe"]))
    assert line.startswith("visit.pain.regions: 'left_toe' is not a body-chart region")
    assert "left_foot" in line and "midline_sacrum" in line


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("visit", "pian"),
        ("visit.pain", "later"),
        ("visit.blocks.0", "dose"),
        ("visit.blocks.0.readings.0", "at"),
        ("visit.alignment.screening", "stork"),
        ("visit.odi", "score"),
        ("patient", "middle_name"),
        ("visit.red_flags", "headache"),
    ],
)
def test_unknown_keys_are_errors_naming_the_path(path, key):
    doc = sample()
    node = doc
    for part in path.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[key] = 1
    (line,) = problems_of(doc)
    assert line.startswith(f"{path.replace('.0', '[0]')}.{key}: unknown ")
    assert "(allowed: " in line


def test_an_unknown_test_is_named():
    (line,) = problems_of(edited("visit.provocation.stork", {"result": "positive"}))
    assert line.startswith(
        "visit.provocation.stork: unknown test (allowed: distraction"
    )


@pytest.mark.parametrize(
    ("test_id", "key"),
    [
        ("thigh_thrust", "result"),
        ("distraction", "left"),
        ("faber", "pain_side"),
        ("distraction", "lying_side"),
    ],
)
def test_keys_that_do_not_fit_the_test_are_unknown(test_id, key):
    doc = sample()
    doc["visit"]["provocation"][test_id][key] = "left"
    assert fields_of(doc) == [f"visit.provocation.{test_id}.{key}"]


@pytest.mark.parametrize(
    ("doc", "line"),
    [
        ([], "document: [] is not a JSON object"),
        ("visit", 'document: "visit" is not a JSON object'),
        (None, "document: null is not a JSON object"),
        (
            {"format": "other", "version": 1, "patient": {}, "visit": {}},
            "format: \"other\" is not 'sijoint-exam/visit': "
            "not a sijoint-exam visit file",
        ),
        (
            {"format": "sijoint-exam/visit", "version": 2, "patient": {}, "visit": {}},
            "version: 2 is not supported (this program reads version 1)",
        ),
        (
            {
                "format": "sijoint-exam/visit",
                "version": "1",
                "patient": {},
                "visit": {},
            },
            'version: "1" is not supported (this program reads version 1)',
        ),
    ],
)
def test_not_a_visit_file(doc, line):
    assert problems_of(doc) == [line]


def test_missing_sections_are_named():
    assert fields_of({"format": "sijoint-exam/visit", "version": 1}) == [
        "patient",
        "visit",
    ]
    doc = sample()
    del doc["visit"]["date"]
    del doc["patient"]["mrn"]
    assert sorted(fields_of(doc)) == ["patient.mrn", "visit.date"]


def test_every_problem_at_once():
    doc = edited("visit.pain.now", 11)
    doc["visit"]["blocks"][0]["pre"] = 0
    doc["visit"]["odi"]["answers"][0] = "3"
    doc["visit"]["aslr"]["extra"] = 1
    doc["patient"]["date_of_birth"] = "2027-01-01"
    assert sorted(fields_of(doc)) == sorted(
        [
            "visit.odi.answers[0]",
            "visit.aslr.extra",
            "patient.date_of_birth",
            "visit.date",  # before the date of birth
            "visit.history.onset",  # before the date of birth
            "visit.blocks[0].date",  # before the date of birth
            "visit.pain.now",
            "visit.blocks[0].pre",
        ]
    )


def test_a_bad_value_is_reported_once_not_again_by_the_rules():
    # The unreadable date of birth is not also "before the visit", etc.
    assert problems_of(edited("patient.date_of_birth", "soon")) == [
        'patient.date_of_birth: "soon" is not a date (YYYY-MM-DD)'
    ]
    assert problems_of(edited("visit.date", 5)) == [
        "visit.date: 5 is not a date (YYYY-MM-DD)"
    ]


def test_a_wrong_type_for_a_section_is_named():
    assert problems_of(edited("visit.blocks", {"pre": 7})) == [
        'visit.blocks: {"pre": 7} is not a list'
    ]
    assert problems_of(edited("visit.odi", [1, 2])) == [
        "visit.odi: [1, 2] is not an object"
    ]


def test_from_dict_is_strict_too():
    with pytest.raises(ValueError, match="visit.pian: unknown key"):
        visit_from_dict({"date": "2026-11-20", "pian": 1})
    with pytest.raises(ValueError, match="patient.mrn: is required"):
        patient_from_dict({"family_name": "Lee", "date_of_birth": "1990-01-02"})


def test_problem_text():
    assert str(Problem("visit.pain.now", "11 is outside 0–10")) == (
        "visit.pain.now: 11 is outside 0–10"
    )


# ---------------------------------------------------------------------------
# Property: any JSON value gives a Visit or problems, never an exception.
# ---------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)

SAMPLE = sample()
VISIT_PATHS = [
    "visit",
    "visit.date",
    "visit.pain",
    "visit.pain.now",
    "visit.pain.regions",
    "visit.red_flags",
    "visit.provocation",
    "visit.provocation.thigh_thrust",
    "visit.scoring",
    "visit.scoring.pretest_probability",
    "visit.alignment",
    "visit.alignment.patterns",
    "visit.alignment.landmarks",
    "visit.alignment.screening",
    "visit.alignment.screening.gillet",
    "visit.blocks",
    "visit.blocks.0",
    "visit.blocks.0.readings",
    "visit.blocks.0.relief_hours",
    "visit.odi",
    "visit.odi.answers",
    "visit.aslr",
    "visit.history",
    "visit.referral",
    "visit.referral.copies",
    "patient",
    "patient.date_of_birth",
    "version",
]


def _check(result: object) -> None:
    if isinstance(result, list):
        assert result and all(isinstance(p, Problem) for p in result)
        assert all(p.field and p.message for p in result)
    else:
        patient, visit = result  # type: ignore[misc]
        # A value that was accepted must write out and read back the same.
        again = parse_document(
            json.loads(canonical_json(document(patient, visit))), TODAY
        )
        assert again == (patient, visit)
        # And it can be scored.
        score = score_visit(visit)
        json.dumps(score_to_json(score))
        assert score_to_text(score, patient)


@settings(max_examples=300, deadline=None)
@given(value=json_values)
def test_any_json_value_never_raises(value):
    _check(parse_document(value, TODAY))


@settings(max_examples=600, deadline=None)
@given(path=st.sampled_from(VISIT_PATHS), value=json_values)
def test_any_json_value_in_any_place_never_raises(path, value):
    _check(parse_document(edited(path, value), TODAY))


@settings(max_examples=200, deadline=None)
@given(
    path=st.sampled_from(VISIT_PATHS),
    key=st.text(max_size=10),
    value=json_values,
)
def test_any_key_added_anywhere_never_raises(path, key, value):
    doc = copy.deepcopy(SAMPLE)
    node = doc
    for part in path.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, dict):
        node[key] = value
    _check(parse_document(doc, TODAY))


def test_a_value_nested_too_deep_to_print_is_still_named():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    assert problems_of(edited("visit.pain", deep)) == [
        "visit.pain: a list is not an object"
    ]
