"""Properties of the cluster rules that must hold for every exam (hypothesis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sijoint_exam.domain.catalogue import (
    PROVOCATION_TESTS,
    RULE_SETS,
    PainSide,
    Result,
    SymptomaticSide,
)
from sijoint_exam.domain.cluster import Decision, evaluate
from sijoint_exam.domain.likelihood import post_test_probability
from sijoint_exam.domain.visit import ProvocationFinding, Visit

RULE_IDS = [r.id for r in RULE_SETS]
RANK = {Decision.NEGATIVE: 0, Decision.INCOMPLETE: 1, Decision.POSITIVE: 2}
UNTESTED = (Result.NOT_TESTED, Result.UNABLE)
# Every place a result is recorded: (test, "result") or (test, "left"/"right").
SLOTS = [
    (t.id, side)
    for t in PROVOCATION_TESTS
    for side in (("left", "right") if t.lateral else ("result",))
]

results = st.sampled_from(list(Result))


@st.composite
def visits(draw):
    provocation = {}
    for test in PROVOCATION_TESTS:
        if test.lateral:
            finding = ProvocationFinding(left=draw(results), right=draw(results))
        else:
            finding = ProvocationFinding(
                result=draw(results),
                pain_side=draw(st.none() | st.sampled_from(list(PainSide))),
            )
        provocation[test.id] = finding
    return Visit(
        date=dt.date(2026, 11, 20),
        symptomatic_side=draw(st.sampled_from(list(SymptomaticSide))),
        centralised=draw(st.sampled_from([True, False, None])),
        provocation=provocation,
    )


def with_result(visit: Visit, slot: tuple[str, str], result: Result) -> Visit:
    test_id, side = slot
    finding = replace(visit.finding(test_id), **{side: result})
    return replace(visit, provocation={**visit.provocation, test_id: finding})


def result_at(visit: Visit, slot: tuple[str, str]) -> Result:
    return getattr(visit.finding(slot[0]), slot[1])


@settings(max_examples=300, deadline=None)
@given(
    visit=visits(),
    slot=st.sampled_from(SLOTS),
    rule_id=st.sampled_from(RULE_IDS),
)
def test_a_new_positive_never_turns_a_positive_cluster_negative(visit, slot, rule_id):
    assume(result_at(visit, slot) in (Result.NEGATIVE, Result.POSITIVE_OTHER))
    before = evaluate(visit, rule_id).decision
    after = evaluate(with_result(visit, slot, Result.POSITIVE), rule_id).decision
    if before is Decision.POSITIVE:
        assert after is Decision.POSITIVE
    # More generally the decision never goes down: negative < incomplete < positive.
    assert RANK[after] >= RANK[before]


@settings(max_examples=300, deadline=None)
@given(
    visit=visits(),
    rule_id=st.sampled_from(RULE_IDS),
    fill=st.lists(
        st.sampled_from([Result.POSITIVE, Result.NEGATIVE, Result.POSITIVE_OTHER]),
        min_size=len(SLOTS),
        max_size=len(SLOTS),
    ),
)
def test_an_early_decision_equals_the_decision_once_everything_is_tested(
    visit, rule_id, fill
):
    early = evaluate(visit, rule_id).decision
    assume(early is not Decision.INCOMPLETE)
    complete = visit
    for slot, result in zip(SLOTS, fill, strict=True):
        if result_at(visit, slot) in UNTESTED:
            complete = with_result(complete, slot, result)
    final = evaluate(complete, rule_id)
    assert final.untested == 0
    assert final.decision is early


@settings(max_examples=300, deadline=None)
@given(
    pair=st.tuples(st.floats(0.01, 0.99), st.floats(0.01, 0.99)),
    rule=st.sampled_from([r for r in RULE_SETS if r.lr_positive is not None]),
)
def test_post_test_probability_rises_with_pretest_and_stays_inside(pair, rule):
    low, high = sorted(pair)
    assume(low < high)
    for ratio in (rule.lr_positive, rule.lr_negative):
        below = post_test_probability(low, ratio)
        above = post_test_probability(high, ratio)
        # In floating point two pretests an ulp apart may give the same figure…
        assert 0 < below <= above < 1
        # …in exact arithmetic the formula rises strictly.
        exact = [post_test_probability(Fraction(p), Fraction(ratio)) for p in pair]
        assert 0 < min(exact) < max(exact) < 1


@settings(max_examples=200, deadline=None)
@given(pretest=st.floats(0.01, 0.99), rule=st.sampled_from(RULE_SETS))
def test_a_positive_result_raises_and_a_negative_lowers_the_probability(pretest, rule):
    if rule.lr_positive is None:
        return  # a coverage criterion: no probability at all
    assert post_test_probability(pretest, rule.lr_positive) > pretest
    assert post_test_probability(pretest, rule.lr_negative) < pretest
