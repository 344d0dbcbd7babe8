"""Block agent windows as a setting stored with the visit (issue 5).

The visit file carries them as the optional `scoring.agent_window_hours`, written
only when they differ from the defaults; the score, the note and the letter read
each visit with its own windows.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from sijoint_exam.domain.block import AgentWindows, Block, BlockSide, Guidance, Reading
from sijoint_exam.domain.catalogue import Agent
from sijoint_exam.domain.note import Table, Text, build_note, build_referral
from sijoint_exam.domain.score import score_to_json, score_to_text, score_visit
from sijoint_exam.domain.validation import validate_visit
from sijoint_exam.domain.visit import Scoring
from sijoint_exam.domain.visit_file import (
    canonical_json,
    document,
    parse_document,
    visit_from_dict,
    visit_to_dict,
)
from tests.domain.test_schema import SCHEMA, errors

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = json.loads((ROOT / "resources" / "sample-visit.json").read_text("utf-8"))
TODAY = dt.date(2026, 11, 22)
DEFAULT_SCORING = {
    "rule": "vanderwurff_2006",
    "pretest_probability": 0.2,
    "block_threshold_percent": 75,
}
# Lidocaine, pre 8: 30 min NRS 4 → 50% relief; 180 min NRS 1 → 88% (87.5 half-up).
LATE_RELIEF = Block(
    date=dt.date(2026, 10, 2),
    number=1,
    side=BlockSide.LEFT,
    agent=Agent.LIDOCAINE,
    pre=8,
    readings=(Reading(30, 4), Reading(180, 1)),
    guidance=Guidance.FLUOROSCOPY,
)


def sample_with(windows: object) -> dict:
    """The sample visit file with `scoring.agent_window_hours` set to `windows`."""
    doc = copy.deepcopy(SAMPLE)
    doc["visit"]["scoring"]["agent_window_hours"] = windows
    return doc


def problems_of(doc: dict) -> list[str]:
    result = parse_document(doc, TODAY)
    assert isinstance(result, list), "expected problems"
    return [str(p) for p in result]


# ---------------------------------------------------------------------------
# The writer: the key only when the windows are not the defaults.
# ---------------------------------------------------------------------------


def test_default_windows_are_not_written(sample_visit):
    assert visit_to_dict(sample_visit())["scoring"] == DEFAULT_SCORING
    explicit = sample_visit(scoring=Scoring(agent_window_hours=AgentWindows(2, 8, 8)))
    assert visit_to_dict(explicit)["scoring"] == DEFAULT_SCORING


def test_the_sample_file_is_unchanged_by_the_setting():
    patient, visit = parse_document(copy.deepcopy(SAMPLE), TODAY)
    assert "agent_window_hours" not in document(patient, visit)["visit"]["scoring"]


@pytest.mark.parametrize(
    ("windows", "written"),
    [
        (
            AgentWindows(lidocaine=3),
            {"lidocaine": 3, "bupivacaine": 8, "ropivacaine": 8},
        ),
        (
            AgentWindows(bupivacaine=6, ropivacaine=12),
            {"lidocaine": 2, "bupivacaine": 6, "ropivacaine": 12},
        ),
    ],
)
def test_changed_windows_are_written_in_full(sample_visit, windows, written):
    visit = sample_visit(scoring=Scoring(agent_window_hours=windows))
    scoring = visit_to_dict(visit)["scoring"]
    assert scoring == {**DEFAULT_SCORING, "agent_window_hours": written}
    assert list(scoring)[-1] == "agent_window_hours"  # canonical order: last
    assert visit_from_dict(json.loads(canonical_json(visit_to_dict(visit)))) == visit


# ---------------------------------------------------------------------------
# The reader: accepts the key, agents optional inside it.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("windows", "expected"),
    [
        ({"lidocaine": 3}, AgentWindows(lidocaine=3)),
        ({"bupivacaine": 6}, AgentWindows(bupivacaine=6)),
        ({"lidocaine": 1, "ropivacaine": 24}, AgentWindows(1, 8, 24)),
        ({"lidocaine": 2, "bupivacaine": 8, "ropivacaine": 8}, AgentWindows()),
        ({}, AgentWindows()),
        ({"lidocaine": None}, AgentWindows()),  # null means omitted
        (None, AgentWindows()),
    ],
)
def test_the_reader_accepts_the_windows(windows, expected):
    _, visit = parse_document(sample_with(windows), TODAY)
    assert visit.scoring.agent_window_hours == expected
    assert visit.scoring.block_threshold_percent == 75  # the rest as before


def test_file_to_visit_to_file_keeps_the_windows():
    doc = sample_with({"lidocaine": 3, "bupivacaine": 6, "ropivacaine": 12})
    patient, visit = parse_document(doc, TODAY)
    assert visit.scoring.agent_window_hours == AgentWindows(3, 6, 12)
    expected = copy.deepcopy(doc)
    del expected["visit"]["provocation"]["sacral_thrust"]  # not_tested: left out
    out = document(patient, visit)
    assert out == expected
    assert parse_document(json.loads(canonical_json(out)), TODAY) == (patient, visit)


def test_a_partial_file_is_written_back_in_full():
    patient, visit = parse_document(sample_with({"lidocaine": 4}), TODAY)
    assert document(patient, visit)["visit"]["scoring"]["agent_window_hours"] == {
        "lidocaine": 4,
        "bupivacaine": 8,
        "ropivacaine": 8,
    }


ALLOWED = "(allowed: lidocaine, bupivacaine, ropivacaine)"
WINDOWS = "visit.scoring.agent_window_hours"


@pytest.mark.parametrize(
    ("windows", "line"),
    [
        ({"lidocaine": 30}, f"{WINDOWS}.lidocaine: 30 is outside 1–24"),
        ({"lidocaine": 0}, f"{WINDOWS}.lidocaine: 0 is outside 1–24"),
        ({"ropivacaine": -8}, f"{WINDOWS}.ropivacaine: -8 is outside 1–24"),
        (
            {"bupivacaine": 2.5},
            f"{WINDOWS}.bupivacaine: 2.5 is not an integer (whole hours 1–24)",
        ),
        (
            {"lidocaine": "2"},
            f'{WINDOWS}.lidocaine: "2" is not an integer (whole hours 1–24)',
        ),
        (
            {"lidocaine": True},
            f"{WINDOWS}.lidocaine: true is not an integer (whole hours 1–24)",
        ),
        ({"mepivacaine": 3}, f"{WINDOWS}.mepivacaine: unknown agent {ALLOWED}"),
        (
            {"other": 4},
            f"{WINDOWS}.other: has no window: every reading counts for other "
            f"agents {ALLOWED}",
        ),
        (3, f"{WINDOWS}: 3 is not an object"),
        ([2, 8, 8], f"{WINDOWS}: [2, 8, 8] is not an object"),
    ],
)
def test_the_reader_refuses_bad_windows_one_line_each(windows, line):
    assert problems_of(sample_with(windows)) == [line]
    assert errors(SCHEMA, sample_with(windows)), "the schema accepts it"


@pytest.mark.parametrize(
    "windows",
    [{"lidocaine": 3}, {"lidocaine": 1, "bupivacaine": 24, "ropivacaine": 8}, None],
)
def test_the_schema_accepts_what_the_reader_accepts(windows):
    assert errors(SCHEMA, sample_with(windows)) == []
    assert not isinstance(parse_document(sample_with(windows), TODAY), list)


def test_the_schema_lists_the_windowed_agents():
    scoring = SCHEMA["$defs"]["scoring"]["properties"]["agent_window_hours"]
    properties = scoring["anyOf"][0]["properties"]
    assert list(properties) == [a.value for a in AgentWindows().by_agent()]
    assert properties["lidocaine"]["anyOf"][0] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 24,
    }


def test_an_unknown_scoring_key_still_names_the_new_one():
    doc = copy.deepcopy(SAMPLE)
    doc["visit"]["scoring"]["agent_windows"] = {"lidocaine": 3}
    assert problems_of(doc) == [
        "visit.scoring.agent_windows: unknown key (allowed: rule, "
        "pretest_probability, block_threshold_percent, agent_window_hours)"
    ]


def test_every_bad_window_at_once():
    doc = sample_with({"lidocaine": 25, "bupivacaine": 0, "other": 1})
    assert problems_of(doc) == [
        f"{WINDOWS}.other: has no window: every reading counts for other "
        f"agents {ALLOWED}",
        f"{WINDOWS}.lidocaine: 25 is outside 1–24",
        f"{WINDOWS}.bupivacaine: 0 is outside 1–24",
    ]


def test_validation_names_the_window_field(sample_visit):
    visit = sample_visit(scoring=Scoring(agent_window_hours=AgentWindows(30, 8, 0)))
    assert [str(p) for p in validate_visit(visit, None, TODAY)] == [
        f"{WINDOWS}.lidocaine: 30 is outside 1–24",
        f"{WINDOWS}.ropivacaine: 0 is outside 1–24",
    ]


# ---------------------------------------------------------------------------
# Score, note and letter read the visit with its own windows.
# ---------------------------------------------------------------------------


def visit_with_late_relief(sample_visit, lidocaine_hours: int):
    windows = AgentWindows(lidocaine=lidocaine_hours)
    return sample_visit(
        scoring=Scoring(agent_window_hours=windows), blocks=(LATE_RELIEF,)
    )


def test_the_score_uses_the_visits_window(sample_visit):
    two = score_visit(visit_with_late_relief(sample_visit, 2))
    three = score_visit(visit_with_late_relief(sample_visit, 3))
    assert score_to_json(two)["blocks"][0] == {
        "number": 1,
        "peak_relief_percent": 50,
        "threshold_percent": 75,
        "result": "negative",
        "cautions": [],
    }
    out = score_to_json(three)
    assert list(out["blocks"][0]) == list(score_to_json(two)["blocks"][0])
    assert (out["blocks"][0]["peak_relief_percent"], out["blocks"][0]["result"]) == (
        88,
        "positive",
    )
    assert "lidocaine: peak 50% relief (within 2 h) — negative" in score_to_text(two)
    assert "lidocaine: peak 88% relief (within 3 h) — positive" in score_to_text(three)


def test_the_note_uses_the_visits_window(sample_patient, sample_visit):
    note = build_note(sample_patient(), visit_with_late_relief(sample_visit, 3))
    section = note.section("Block 1 (screening) — 2026-10-02, left")
    (readings,) = [b for b in section.blocks if isinstance(b, Table)]
    assert [row[-1] for row in readings.rows] == ["Yes", "Yes"]  # both in window
    texts = [b.text for b in section.blocks if isinstance(b, Text)]
    assert "Peak 88% relief within 3 h — positive (threshold 75%)" in texts
    intro = [
        b.text for b in note.section("Diagnostic blocks").blocks if isinstance(b, Text)
    ]
    assert intro[1].startswith(
        "Readings count within the agent's window (lidocaine 3 h, bupivacaine 8 h, "
        "ropivacaine 8 h; other agents: all readings): typical duration of action"
    )


def test_the_note_marks_the_reading_outside_the_default_window(
    sample_patient, sample_visit
):
    note = build_note(sample_patient(), visit_with_late_relief(sample_visit, 2))
    section = note.section("Block 1 (screening) — 2026-10-02, left")
    (readings,) = [b for b in section.blocks if isinstance(b, Table)]
    assert [row[-1] for row in readings.rows] == ["Yes", "No"]


def test_the_letter_uses_the_visits_window(sample_patient, sample_visit):
    visit = visit_with_late_relief(sample_visit, 3)
    letter = build_referral(sample_patient(), visit)
    lines = [
        b.text
        for s in letter.sections
        for b in s.blocks
        if isinstance(b, Text) and "Peak" in b.text
    ]
    assert lines == [
        "Block 1 (screening) — 2026-10-02, left, lidocaine, fluoroscopy: "
        "Peak 88% relief within 3 h — positive (threshold 75%)"
    ]
