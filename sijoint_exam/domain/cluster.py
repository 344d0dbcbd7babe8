"""Tally the provocation tests against a cluster rule: decision, per-side, post-test.

Normative behaviour: shared/design/clinical-rules.md §2.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sijoint_exam.domain.catalogue import (
    CENTRALISATION_CAUTION,
    CLUSTER_POSITIVE_STATEMENT,
    POOLED_CLUSTER_EVIDENCE,
    RULES_BY_ID,
    TESTS_BY_ID,
    ClusterItem,
    PainSide,
    Result,
    RuleSet,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.visit import Visit


class ItemState(StrEnum):
    """How one cluster item counts."""

    POSITIVE = "positive"
    NEGATIVE = "negative"  # negative, or pain that is not the familiar pain
    UNTESTED = "untested"  # not tested or unable


class Decision(StrEnum):
    """The cluster's outcome, with early stopping."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    INCOMPLETE = "incomplete"


_UNTESTED_RESULTS = (Result.NOT_TESTED, Result.UNABLE)


def _state(result: Result) -> ItemState:
    if result is Result.POSITIVE:
        return ItemState.POSITIVE
    if result in _UNTESTED_RESULTS:
        return ItemState.UNTESTED
    return ItemState.NEGATIVE


def _either_side(left: Result, right: Result) -> ItemState:
    """Bilateral or unknown symptoms: positive on either side counts."""
    states = {_state(left), _state(right)}
    if ItemState.POSITIVE in states:
        return ItemState.POSITIVE
    if ItemState.UNTESTED in states:
        return ItemState.UNTESTED
    return ItemState.NEGATIVE


def item_state(item: ClusterItem, visit: Visit) -> ItemState:
    """The state of one item, taking lateral tests on the tally side."""
    finding = visit.finding(item.test_id)
    if not TESTS_BY_ID[item.test_id].lateral:
        return _state(finding.result)
    if item.side is not None:
        return _state(finding.on_side(item.side))
    match visit.symptomatic_side:
        case SymptomaticSide.LEFT:
            return _state(finding.left)
        case SymptomaticSide.RIGHT:
            return _state(finding.right)
        case _:
            return _either_side(finding.left, finding.right)


def _positive_on_side(item: ClusterItem, visit: Visit, side: Side) -> bool:
    finding = visit.finding(item.test_id)
    if TESTS_BY_ID[item.test_id].lateral:
        if item.side is not None and item.side is not side:
            return False
        return finding.on_side(side) is Result.POSITIVE
    # A non-lateral test counts for a side where its pain was felt there, both
    # sides, or nowhere recorded.
    return finding.result is Result.POSITIVE and finding.pain_side in (
        None,
        PainSide.BILATERAL,
        PainSide(side.value),
    )


def post_test_probability(pretest: float, likelihood_ratio: float) -> float:
    """Bayes in closed form: p·LR / (p·LR + 1 − p) (Fagan 1975)."""
    return pretest * likelihood_ratio / (pretest * likelihood_ratio + 1 - pretest)


