"""The cluster tally against clinical-rules.md §2.

Every expected value below was worked out by hand from the rules (items, threshold,
early stopping, tally side, per-side tally) and from the worked post-test table in
Bayes in odds form (Fagan 1975); none is produced by the code under test.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sijoint_exam.domain.catalogue import (
    CENTRALISATION_CAUTION,
    PainSide,
    Result,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.cluster import Decision, ItemState, evaluate
from sijoint_exam.domain.likelihood import post_test_probability, whole_percent
from sijoint_exam.domain.visit import ProvocationFinding, Scoring, Visit

DATE = dt.date(2026, 11, 20)

VDW = "vanderwurff_2006"
L6 = "laslett_2005_six"
L4 = "laslett_2005_four"
CMS = "cms_lcd_2023"
ALL_RULES = (VDW, L6, L4, CMS)

# The items of each rule, in order, as clinical-rules.md §2 lists them.
ITEMS: dict[str, tuple[str, ...]] = {
    VDW: ("distraction", "thigh_thrust", "compression", "faber", "gaenslen"),
    L6: (
        "distraction",
        "thigh_thrust",
        "compression",
        "sacral_thrust",
        "gaenslen.right",
        "gaenslen.left",
    ),
    L4: ("distraction", "thigh_thrust", "compression", "sacral_thrust"),
    CMS: ("faber", "gaenslen", "thigh_thrust", "compression", "distraction", "yeoman"),
}
THRESHOLD = {VDW: 3, L6: 3, L4: 2, CMS: 3}
SHORT_CITATION = {
    VDW: "van der Wurff 2006",
    L6: "Laslett 2005",
    L4: "Laslett 2005",
    CMS: "CMS LCD L39402 et al.",
}
LATERAL = {"thigh_thrust", "faber", "gaenslen", "yeoman"}
NON_LATERAL = ("distraction", "compression", "sacral_thrust")

# One-letter codes for the tables: P positive, O positive_other, N negative,
# T not_tested, X unable; "-" leaves the test out of the visit altogether.
CODE = {
    "P": Result.POSITIVE,
    "O": Result.POSITIVE_OTHER,
    "N": Result.NEGATIVE,
    "T": Result.NOT_TESTED,
    "X": Result.UNABLE,
}
# clinical-rules.md §1/§2: only `positive` counts; positive_other is negative;
# not_tested and unable leave the item untested.
STATE = {
    "P": ItemState.POSITIVE,
    "O": ItemState.NEGATIVE,
    "N": ItemState.NEGATIVE,
    "T": ItemState.UNTESTED,
    "X": ItemState.UNTESTED,
}

POSITIVE_TEXT = "cluster positive — consistent with SIJ pain"
NEGATIVE_TEXT = "cluster negative"
ALL_NEGATIVE_TEXT = "all negative — SIJ unlikely to be the source"


def incomplete(more: int, untested: int) -> str:
    return f"incomplete — {more} more positive needed of {untested} untested"


def build(
    rule_id: str,
    pattern: str,
    side: SymptomaticSide = SymptomaticSide.LEFT,
    **visit_fields,
) -> Visit:
    """A visit whose items of `rule_id` read `pattern` on the tally side.

    For an unsided lateral item under a left or right symptomatic side, the other
    side gets a contrasting result (negative for a positive, else positive), so the
    tables also prove that the tally side is the one read.
    """
    fields: dict[str, dict] = {}
    for key, code in zip(ITEMS[rule_id], pattern.split(), strict=True):
        if code == "-":
            continue
        test_id, _, named_side = key.partition(".")
        result = CODE[code]
        finding = fields.setdefault(test_id, {})
        if test_id not in LATERAL:
            finding["result"] = result
        elif named_side:
            finding[named_side] = result
        else:
            tally = side.value
            other = "right" if tally == "left" else "left"
            finding[tally] = result
            finding[other] = (
                Result.NEGATIVE if result is Result.POSITIVE else Result.POSITIVE
            )
    provocation = {t: ProvocationFinding(**kw) for t, kw in fields.items()}
    scoring = visit_fields.pop("scoring", Scoring(rule=rule_id))
    return Visit(
        date=DATE,
        symptomatic_side=side,
        provocation=provocation,
        scoring=scoring,
        **visit_fields,
    )


# ---------------------------------------------------------------------------
# The decision, with early stopping: every branch, every rule set.
# (rule, pattern, decision, positive, negative, untested, decision text)
# ---------------------------------------------------------------------------

P, N, INC = Decision.POSITIVE, Decision.NEGATIVE, Decision.INCOMPLETE

DECISION_TABLE = [
    # van der Wurff 2006: distraction, thigh thrust, compression, FABER, Gaenslen; ≥3
    (VDW, "P P P N N", P, 3, 2, 0, POSITIVE_TEXT),
    (VDW, "P P P T T", P, 3, 0, 2, POSITIVE_TEXT),  # met with 2 left untested
    (VDW, "P P P - -", P, 3, 0, 2, POSITIVE_TEXT),  # missing tests are not_tested
    (VDW, "X P P P -", P, 3, 0, 2, POSITIVE_TEXT),
    (VDW, "P P P P P", P, 5, 0, 0, POSITIVE_TEXT),
    (VDW, "P P N N N", N, 2, 3, 0, NEGATIVE_TEXT),
    (VDW, "P O O N T", N, 1, 3, 1, NEGATIVE_TEXT),  # 1 + 1 < 3
    (VDW, "N N N X T", N, 0, 3, 2, NEGATIVE_TEXT),  # 0 + 2 < 3
    (VDW, "N N N N N", N, 0, 5, 0, NEGATIVE_TEXT),  # no all-negative statement
    (VDW, "O O O O O", N, 0, 5, 0, NEGATIVE_TEXT),  # other pain never counts
    (VDW, "P P N N T", INC, 2, 2, 1, incomplete(1, 1)),
    (VDW, "P P X - O", INC, 2, 1, 2, incomplete(1, 2)),
    (VDW, "P N N X X", INC, 1, 2, 2, incomplete(2, 2)),
    (VDW, "P - - N N", INC, 1, 2, 2, incomplete(2, 2)),
    (VDW, "N N X T -", INC, 0, 2, 3, incomplete(3, 3)),
    (VDW, "- - - - -", INC, 0, 0, 5, incomplete(3, 5)),
    # Laslett 2005 six: distraction, thigh thrust, compression, sacral thrust,
    # Gaenslen right, Gaenslen left; ≥3
    (L6, "P P P N N N", P, 3, 3, 0, POSITIVE_TEXT),
    (L6, "N N N P P P", P, 3, 3, 0, POSITIVE_TEXT),
    (L6, "P P P T T T", P, 3, 0, 3, POSITIVE_TEXT),
    (L6, "P - - - P P", P, 3, 0, 3, POSITIVE_TEXT),
    (L6, "P P P P P P", P, 6, 0, 0, POSITIVE_TEXT),
    (L6, "P P N N N N", N, 2, 4, 0, NEGATIVE_TEXT),
    (L6, "P N X N N N", N, 1, 4, 1, NEGATIVE_TEXT),
    (L6, "N N N N N N", N, 0, 6, 0, ALL_NEGATIVE_TEXT),
    (L6, "N O N N O N", N, 0, 6, 0, ALL_NEGATIVE_TEXT),
    (L6, "O O O O O O", N, 0, 6, 0, ALL_NEGATIVE_TEXT),
    # five negative and one untested is NOT "all negative"
    (L6, "N N N N N T", N, 0, 5, 1, NEGATIVE_TEXT),
    (L6, "N N N N N X", N, 0, 5, 1, NEGATIVE_TEXT),
    (L6, "N N N N N -", N, 0, 5, 1, NEGATIVE_TEXT),
    (L6, "T N N N N N", N, 0, 5, 1, NEGATIVE_TEXT),
    (L6, "N N N N X X", N, 0, 4, 2, NEGATIVE_TEXT),
    (L6, "P P N N N T", INC, 2, 3, 1, incomplete(1, 1)),
    (L6, "P P X X X X", INC, 2, 0, 4, incomplete(1, 4)),
    (L6, "P N X X N N", INC, 1, 3, 2, incomplete(2, 2)),
    (L6, "N N N X X X", INC, 0, 3, 3, incomplete(3, 3)),
    (L6, "- - - - - -", INC, 0, 0, 6, incomplete(3, 6)),
    # Laslett 2005 four: distraction, thigh thrust, compression, sacral thrust; ≥2
    (L4, "P P N N", P, 2, 2, 0, POSITIVE_TEXT),
    (L4, "P P T T", P, 2, 0, 2, POSITIVE_TEXT),
    (L4, "P P - -", P, 2, 0, 2, POSITIVE_TEXT),
    (L4, "N N P P", P, 2, 2, 0, POSITIVE_TEXT),
    (L4, "P P P P", P, 4, 0, 0, POSITIVE_TEXT),
    (L4, "P N N N", N, 1, 3, 0, NEGATIVE_TEXT),
    (L4, "P O O O", N, 1, 3, 0, NEGATIVE_TEXT),
    (L4, "N N N X", N, 0, 3, 1, NEGATIVE_TEXT),
    (L4, "N N N N", N, 0, 4, 0, NEGATIVE_TEXT),
    (L4, "P T N N", INC, 1, 2, 1, incomplete(1, 1)),
    (L4, "P - X -", INC, 1, 0, 3, incomplete(1, 3)),
    (L4, "N N T X", INC, 0, 2, 2, incomplete(2, 2)),
    (L4, "- - - -", INC, 0, 0, 4, incomplete(2, 4)),
    # CMS LCD 2023: FABER, Gaenslen, thigh thrust, compression, distraction, Yeoman; ≥3
    (CMS, "P P P N N N", P, 3, 3, 0, POSITIVE_TEXT),
    (CMS, "N N N P P P", P, 3, 3, 0, POSITIVE_TEXT),
    (CMS, "P P P T T T", P, 3, 0, 3, POSITIVE_TEXT),
    (CMS, "P P P - - -", P, 3, 0, 3, POSITIVE_TEXT),
    (CMS, "P P P P P P", P, 6, 0, 0, POSITIVE_TEXT),
    (CMS, "P P N N N N", N, 2, 4, 0, NEGATIVE_TEXT),
    (CMS, "P N N N N X", N, 1, 4, 1, NEGATIVE_TEXT),
    (CMS, "N N N N T T", N, 0, 4, 2, NEGATIVE_TEXT),
    (CMS, "N N N N N N", N, 0, 6, 0, NEGATIVE_TEXT),  # no all-negative statement
    (CMS, "P P N N N X", INC, 2, 3, 1, incomplete(1, 1)),
    (CMS, "O O O P P T", INC, 2, 3, 1, incomplete(1, 1)),
    (CMS, "P N N N X T", INC, 1, 3, 2, incomplete(2, 2)),
    (CMS, "- - - - - -", INC, 0, 0, 6, incomplete(3, 6)),
]


@pytest.mark.parametrize(
    "side", [SymptomaticSide.LEFT, SymptomaticSide.RIGHT], ids=["left", "right"]
)
@pytest.mark.parametrize(
    ("rule_id", "pattern", "decision", "positive", "negative", "untested", "text"),
    DECISION_TABLE,
    ids=[f"{row[0]}:{row[1].replace(' ', '')}" for row in DECISION_TABLE],
)
def test_decision_table(
    rule_id, pattern, decision, positive, negative, untested, text, side
):
    result = evaluate(build(rule_id, pattern, side))

    assert result.rule.id == rule_id
    assert result.decision is decision
    assert (result.positive, result.negative, result.untested) == (
        positive,
        negative,
        untested,
    )
    assert result.decision_text == text
    n = len(ITEMS[rule_id])
    assert result.count_text == f"{positive} of {n} positive on the {side}"
    assert result.summary == (
        f"{positive} of {n} positive on the {side} — {text} ({SHORT_CITATION[rule_id]})"
    )
    assert result.more_needed == max(THRESHOLD[rule_id] - positive, 0)
    # The item states, in the rule's order, read the tally side.
    expected_states = [
        ItemState.UNTESTED if code == "-" else STATE[code] for code in pattern.split()
    ]
    assert [key.key for key, _ in result.items] == list(ITEMS[rule_id])
    assert [state for _, state in result.items] == expected_states
    # Support, never a diagnosis.
    for line in (result.decision_text, result.summary, *result.cautions):
        assert "diagnos" not in line.lower()


@pytest.mark.parametrize("rule_id", ALL_RULES)
def test_positive_even_with_items_left_untested_at_exactly_threshold(rule_id):
    t, n = THRESHOLD[rule_id], len(ITEMS[rule_id])
    pattern = " ".join(["P"] * t + ["-"] * (n - t))
    result = evaluate(build(rule_id, pattern))
    assert result.decision is Decision.POSITIVE
    assert result.untested == n - t > 0
    assert result.more_needed == 0


@pytest.mark.parametrize("rule_id", ALL_RULES)
def test_one_short_with_nothing_left_is_negative(rule_id):
    t, n = THRESHOLD[rule_id], len(ITEMS[rule_id])
    pattern = " ".join(["P"] * (t - 1) + ["N"] * (n - t + 1))
    result = evaluate(build(rule_id, pattern))
    assert result.decision is Decision.NEGATIVE
    assert result.decision_text == NEGATIVE_TEXT


def test_an_empty_visit_uses_the_default_rule_and_is_incomplete():
    result = evaluate(Visit(date=DATE))
    assert result.rule.id == VDW
    assert result.decision is Decision.INCOMPLETE
    assert result.untested == 5
    assert result.decision_text == incomplete(3, 5)
    assert result.per_side == {Side.LEFT: 0, Side.RIGHT: 0}


def test_explicit_rule_overrides_the_visits_scoring_rule():
    visit = build(VDW, "P P N N N")  # scored with vdW: 2 of 5, negative
    assert evaluate(visit).decision is Decision.NEGATIVE
    other = evaluate(visit, L4)  # distraction + thigh thrust: 2 of 4, positive
    assert other.rule.id == L4
    assert other.decision is Decision.POSITIVE
    assert other.count_text == "2 of 4 positive on the left"


def test_sample_visit_is_three_of_five_positive(sample_visit):
    result = evaluate(sample_visit())
    assert result.decision is Decision.POSITIVE
    assert result.summary == (
        "3 of 5 positive on the left — cluster positive — consistent with SIJ pain "
        "(van der Wurff 2006)"
    )


# ---------------------------------------------------------------------------
# Sides: the tally side of a lateral item.
# ---------------------------------------------------------------------------

# Symptomatic side bilateral or unknown: each joint is read on its own (§2, revised
# 2026-12-07); a lateral item counts on each side cluster with that side's result.
EITHER_SIDE = [
    (left, right, {"P": "P", "O": "N", "N": "N", "T": "U", "X": "U"})
    for left, right in itertools.product("PONTX", repeat=2)
]
STATE_LETTER = {
    "P": ItemState.POSITIVE,
    "N": ItemState.NEGATIVE,
    "U": ItemState.UNTESTED,
}


def _item_states(visit: Visit, rule_id: str) -> dict[str, ItemState]:
    return {item.key: state for item, state in evaluate(visit, rule_id).items}


@pytest.mark.parametrize(
    "side", [SymptomaticSide.BILATERAL, SymptomaticSide.UNKNOWN], ids=str
)
@pytest.mark.parametrize("test_id", ["thigh_thrust", "faber", "gaenslen", "yeoman"])
@pytest.mark.parametrize(("left", "right", "letter"), EITHER_SIDE)
def test_bilateral_or_unknown_reads_each_joint_on_its_own(
    side, test_id, left, right, letter
):
    rule_id = CMS  # the only rule holding all four lateral tests unsided
    visit = Visit(
        date=DATE,
        symptomatic_side=side,
        provocation={test_id: ProvocationFinding(left=CODE[left], right=CODE[right])},
    )
    sides = evaluate(visit, rule_id).sides
    on_left = {item.key: state for item, state in sides[Side.LEFT].items}
    on_right = {item.key: state for item, state in sides[Side.RIGHT].items}
    assert on_left[test_id] is STATE_LETTER[letter[left]]
    assert on_right[test_id] is STATE_LETTER[letter[right]]


@pytest.mark.parametrize(
    ("side", "picked"),
    [(SymptomaticSide.LEFT, 0), (SymptomaticSide.RIGHT, 1)],
    ids=["left", "right"],
)
@pytest.mark.parametrize(("left", "right"), list(itertools.product(CODE, repeat=2)))
def test_left_or_right_reads_only_that_side(side, picked, left, right):
    visit = Visit(
        date=DATE,
        symptomatic_side=side,
        provocation={
            "thigh_thrust": ProvocationFinding(left=CODE[left], right=CODE[right]),
            "faber": ProvocationFinding(left=CODE[left], right=CODE[right]),
        },
    )
    expected = STATE[(left, right)[picked]]
    states = _item_states(visit, VDW)
    assert states["thigh_thrust"] is expected
    assert states["faber"] is expected


@pytest.mark.parametrize(
    ("side", "left", "right", "expected"),
    [
        # A finding recorded on one side only: the other side is not_tested.
        (SymptomaticSide.LEFT, None, Result.POSITIVE, ItemState.UNTESTED),
        (SymptomaticSide.RIGHT, None, Result.POSITIVE, ItemState.POSITIVE),
        (SymptomaticSide.RIGHT, Result.POSITIVE, None, ItemState.UNTESTED),
        (SymptomaticSide.BILATERAL, None, Result.NEGATIVE, ItemState.UNTESTED),
        # Both joints incomplete with no positive: the left speaks (a tie).
        (SymptomaticSide.UNKNOWN, Result.NEGATIVE, None, ItemState.NEGATIVE),
        (SymptomaticSide.UNKNOWN, None, Result.POSITIVE, ItemState.POSITIVE),
    ],
)
def test_a_side_left_out_is_not_tested(side, left, right, expected):
    kwargs = {k: v for k, v in (("left", left), ("right", right)) if v is not None}
    visit = Visit(
        date=DATE,
        symptomatic_side=side,
        provocation={"thigh_thrust": ProvocationFinding(**kwargs)},
    )
    assert _item_states(visit, VDW)["thigh_thrust"] is expected


def test_missing_tests_are_untested_for_every_rule():
    visit = Visit(date=DATE, symptomatic_side=SymptomaticSide.LEFT)
    for rule_id in ALL_RULES:
        states = _item_states(visit, rule_id)
        assert set(states.values()) == {ItemState.UNTESTED}


def test_non_lateral_positive_counts_only_on_the_side_of_its_pain():
    for side in (SymptomaticSide.RIGHT, SymptomaticSide.BILATERAL):
        visit = Visit(
            date=DATE,
            symptomatic_side=side,
            provocation={
                "distraction": ProvocationFinding(
                    result=Result.POSITIVE, pain_side=PainSide.RIGHT
                ),
                "compression": ProvocationFinding(
                    result=Result.POSITIVE, lying_side=Side.LEFT
                ),
                "sacral_thrust": ProvocationFinding(result=Result.UNABLE),
            },
        )
        states = _item_states(visit, L4)
        assert states["distraction"] is ItemState.POSITIVE
        assert states["compression"] is ItemState.POSITIVE
        assert states["sacral_thrust"] is ItemState.UNTESTED
    # Left-sided symptoms: distraction's familiar pain was felt on the right, so
    # for the left joint it is tested but not positive; compression (pain side not
    # recorded) counts for both.
    visit = Visit(
        date=DATE,
        symptomatic_side=SymptomaticSide.LEFT,
        provocation={
            "distraction": ProvocationFinding(
                result=Result.POSITIVE, pain_side=PainSide.RIGHT
            ),
            "compression": ProvocationFinding(
                result=Result.POSITIVE, lying_side=Side.LEFT
            ),
        },
    )
    states = _item_states(visit, L4)
    assert states["distraction"] is ItemState.NEGATIVE
    assert states["compression"] is ItemState.POSITIVE


def test_a_lateral_finding_on_the_other_side_does_not_count():
    # Left-sided symptoms, thigh thrust and Gaenslen positive on the right only.
    visit = Visit(
        date=DATE,
        symptomatic_side=SymptomaticSide.LEFT,
        provocation={
            "distraction": ProvocationFinding(result=Result.POSITIVE),
            "thigh_thrust": ProvocationFinding(
                left=Result.NEGATIVE, right=Result.POSITIVE
            ),
            "compression": ProvocationFinding(result=Result.POSITIVE),
            "faber": ProvocationFinding(left=Result.NEGATIVE, right=Result.NEGATIVE),
            "gaenslen": ProvocationFinding(left=Result.NEGATIVE, right=Result.POSITIVE),
        },
    )
    result = evaluate(visit, VDW)
    assert result.positive == 2
    assert result.decision is Decision.NEGATIVE
    # The same findings read as bilateral symptoms: 4 of 5.
    bilateral = evaluate(
        Visit(
            date=DATE,
            symptomatic_side=SymptomaticSide.BILATERAL,
            provocation=visit.provocation,
        ),
        VDW,
    )
    assert bilateral.positive == 4
    assert bilateral.decision is Decision.POSITIVE


# ---------------------------------------------------------------------------
# Laslett six: Gaenslen right and left are two independent items.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("side", list(SymptomaticSide), ids=str)
@pytest.mark.parametrize(
    ("left", "right", "state_right", "state_left"),
    [
        ("P", "N", "N", "P"),
        ("N", "P", "P", "N"),
        ("P", "P", "P", "P"),
        ("N", "N", "N", "N"),
        ("T", "P", "P", "U"),
        ("P", "X", "U", "P"),
        ("O", "P", "P", "N"),
    ],
)
def test_laslett_six_gaenslen_sides_are_independent_of_symptomatic_side(
    side, left, right, state_right, state_left
):
    visit = Visit(
        date=DATE,
        symptomatic_side=side,
        provocation={
            "gaenslen": ProvocationFinding(left=CODE[left], right=CODE[right])
        },
    )
    states = _item_states(visit, L6)
    assert states["gaenslen.right"] is STATE_LETTER[state_right]
    assert states["gaenslen.left"] is STATE_LETTER[state_left]


@pytest.mark.parametrize("side", list(SymptomaticSide), ids=str)
def test_gaenslen_on_both_sides_counts_twice_in_laslett_six_only(side):
    visit = Visit(
        date=DATE,
        symptomatic_side=side,
        provocation={
            "distraction": ProvocationFinding(result=Result.POSITIVE),
            "thigh_thrust": ProvocationFinding(
                left=Result.NEGATIVE, right=Result.NEGATIVE
            ),
            "compression": ProvocationFinding(result=Result.NEGATIVE),
            "sacral_thrust": ProvocationFinding(result=Result.NEGATIVE),
            "faber": ProvocationFinding(left=Result.NEGATIVE, right=Result.NEGATIVE),
            "gaenslen": ProvocationFinding(left=Result.POSITIVE, right=Result.POSITIVE),
        },
    )
    six = evaluate(visit, L6)
    assert (six.positive, six.decision) == (3, Decision.POSITIVE)
    five = evaluate(visit, VDW)  # Gaenslen counted once on the tally side
    assert (five.positive, five.decision) == (2, Decision.NEGATIVE)


def test_laslett_six_thigh_thrust_still_reads_the_tally_side():
    visit = Visit(
        date=DATE,
        symptomatic_side=SymptomaticSide.RIGHT,
        provocation={
            "thigh_thrust": ProvocationFinding(
                left=Result.POSITIVE, right=Result.NEGATIVE
            )
        },
    )
    assert _item_states(visit, L6)["thigh_thrust"] is ItemState.NEGATIVE


# ---------------------------------------------------------------------------
# Per-side tally (§2): lateral items positive on S, plus non-lateral items that are
# positive with pain_side S, bilateral or unrecorded.
# ---------------------------------------------------------------------------

F = ProvocationFinding
PER_SIDE_TABLE = [
    # (rule, provocation, left, right)
    pytest.param(
        VDW,
        {
            "distraction": F(result=Result.POSITIVE),
            "thigh_thrust": F(left=Result.POSITIVE, right=Result.NEGATIVE),
            "compression": F(result=Result.NEGATIVE),
            "faber": F(left=Result.POSITIVE_OTHER, right=Result.NEGATIVE),
            "gaenslen": F(left=Result.POSITIVE, right=Result.NOT_TESTED),
        },
        3,
        1,
        id="sample-visit",
    ),
    pytest.param(
        VDW,
        {"distraction": F(result=Result.POSITIVE, pain_side=PainSide.LEFT)},
        1,
        0,
        id="pain-left",
    ),
    pytest.param(
        VDW,
        {"distraction": F(result=Result.POSITIVE, pain_side=PainSide.RIGHT)},
        0,
        1,
        id="pain-right",
    ),
    pytest.param(
        VDW,
        {"distraction": F(result=Result.POSITIVE, pain_side=PainSide.BILATERAL)},
        1,
        1,
        id="pain-bilateral",
    ),
    pytest.param(
        VDW,
        {"distraction": F(result=Result.POSITIVE)},
        1,
        1,
        id="pain-unrecorded",
    ),
    pytest.param(
        VDW,
        {"distraction": F(result=Result.POSITIVE_OTHER, pain_side=PainSide.LEFT)},
        0,
        0,
        id="other-pain-never-counts",
    ),
    pytest.param(
        VDW,
        {"compression": F(result=Result.POSITIVE, lying_side=Side.RIGHT)},
        1,
        1,
        id="lying-side-is-not-pain-side",
    ),
    pytest.param(
        VDW,
        {
            "compression": F(
                result=Result.POSITIVE, pain_side=PainSide.LEFT, lying_side=Side.RIGHT
            )
        },
        1,
        0,
        id="compression-pain-left",
    ),
    pytest.param(
        VDW,
        {"thigh_thrust": F(left=Result.POSITIVE, right=Result.POSITIVE)},
        1,
        1,
        id="lateral-both",
    ),
    pytest.param(
        VDW,
        {"faber": F(left=Result.POSITIVE_OTHER, right=Result.POSITIVE)},
        0,
        1,
        id="faber-groin-left",
    ),
    pytest.param(
        VDW,
        {
            "distraction": F(result=Result.POSITIVE, pain_side=PainSide.LEFT),
            "compression": F(result=Result.POSITIVE, pain_side=PainSide.RIGHT),
            "thigh_thrust": F(left=Result.POSITIVE, right=Result.POSITIVE),
            "faber": F(left=Result.POSITIVE, right=Result.POSITIVE),
            "gaenslen": F(left=Result.POSITIVE, right=Result.POSITIVE),
        },
        4,
        4,
        id="everything",
    ),
    pytest.param(
        VDW,
        {
            "sacral_thrust": F(result=Result.POSITIVE),
            "yeoman": F(left=Result.POSITIVE, right=Result.POSITIVE),
        },
        0,
        0,
        id="tests-outside-the-rule",
    ),
    pytest.param(
        L6,
        {
            "thigh_thrust": F(left=Result.POSITIVE),
            "sacral_thrust": F(result=Result.POSITIVE),
            "gaenslen": F(left=Result.POSITIVE, right=Result.POSITIVE),
        },
        # Gaenslen right and left are items of their own: each counts on both
        # joints' clusters with its named side.
        4,
        3,
        id="laslett-six-gaenslen-per-side",
    ),
    pytest.param(
        L6,
        {"gaenslen": F(left=Result.NEGATIVE, right=Result.POSITIVE)},
        1,
        1,
        id="laslett-six-gaenslen-right",
    ),
    pytest.param(
        L4,
        {
            "distraction": F(result=Result.POSITIVE, pain_side=PainSide.LEFT),
            "thigh_thrust": F(right=Result.POSITIVE),
            "faber": F(left=Result.POSITIVE, right=Result.POSITIVE),
            "gaenslen": F(left=Result.POSITIVE, right=Result.POSITIVE),
        },
        1,
        1,
        id="laslett-four-ignores-faber-gaenslen",
    ),
    pytest.param(
        CMS,
        {
            "yeoman": F(left=Result.POSITIVE),
            "faber": F(right=Result.POSITIVE),
            "distraction": F(result=Result.POSITIVE, pain_side=PainSide.BILATERAL),
            "sacral_thrust": F(result=Result.POSITIVE),
        },
        2,
        2,
        id="cms-yeoman",
    ),
]


@pytest.mark.parametrize("side", list(SymptomaticSide), ids=str)
@pytest.mark.parametrize(("rule_id", "provocation", "left", "right"), PER_SIDE_TABLE)
def test_per_side_tally(rule_id, provocation, left, right, side):
    visit = Visit(date=DATE, symptomatic_side=side, provocation=provocation)
    assert evaluate(visit, rule_id).per_side == {Side.LEFT: left, Side.RIGHT: right}


# ---------------------------------------------------------------------------
# Post-test probability (Bayes in odds form, Fagan 1975), positive → negative.
# ---------------------------------------------------------------------------

LR = {VDW: (4.02, 0.19), L6: (4.27, 0.08), L4: (4.00, 0.15)}
CITATION = {
    VDW: "van der Wurff 2006, Arch Phys Med Rehabil 87:10–14",
    L6: "Laslett 2005, Man Ther 10:207–218",
    L4: "Laslett 2005, Man Ther 10:207–218",
}

# (rule, p, positive %, negative %) — the worked table, as printed.
POST_TEST_TABLE = [
    (L6, 0.13, 39, 1.2),
    (L6, 0.20, 52, 2.0),
    (L6, 0.25, 59, 2.6),
    (L6, 0.30, 65, 3.3),
    (L4, 0.13, 37, 2.2),
    (L4, 0.20, 50, 3.6),
    (L4, 0.25, 57, 4.8),
    (L4, 0.30, 63, 6.0),
    (VDW, 0.13, 38, 2.8),
    (VDW, 0.20, 50, 4.5),
    (VDW, 0.25, 57, 6.0),
    (VDW, 0.30, 63, 7.5),
]


def _all(rule_id: str, code: str, pretest: float) -> Visit:
    pattern = " ".join([code] * len(ITEMS[rule_id]))
    return build(
        rule_id, pattern, scoring=Scoring(rule=rule_id, pretest_probability=pretest)
    )


@pytest.mark.parametrize(("rule_id", "p", "positive_pct", "_"), POST_TEST_TABLE)
def test_post_test_positive_matches_worked_table(rule_id, p, positive_pct, _):
    result = evaluate(_all(rule_id, "P", p))
    assert result.decision is Decision.POSITIVE
    assert result.likelihood_ratio == LR[rule_id][0]
    assert result.pretest_probability == p
    # Shown as a whole percent.
    assert abs(result.post_test_probability * 100 - positive_pct) <= 0.5
    assert whole_percent(result.post_test_probability) == positive_pct
    assert result.post_test_text.startswith(f"Post-test probability {positive_pct}% (")
    assert (
        f"(pretest {round(p * 100)}% (assumed; clinic setting); "
        f"LR+ {LR[rule_id][0]:.2f}; {CITATION[rule_id]}; range: 95% interval"
    ) in result.post_test_text
    inferred = "2×2 table inferred from the published percentages"
    assert (inferred in result.post_test_text) is (rule_id != VDW)


@pytest.mark.parametrize(("rule_id", "p", "_", "negative_pct"), POST_TEST_TABLE)
def test_post_test_negative_matches_worked_table(rule_id, p, _, negative_pct):
    result = evaluate(_all(rule_id, "N", p))
    assert result.decision is Decision.NEGATIVE
    assert result.likelihood_ratio == LR[rule_id][1]
    # The table prints one decimal.
    assert abs(result.post_test_probability * 100 - negative_pct) <= 0.05 + 1e-9
    assert result.post_test_text.startswith("Post-test probability ")
    assert f"LR− {LR[rule_id][1]:.2f}; {CITATION[rule_id]}; " in result.post_test_text


def test_vanderwurff_at_twenty_percent_shows_50_and_5():
    positive = evaluate(_all(VDW, "P", 0.20))
    # 0.2·4.02 / (0.2·4.02 + 0.8) = 0.804 / 1.604 = 0.50125 (to 5 places)
    assert positive.post_test_probability == pytest.approx(0.50125, abs=1e-5)
    # Range from the 2×2 (23/4/7/26), log method: LR+ 2.04–7.90 → 34–66%.
    assert positive.post_test_text == (
        "Post-test probability 50% (34–66%) (pretest 20% (assumed; clinic "
        "setting); LR+ 4.02; van der Wurff 2006, Arch Phys Med Rehabil 87:10–14; "
        "range: 95% interval of the LR, log method, Simel 1991, J Clin Epidemiol "
        "44:763–770)"
    )
    negative = evaluate(_all(VDW, "N", 0.20))
    # 0.2·0.19 / (0.2·0.19 + 0.8) = 0.038 / 0.838 = 0.04535 → 4.5% → shown 5%
    assert negative.post_test_probability == pytest.approx(0.045346, abs=1e-6)
    # LR− 0.19 (0.07–0.47) by the same method → 1.9–10.5% → "2–11%".
    assert negative.post_test_figure == "5% (2–11%)"


@pytest.mark.parametrize("rule_id", ALL_RULES)
def test_incomplete_has_no_post_test_probability(rule_id):
    result = evaluate(_all(rule_id, "T", 0.20))
    assert result.decision is Decision.INCOMPLETE
    assert result.likelihood_ratio is None
    assert result.post_test_probability is None
    assert result.post_test_text is None


@pytest.mark.parametrize("code", ["P", "N", "T"])
def test_cms_has_no_post_test_probability(code):
    result = evaluate(_all(CMS, code, 0.20))
    assert result.likelihood_ratio is None
    assert result.post_test_probability is None
    assert result.post_test_text is None


@pytest.mark.parametrize(
    ("pretest", "ratio", "expected"),
    [
        (0.5, 1.0, 0.5),  # LR 1 changes nothing
        (0.2, 1.0, 0.2),
        (0.5, 4.0, 0.8),  # odds 1 × 4 = 4 → 4/5
        (0.2, 4.0, 0.5),  # odds 0.25 × 4 = 1 → 1/2
        (0.25, 3.0, 0.5),  # odds 1/3 × 3 = 1
        (0.5, 0.25, 0.2),  # odds 1 × 0.25 → 0.25/1.25
        (0.2, 4.02, 0.804 / 1.604),
        (0.2, 0.19, 0.038 / 0.838),
    ],
)
def test_post_test_probability_formula(pretest, ratio, expected):
    assert post_test_probability(pretest, ratio) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("probability", "percent"),
    [
        (0.045, 5),  # half-up, not half-even
        (0.125, 13),
        (0.0449, 4),
        (0.045346, 5),
        (0.5012469, 50),
        (0.13, 13),
        (0.2, 20),
        (0.995, 100),
        (0.0, 0),
        (1.0, 100),
    ],
)
def test_whole_percent_rounds_half_up(probability, percent):
    assert whole_percent(probability) == percent


# ---------------------------------------------------------------------------
# Cautions: the centralisation gate and the pooled evidence.
# ---------------------------------------------------------------------------


def _pooled(cautions: tuple[str, ...]) -> list[str]:
    return [c for c in cautions if "Saueressig 2021" in c]


@pytest.mark.parametrize("rule_id", ALL_RULES)
@pytest.mark.parametrize(
    ("centralised", "code", "caution"),
    [
        (True, "P", True),
        (True, "N", True),
        (True, "T", True),
        (False, "P", False),
        (None, "P", False),
        (False, "N", False),
        (None, "T", False),
    ],
)
def test_centralised_pain_gates_the_cluster(rule_id, centralised, code, caution):
    pattern = " ".join([code] * len(ITEMS[rule_id]))
    result = evaluate(build(rule_id, pattern, centralised=centralised))
    assert (CENTRALISATION_CAUTION in result.cautions) is caution
    # No probability statement, the pooled one included, while not read.
    assert len(_pooled(result.cautions)) == (0 if caution else 1)
    assert len(result.cautions) == 1
    assert result.interpretable is not caution
    if caution:
        # Counts shown; no probability, never "consistent with SIJ pain".
        assert result.post_test_probability is None
        assert result.post_test_range is None
        assert "consistent with SIJ pain" not in result.summary
        assert result.decision_text == "not interpretable — pain centralised"


def test_centralisation_caution_wording():
    result = evaluate(build(VDW, "P P P N N", centralised=True))
    assert (
        "pain centralised — probably discogenic; positive SIJ tests should be "
        "disregarded (Laslett 2003)"
    ) in result.cautions


@pytest.mark.parametrize("centralised", [True, False, None])
def test_centralisation_does_not_change_the_counts(centralised):
    result = evaluate(build(L6, "P P P N N T", centralised=centralised))
    assert result.decision is Decision.POSITIVE
    assert (result.positive, result.negative, result.untested) == (3, 2, 1)
    assert (result.post_test_probability is None) is (centralised is True)


@pytest.mark.parametrize(
    ("rule_id", "pattern"),
    [(row[0], row[1]) for row in DECISION_TABLE],
)
def test_pooled_saueressig_caution_always_present(rule_id, pattern):
    (pooled,) = _pooled(evaluate(build(rule_id, pattern)).cautions)
    assert "LR+ 2.13" in pooled
    assert "LR− 0.33" in pooled


# ---------------------------------------------------------------------------
# Property: for any findings, the decision satisfies its definition.
# ---------------------------------------------------------------------------

results = st.sampled_from(list(Result))


@st.composite
def findings(draw):
    out = {}
    for test_id in (*NON_LATERAL, *sorted(LATERAL)):
        if not draw(st.booleans()):
            continue  # missing: not_tested
        if test_id in LATERAL:
            out[test_id] = ProvocationFinding(left=draw(results), right=draw(results))
        else:
            out[test_id] = ProvocationFinding(
                result=draw(results),
                pain_side=draw(st.none() | st.sampled_from(list(PainSide))),
            )
    return out


def _oracle_state(code: Result) -> ItemState:
    # Written from §1/§2, independently of the module under test.
    if code == Result.POSITIVE:
        return ItemState.POSITIVE
    if code in (Result.NOT_TESTED, Result.UNABLE):
        return ItemState.UNTESTED
    return ItemState.NEGATIVE


def _oracle_item(key: str, visit: Visit, side: str) -> ItemState:
    test_id, _, named = key.partition(".")
    finding = visit.provocation.get(test_id, ProvocationFinding())
    if test_id not in LATERAL:
        state = _oracle_state(finding.result)
        other = {"left": "right", "right": "left"}[side]
        pain = finding.pain_side.value if finding.pain_side else None
        if state is ItemState.POSITIVE and pain == other:
            return ItemState.NEGATIVE
        return state
    return _oracle_state(getattr(finding, named or side))


def _oracle_decision(states: list[ItemState], t: int) -> Decision:
    k = states.count(ItemState.POSITIVE)
    u = states.count(ItemState.UNTESTED)
    if k >= t:
        return Decision.POSITIVE
    if k + u < t:
        return Decision.NEGATIVE
    return Decision.INCOMPLETE


def _oracle_visit_side(visit: Visit, rule_id: str) -> tuple[str, list[ItemState]]:
    t = THRESHOLD[rule_id]
    by_side = {
        s: [_oracle_item(key, visit, s) for key in ITEMS[rule_id]]
        for s in ("left", "right")
    }
    if visit.symptomatic_side.value in by_side:
        chosen = visit.symptomatic_side.value
        return chosen, by_side[chosen]
    decisions = {s: _oracle_decision(by_side[s], t) for s in by_side}
    for wanted in (Decision.POSITIVE, Decision.INCOMPLETE, Decision.NEGATIVE):
        found = [s for s in ("left", "right") if decisions[s] is wanted]
        if found:
            positives = {s: by_side[s].count(ItemState.POSITIVE) for s in found}
            chosen = found[0]
            if len(found) == 2 and positives["right"] > positives["left"]:
                chosen = "right"
            return chosen, by_side[chosen]
    raise AssertionError("unreachable")


@settings(max_examples=300, deadline=None)
@given(
    provocation=findings(),
    side=st.sampled_from(list(SymptomaticSide)),
    rule_id=st.sampled_from(ALL_RULES),
    centralised=st.sampled_from([True, False, None]),
)
def test_decision_always_satisfies_its_definition(
    provocation, side, rule_id, centralised
):
    visit = Visit(
        date=DATE,
        symptomatic_side=side,
        provocation=provocation,
        centralised=centralised,
    )
    result = evaluate(visit, rule_id)
    chosen, states = _oracle_visit_side(visit, rule_id)
    assert result.side.value == chosen
    assert [s for _, s in result.items] == states
    k = states.count(ItemState.POSITIVE)
    u = states.count(ItemState.UNTESTED)
    t = THRESHOLD[rule_id]
    if centralised is True:
        assert result.decision_text == "not interpretable — pain centralised"
        assert result.post_test_probability is None
    elif k >= t:
        assert result.decision is Decision.POSITIVE
        assert result.decision_text == POSITIVE_TEXT
    elif k + u < t:
        assert result.decision is Decision.NEGATIVE
        if rule_id == L6 and u == 0 and k == 0:
            assert result.decision_text == ALL_NEGATIVE_TEXT
        else:
            assert result.decision_text == NEGATIVE_TEXT
    else:
        assert result.decision is Decision.INCOMPLETE
        assert result.decision_text == incomplete(t - k, u)
        assert result.post_test_probability is None
    assert result.positive + result.negative + result.untested == len(ITEMS[rule_id])
    assert result.decision is _oracle_decision(states, t)
    assert (CENTRALISATION_CAUTION in result.cautions) is (centralised is True)
    assert len(_pooled(result.cautions)) == (0 if centralised is True else 1)
