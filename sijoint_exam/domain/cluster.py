"""Tally the provocation tests against a cluster rule: decision, per-side, post-test.

Normative behaviour: docs/clinical-rules.md §2.
"""

from __future__ import annotations

from dataclasses import dataclass
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
from sijoint_exam.domain.catalogue_together import (
    INFERRED_TABLE_NOTE,
    LR_INTERVAL_CITATION,
    NOT_INTERPRETABLE_STATEMENT,
    PRETEST_LABEL,
    RULE_TABLES,
    SYMPTOMATIC_SIDE_UNKNOWN_CAUTION,
)
from sijoint_exam.domain.likelihood import (
    likelihood_ratio_interval,
    percent_text,
    post_test_probability,
    range_text,
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


def side_item_state(item: ClusterItem, visit: Visit, side: Side) -> ItemState:
    """How one item counts for the joint on `side` (clinical-rules.md §2).

    A lateral item takes its result on that side, a named-side item (Gaenslen right)
    its named side; a non-lateral item its recorded result, except that familiar pain
    felt on the other side is tested but not positive for this joint.
    """
    finding = visit.finding(item.test_id)
    if TESTS_BY_ID[item.test_id].lateral:
        return _state(finding.on_side(item.side or side))
    if finding.result is Result.POSITIVE and finding.pain_side in (
        PainSide.LEFT,
        PainSide.RIGHT,
    ):
        if finding.pain_side.value != side.value:
            return ItemState.NEGATIVE  # positive_other for this joint
    return _state(finding.result)


def _decide(positive: int, untested: int, threshold: int) -> Decision:
    if positive >= threshold:
        return Decision.POSITIVE  # met, even with items left untested
    if positive + untested < threshold:
        return Decision.NEGATIVE  # can no longer be met
    return Decision.INCOMPLETE


@dataclass(frozen=True)
class SideCluster:
    """The rule read for one joint: its items, counts and decision."""

    side: Side
    items: tuple[tuple[ClusterItem, ItemState], ...]
    decision: Decision

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
    def positive_tests(self) -> tuple[ClusterItem, ...]:
        """The items positive for this joint, in the rule's order."""
        return tuple(item for item, s in self.items if s is ItemState.POSITIVE)


def side_cluster(rule: RuleSet, visit: Visit, side: Side) -> SideCluster:
    """The side cluster of one joint."""
    items = tuple((item, side_item_state(item, visit, side)) for item in rule.items)
    positive = sum(1 for _, s in items if s is ItemState.POSITIVE)
    untested = sum(1 for _, s in items if s is ItemState.UNTESTED)
    return SideCluster(side, items, _decide(positive, untested, rule.threshold))


def _visit_side(
    sides: dict[Side, SideCluster], symptomatic: SymptomaticSide
) -> tuple[Side, Decision]:
    """Which side cluster the visit's result is taken from, and that result.

    One-sided symptoms: that joint. Bilateral or unknown: positive if either joint
    is, negative if both are, else incomplete; the counts come from the side that
    decided it (more positives first, a tie: left). Positives found on two different
    joints are never added together.
    """
    if symptomatic is SymptomaticSide.LEFT:
        return Side.LEFT, sides[Side.LEFT].decision
    if symptomatic is SymptomaticSide.RIGHT:
        return Side.RIGHT, sides[Side.RIGHT].decision

    def most_positive(candidates: list[Side]) -> Side:
        # max keeps the first of equals: Side lists left first.
        return max(candidates, key=lambda s: sides[s].positive)

    for decision in (Decision.POSITIVE, Decision.INCOMPLETE):
        found = [s for s in Side if sides[s].decision is decision]
        if found:
            return most_positive(found), decision
    return most_positive(list(Side)), Decision.NEGATIVE


@dataclass(frozen=True)
class PostTestRange:
    """The post-test probability's range from the 95% interval of the LR."""

    lower: float
    upper: float
    inferred_table: bool  # the 2×2 table was worked back from percentages


@dataclass(frozen=True)
class ClusterResult:
    """The tally of one visit against one rule set, one joint at a time."""

    rule: RuleSet
    sides: dict[Side, SideCluster]
    side: Side  # the side cluster the visit's result and counts are taken from
    decision: Decision
    centralised: bool  # pain centralised: counts shown, the cluster not read
    likelihood_ratio: float | None
    post_test_probability: float | None
    post_test_range: PostTestRange | None
    pretest_probability: float
    cautions: tuple[str, ...]

    @property
    def items(self) -> tuple[tuple[ClusterItem, ItemState], ...]:
        return self.sides[self.side].items

    @property
    def positive(self) -> int:
        return self.sides[self.side].positive

    @property
    def negative(self) -> int:
        return self.sides[self.side].negative

    @property
    def untested(self) -> int:
        return self.sides[self.side].untested

    @property
    def per_side(self) -> dict[Side, int]:
        """Positives of each side cluster."""
        return {side: self.sides[side].positive for side in Side}

    @property
    def positive_sides(self) -> tuple[Side, ...]:
        """The sides whose side cluster is positive, left first."""
        return tuple(s for s in Side if self.sides[s].decision is Decision.POSITIVE)

    @property
    def interpretable(self) -> bool:
        return not self.centralised

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
        """`3 of 5 positive on the left`."""
        return f"{self.positive} of {len(self.items)} positive on the {self.side}"

    @property
    def decision_text(self) -> str:
        """The decision in the clinic's words, never as a diagnosis."""
        if self.centralised:
            return NOT_INTERPRETABLE_STATEMENT
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
        """`3 of 5 positive on the left — cluster positive — consistent with …`."""
        return f"{self.count_text} — {self.decision_text} ({self.rule.short_citation})"

    @property
    def per_side_text(self) -> str:
        """`Left: 3 of 5 positive (thigh thrust, …) — positive; right: 0 of 5 …`."""
        parts = []
        for side in Side:
            one = self.sides[side]
            named = ", ".join(_item_name(item) for item in one.positive_tests)
            which = f" ({named})" if named else ""
            # Centralised: the counts only, no result read from them.
            result = "" if self.centralised else f" — {one.decision.value}"
            parts.append(
                f"{side.value}: {one.positive} of {len(one.items)} positive{which}"
                f"{result}"
            )
        return "Per side: " + "; ".join(parts)

    @property
    def pretest_text(self) -> str:
        """`pretest 20% (assumed; clinic setting)`."""
        return f"pretest {percent_text(self.pretest_probability)} ({PRETEST_LABEL})"

    @property
    def post_test_figure(self) -> str | None:
        """`50% (34–66%)`, or `50%` without a 2×2 table; None without a figure."""
        if self.post_test_probability is None:
            return None
        point = percent_text(self.post_test_probability)
        if self.post_test_range is None:
            return point
        band = range_text(self.post_test_range.lower, self.post_test_range.upper)
        return f"{point} ({band})"

    @property
    def post_test_text(self) -> str | None:
        """`Post-test probability 50% (34–66%) (pretest 20% (assumed; …), LR+ …)`."""
        figure = self.post_test_figure
        if figure is None or self.likelihood_ratio is None:
            return None
        sign = "+" if self.decision is Decision.POSITIVE else "−"
        basis = [f"LR{sign} {self.likelihood_ratio:.2f}", self.rule.citation]
        if self.post_test_range is not None:
            basis.append(f"range: 95% interval of the LR, {LR_INTERVAL_CITATION}")
            if self.post_test_range.inferred_table:
                basis.append(INFERRED_TABLE_NOTE)
        return (
            f"Post-test probability {figure} ({self.pretest_text}; "
            + "; ".join(basis)
            + ")"
        )

    @property
    def post_test_line(self) -> str:
        """The post-test text, or why there is none."""
        if self.post_test_text is not None:
            return self.post_test_text
        if self.centralised:
            return "No post-test probability: pain centralised (Laslett 2003)."
        if self.decision is Decision.INCOMPLETE:
            return "No post-test probability: the result is incomplete."
        return (
            "No post-test probability: this rule is a coverage criterion, "
            "not an accuracy study."
        )


def _item_name(item: ClusterItem) -> str:
    name = TESTS_BY_ID[item.test_id].name
    return f"{name} {item.side.value}" if item.side else name


def _pooled_caution(pretest: float) -> str:
    pooled = POOLED_CLUSTER_EVIDENCE
    positive = percent_text(post_test_probability(pretest, pooled.lr_positive))
    negative = percent_text(post_test_probability(pretest, pooled.lr_negative))
    return (
        f"Pooled evidence is weaker: LR+ {pooled.lr_positive:.2f} / "
        f"LR− {pooled.lr_negative:.2f} ({pooled.citation}); at the same "
        f"pretest {percent_text(pretest)}: positive → {positive}, "
        f"negative → {negative}"
    )


def _post_test_range(
    rule: RuleSet, decision: Decision, pretest: float
) -> PostTestRange | None:
    table = RULE_TABLES.get(rule.id)
    if table is None or decision is Decision.INCOMPLETE:
        return None
    _, lower, upper = likelihood_ratio_interval(
        table.true_positive,
        table.false_negative,
        table.false_positive,
        table.true_negative,
        positive=decision is Decision.POSITIVE,
    )
    return PostTestRange(
        post_test_probability(pretest, lower),
        post_test_probability(pretest, upper),
        table.inferred,
    )


def evaluate(visit: Visit, rule_id: str | None = None) -> ClusterResult:
    """Tally `visit` against a rule set (the visit's own scoring rule by default)."""
    rule = RULES_BY_ID[rule_id or visit.scoring.rule]
    sides = {side: side_cluster(rule, visit, side) for side in Side}
    side, decision = _visit_side(sides, visit.symptomatic_side)
    centralised = visit.centralised is True
    pretest = visit.scoring.pretest_probability
    ratio = None
    if not centralised:
        ratio = {
            Decision.POSITIVE: rule.lr_positive,
            Decision.NEGATIVE: rule.lr_negative,
            Decision.INCOMPLETE: None,
        }[decision]
    post = None if ratio is None else post_test_probability(pretest, ratio)
    band = None if ratio is None else _post_test_range(rule, decision, pretest)
    cautions = []
    if centralised:
        cautions.append(CENTRALISATION_CAUTION)
    if visit.symptomatic_side is SymptomaticSide.UNKNOWN:
        cautions.append(SYMPTOMATIC_SIDE_UNKNOWN_CAUTION)
    if not centralised:
        # A probability statement: none while the cluster is not read.
        cautions.append(_pooled_caution(pretest))
    return ClusterResult(
        rule=rule,
        sides=sides,
        side=side,
        decision=decision,
        centralised=centralised,
        likelihood_ratio=ratio,
        post_test_probability=post,
        post_test_range=band,
        pretest_probability=pretest,
        cautions=tuple(cautions),
    )