def whole_percent(probability: float) -> int:
    """A probability as a whole percent, rounded half-up (0.04535 -> 5)."""
    scaled = Decimal(str(probability)) * 100
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class ClusterResult:
    """The tally of one visit against one rule set."""

    rule: RuleSet
    items: tuple[tuple[ClusterItem, ItemState], ...]
    decision: Decision
    per_side: dict[Side, int]
    likelihood_ratio: float | None
    post_test_probability: float | None
    pretest_probability: float
    cautions: tuple[str, ...]

    def _count(self, state: ItemState) -> int:
        return sum(1 for _, s in self.items if s is state)

    @property
    def positive(self) -> int:
        return self._count(ItemState.POSITIVE)

    @property
    def negative(self) -> int:
        return self._count(ItemState.NEGATIVE)

    @property
    def untested(self) -> int:
        return self._count(ItemState.UNTESTED)

    @property
    def more_needed(self) -> int:
        """Positives still needed to meet the rule (0 once met)."""
        return max(self.rule.threshold - self.positive, 0)

    @property
    def all_negative(self) -> bool:
        """Every item tested and negative (meaningful for Laslett's six)."""
        return self.negative == len(self.items)

    @property
    def count_text(self) -> str:
        """`3 of 5 positive`."""
        return f"{self.positive} of {len(self.items)} positive"

    @property
    def decision_text(self) -> str:
        """The decision in the clinic's words, never as a diagnosis."""
        if self.decision is Decision.POSITIVE:
            return CLUSTER_POSITIVE_STATEMENT
        if self.decision is Decision.NEGATIVE:
            if self.all_negative and self.rule.all_negative_statement:
                return self.rule.all_negative_statement
            return "cluster negative"
        return (
            f"incomplete — {self.more_needed} more positive needed "
            f"of {self.untested} untested"
        )

    @property
    def summary(self) -> str:
        """`3 of 5 positive — cluster positive — consistent with SIJ pain (…)`."""
        return f"{self.count_text} — {self.decision_text} ({self.rule.short_citation})"

    @property
    def post_test_text(self) -> str | None:
        """`Post-test probability 50% (pretest 20%, LR+ 4.02; citation)` or None."""
        if self.post_test_probability is None or self.likelihood_ratio is None:
            return None
        sign = "+" if self.decision is Decision.POSITIVE else "−"
        return (
            f"Post-test probability {whole_percent(self.post_test_probability)}% "
            f"(pretest {whole_percent(self.pretest_probability)}%, "
            f"LR{sign} {self.likelihood_ratio:.2f}; {self.rule.citation})"
        )

    @property
    def post_test_line(self) -> str:
        """The post-test text, or why there is none."""
        if self.post_test_text is not None:
            return self.post_test_text
        if self.decision is Decision.INCOMPLETE:
            return "No post-test probability: the result is incomplete."
        return (
            "No post-test probability: this rule is a coverage criterion, "
            "not an accuracy study."
        )


def _decide(positive: int, untested: int, threshold: int) -> Decision:
    if positive >= threshold:
        return Decision.POSITIVE  # met, even with items left untested
    if positive + untested < threshold:
        return Decision.NEGATIVE  # can no longer be met
    return Decision.INCOMPLETE


def _pooled_caution() -> str:
    pooled = POOLED_CLUSTER_EVIDENCE
    return (
        f"Pooled evidence is weaker: LR+ {pooled.lr_positive:.2f} / "
        f"LR− {pooled.lr_negative:.2f} ({pooled.citation})"
    )


def evaluate(visit: Visit, rule_id: str | None = None) -> ClusterResult:
    """Tally `visit` against a rule set (the visit's own scoring rule by default)."""
    rule = RULES_BY_ID[rule_id or visit.scoring.rule]
    items = tuple((item, item_state(item, visit)) for item in rule.items)
    positive = sum(1 for _, s in items if s is ItemState.POSITIVE)
    untested = sum(1 for _, s in items if s is ItemState.UNTESTED)
    decision = _decide(positive, untested, rule.threshold)
    per_side = {
        side: sum(1 for item, _ in items if _positive_on_side(item, visit, side))
        for side in Side
    }
    ratio = {
        Decision.POSITIVE: rule.lr_positive,
        Decision.NEGATIVE: rule.lr_negative,
        Decision.INCOMPLETE: None,
    }[decision]
    pretest = visit.scoring.pretest_probability
    post = post_test_probability(pretest, ratio) if ratio is not None else None
    cautions = []
    if decision is Decision.POSITIVE and visit.centralised:
        cautions.append(CENTRALISATION_CAUTION)
    cautions.append(_pooled_caution())
    return ClusterResult(
        rule=rule,
        items=items,
        decision=decision,
        per_side=per_side,
        likelihood_ratio=ratio,
        post_test_probability=post,
        pretest_probability=pretest,
        cautions=tuple(cautions),
    )
