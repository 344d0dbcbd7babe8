"""validate_visit on the model, as the form calls it (clinical-rules.md §7)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import replace

import pytest

from sijoint_exam.domain.alignment import (
    Alignment,
    Landmark,
    Pattern,
    PatternFinding,
    Position,
    Sided,
)
from sijoint_exam.domain.block import Block, BlockSide, Reading
from sijoint_exam.domain.catalogue import Agent, PainSide, Result, Side
from sijoint_exam.domain.outcomes import Answer, Aslr, Odi, Pain
from sijoint_exam.domain.validation import validate_visit
from sijoint_exam.domain.visit import History, ProvocationFinding, Scoring

TODAY = dt.date(2026, 11, 22)


def block(**overrides):
    base = Block(
        date=dt.date(2026, 10, 2),
        number=1,
        side=BlockSide.LEFT,
        agent=Agent.LIDOCAINE,
        pre=7,
        readings=(Reading(30, 1),),
    )
    return replace(base, **overrides)


def lines(visit, patient=None):
    return [str(p) for p in validate_visit(visit, patient, TODAY)]


def test_the_sample_visit_is_valid(sample_visit, sample_patient):
    assert lines(sample_visit(), sample_patient()) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"pain": Pain(now=11)}, "visit.pain.now: 11 is outside 0–10"),
        (
            {"history": History(conservative_care_weeks=521)},
            "visit.history.conservative_care_weeks: 521 is outside 0–520",
        ),
        (
            {"history": History(conservative_care_weeks=-1)},
            "visit.history.conservative_care_weeks: -1 is outside 0–520",
        ),
        ({"pain": Pain(best_24h=-1)}, "visit.pain.best_24h: -1 is outside 0–10"),
        (
            {"pain": Pain(worst_24h=7.5)},
            "visit.pain.worst_24h: 7.5 is not an integer (0–10)",
        ),
        ({"pain": Pain(now=True)}, "visit.pain.now: True is not an integer (0–10)"),
        ({"aslr": Aslr(left=6)}, "visit.aslr.left: 6 is outside 0–5"),
        ({"aslr": Aslr(right=-1)}, "visit.aslr.right: -1 is outside 0–5"),
        (
            {"odi": Odi(answers=(0,) * 9 + (6,))},
            "visit.odi.answers[9]: 6 is outside 0–5",
        ),
        (
            {"blocks": (block(pre=0),)},
            "visit.blocks[0].pre: 0 is refused: relief cannot be computed (1–10)",
        ),
        (
            {"blocks": (block(relief_hours=math.nan),)},
            "visit.blocks[0].relief_hours: nan is not a number of hours ≥ 0",
        ),
        (
            {"blocks": (block(readings=(Reading(-5, 1),)),)},
            "visit.blocks[0].readings[0].minutes: -5 is not a whole number ≥ 0",
        ),
        (
            {"blocks": (block(date=dt.date(2026, 11, 24)),)},
            "visit.blocks[0].date: 2026-11-24 is more than 1 day in the future",
        ),
        (
            {"scoring": Scoring(pretest_probability=math.nan)},
            "visit.scoring.pretest_probability: nan is outside 0.01–0.99",
        ),
        (
            {"scoring": Scoring(pretest_probability=0.005)},
            "visit.scoring.pretest_probability: 0.005 is outside 0.01–0.99",
        ),
        (
            {"history": History(onset=dt.date(2026, 12, 1))},
            "visit.history.onset: 2026-12-01 is after the visit date 2026-11-20",
        ),
        (
            {"red_flags": {"headache": Answer.YES}},
            "visit.red_flags.headache: unknown red flag (allowed: bladder, "
            "saddle_anaesthesia, bowel, sexual, progressive_weakness, fever, "
            "cancer_history, weight_loss, trauma, osteoporosis_steroids, "
            "inflammatory_back_pain, pregnancy_postpartum)",
        ),
        (
            {
                "alignment": Alignment(
                    landmarks={Landmark.ILA: Sided(left=Position.HIGHER)}
                )
            },
            "visit.alignment.landmarks.ila.left: 'higher' is not one of posterior, "
            "anterior, level",
        ),
        (
            {
                "alignment": Alignment(
                    patterns=(
                        PatternFinding(Pattern.UPSLIP, Side.LEFT),
                        PatternFinding(Pattern.UPSLIP, Side.LEFT),
                    )
                )
            },
            "visit.alignment.patterns[1]: upslip is listed twice",
        ),
    ],
)
def test_each_rule_names_its_field_and_range(sample_visit, overrides, expected):
    assert lines(sample_visit(**overrides)) == [expected]


@pytest.mark.parametrize(
    ("test_id", "finding", "field"),
    [
        ("thigh_thrust", ProvocationFinding(result=Result.POSITIVE), "result"),
        ("faber", ProvocationFinding(pain_side=PainSide.LEFT), "pain_side"),
        ("distraction", ProvocationFinding(left=Result.POSITIVE), "left"),
        ("sacral_thrust", ProvocationFinding(lying_side=Side.LEFT), "lying_side"),
    ],
)
def test_a_finding_the_file_could_not_keep_is_refused(
    sample_visit, test_id, finding, field
):
    visit = sample_visit(provocation={test_id: finding})
    assert [p.field for p in validate_visit(visit, None, TODAY)] == [
        f"visit.provocation.{test_id}.{field}"
    ]


def test_an_unknown_test_is_refused(sample_visit):
    visit = sample_visit(
        provocation={"stork": ProvocationFinding(result=Result.POSITIVE)}
    )
    (line,) = lines(visit)
    assert line.startswith("visit.provocation.stork: unknown test (allowed: ")


def test_block_before_birth_needs_the_patient(sample_visit, sample_patient):
    visit = sample_visit(blocks=(block(date=dt.date(1970, 1, 1)),))
    assert lines(visit) == []
    assert lines(visit, sample_patient()) == [
        "visit.blocks[0].date: 1970-01-01 is before the date of birth 1978-03-14"
    ]


def test_everything_at_once(sample_visit):
    visit = sample_visit(
        pain=Pain(now=11, worst_24h=12),
        aslr=Aslr(6, 6),
        blocks=(block(pre=0, number=3),),
    )
    assert [p.field for p in validate_visit(visit, None, TODAY)] == [
        "visit.pain.now",
        "visit.pain.worst_24h",
        "visit.blocks[0].number",
        "visit.blocks[0].pre",
        "visit.aslr.left",
        "visit.aslr.right",
    ]
