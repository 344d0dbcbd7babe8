"""Confidence intervals for diagnostic accuracy from a 2×2 table.

Wilson's score interval for a proportion (sensitivity, specificity) and the log method
for a likelihood ratio (`likelihood`, shared with the cluster's post-test range), with
the correction a clinic's small table needs.

Sources: Wilson EB. J Am Stat Assoc 1927;22:209–212; Simel DL, Samsa GP, Matchar DB.
J Clin Epidemiol 1991;44(8):763–770.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sijoint_exam.domain import cluster, likelihood
from sijoint_exam.domain.block import BlockResult, Comparative, read_blocks
from sijoint_exam.domain.catalogue import RULES_BY_ID, RuleSet
from sijoint_exam.domain.catalogue_accuracy import (
    MIN_VERIFIED_VISITS,
    ONE_VISIT_PER_PATIENT,
    PARTIAL_VERIFICATION_CAUTION,
    PUBLISHED_NOT_REPLACED,
    SINGLE_BLOCK_REFERENCE_CAUTION,
    WILSON_CITATION,
)
from sijoint_exam.domain.catalogue_together import LR_INTERVAL_CITATION
from sijoint_exam.domain.together import block_on_other_side
from sijoint_exam.domain.visit import Visit

# Two-sided 95% intervals, the same quantile as the cluster's post-test range.
Z_95 = likelihood.Z_95

# Added to every cell when a cell the log method divides by is empty (Haldane's
# correction): a table with no false positives still gets a finite, wide interval
# instead of a division by zero.
ZERO_CELL_CORRECTION = 0.5


def wilson_interval(
    successes: int, total: int, z: float = Z_95
) -> tuple[float, float, float]:
    """(point, lower, upper) of a proportion by Wilson's score interval.

    Unlike the Wald interval it stays inside 0–1 and keeps its coverage near 0 and 1,
    which is where a small clinic's sensitivities and specificities sit.
    """
    if total <= 0:
        raise ValueError("a proportion needs at least one case")
    if not 0 <= successes <= total:
        raise ValueError("successes must lie between 0 and the total")
    p = successes / total
    z2 = z * z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = (z / (1 + z2 / total)) * math.sqrt(
        p * (1 - p) / total + z2 / (4 * total * total)
    )
    # At 0 and n the bounds are exactly 0 and 1; rounding would leave 1e-17 or 0.9999….
    lower = 0.0 if successes == 0 else max(0.0, centre - half)
    upper = 1.0 if successes == total else min(1.0, centre + half)
    return p, lower, upper


def likelihood_ratio_interval(
    tp: int, fn: int, fp: int, tn: int, positive: bool
) -> tuple[float, float, float]:
    """(point, lower, upper) of LR+ (positive=True) or LR− of a clinic's 2×2 table.

    The log method of `likelihood.likelihood_ratio_interval` (Simel 1991), which a
    published study's table always suits; a clinic's small table often has an empty
    cell, and then 0.5 is added to every cell first (Haldane's correction), so a
    clinic with no false positives yet sees a wide, finite interval, not an error.

    Raises:
        ValueError: negative counts, or no patient with (or without) the condition.
    """
    cells = (tp, fn, fp, tn)
    if any(c < 0 for c in cells):
        raise ValueError("a 2×2 table has no negative counts")
    if tp + fn == 0:
        raise ValueError("no patient with the condition: the ratio is undefined")
    if fp + tn == 0:
        raise ValueError("no patient without the condition: the ratio is undefined")
    if 0 in cells:
        a, b, c, d = (cell + ZERO_CELL_CORRECTION for cell in cells)
        return likelihood.likelihood_ratio_interval(a, b, c, d, positive=positive)
    return likelihood.likelihood_ratio_interval(tp, fn, fp, tn, positive=positive)


# ---------------------------------------------------------------------------
# The clinic's own accuracy: its block-verified visits against a cluster rule.
# ---------------------------------------------------------------------------


class Reference(StrEnum):
    """What the block result beside the cluster was."""

    COMPARATIVE = "comparative"  # a screening and a confirmatory block, both read
    SINGLE = "single"


@dataclass(frozen=True)
class VerifiedVisit:
    """One visit with an interpretable cluster and a block result on its side."""

    cluster_positive: bool
    block_positive: bool
    reference: Reference


def verify(visit: Visit, rule_id: str) -> VerifiedVisit | None:
    """The visit read against `rule_id` and its own blocks; None when either has no
    definite result (incomplete, centralised, no guided block, the other side)."""
    tally = cluster.evaluate(visit, rule_id)
    if not tally.interpretable or tally.decision is cluster.Decision.INCOMPLETE:
        return None
    scoring = visit.scoring
    blocks = read_blocks(
        visit.blocks, scoring.block_threshold_percent, scoring.agent_window_hours
    )
    if blocks.overall not in (BlockResult.POSITIVE, BlockResult.NEGATIVE):
        return None
    if block_on_other_side(blocks, visit.symptomatic_side):
        return None
    both_read = blocks.comparative in _BOTH_BLOCKS_READ
    return VerifiedVisit(
        cluster_positive=tally.decision is cluster.Decision.POSITIVE,
        block_positive=blocks.overall is BlockResult.POSITIVE,
        reference=Reference.COMPARATIVE if both_read else Reference.SINGLE,
    )


_BOTH_BLOCKS_READ = (
    Comparative.CONCORDANT,
    Comparative.DISCORDANT,
    Comparative.NOT_CONFIRMED,
)

Interval = tuple[float, float, float]


@dataclass(frozen=True)
class ClinicAccuracy:
    """The clinic's 2×2 table for one rule, and its figures once there are enough."""

    rule: RuleSet
    true_positive: int
    false_negative: int
    false_positive: int
    true_negative: int
    comparative: int  # verified by a comparative pair
    single: int  # verified by a single block
    sensitivity: Interval | None
    specificity: Interval | None
    lr_positive: Interval | None
    lr_negative: Interval | None
    cautions: tuple[str, ...]

    @property
    def verified(self) -> int:
        return self.comparative + self.single

    @property
    def enough(self) -> bool:
        """As many verified visits as figures need (MIN_VERIFIED_VISITS)."""
        return self.verified >= MIN_VERIFIED_VISITS


def clinic_accuracy(
    visits: Iterable[tuple[Hashable, Visit]], rule_id: str
) -> ClinicAccuracy:
    """The 2×2 of `rule_id` against the block, one (patient, visit) per patient:
    that patient's latest verified visit. Figures only from MIN_VERIFIED_VISITS."""
    rule = RULES_BY_ID[rule_id]
    latest: dict[Hashable, tuple[dt.date, VerifiedVisit]] = {}
    for patient, visit in visits:
        found = verify(visit, rule_id)
        if found is not None and (
            patient not in latest or visit.date >= latest[patient][0]
        ):
            latest[patient] = (visit.date, found)
    counts = Counter((v.cluster_positive, v.block_positive) for _, v in latest.values())
    tp, fn = counts[True, True], counts[False, True]
    fp, tn = counts[True, False], counts[False, False]
    single = sum(1 for _, v in latest.values() if v.reference is Reference.SINGLE)
    cautions = [PARTIAL_VERIFICATION_CAUTION, ONE_VISIT_PER_PATIENT]
    if single:
        cautions.append(SINGLE_BLOCK_REFERENCE_CAUTION)
    cautions.append(PUBLISHED_NOT_REPLACED)
    shown = len(latest) >= MIN_VERIFIED_VISITS
    return ClinicAccuracy(
        rule=rule,
        true_positive=tp,
        false_negative=fn,
        false_positive=fp,
        true_negative=tn,
        comparative=len(latest) - single,
        single=single,
        sensitivity=_proportion(tp, tp + fn, shown),
        specificity=_proportion(tn, fp + tn, shown),
        lr_positive=_ratio(tp, fn, fp, tn, True, shown),
        lr_negative=_ratio(tp, fn, fp, tn, False, shown),
        cautions=tuple(cautions),
    )


def _proportion(hits: int, total: int, shown: bool) -> Interval | None:
    return wilson_interval(hits, total) if shown and total else None


def _ratio(
    tp: int, fn: int, fp: int, tn: int, positive: bool, shown: bool
) -> Interval | None:
    if not shown or tp + fn == 0 or fp + tn == 0:
        return None
    return likelihood_ratio_interval(tp, fn, fp, tn, positive)


# ---------------------------------------------------------------------------
# Shown: as text (the command and the window) and as JSON (`accuracy --json`).
# ---------------------------------------------------------------------------

_MEASURES = (
    ("sensitivity", "Sensitivity"),
    ("specificity", "Specificity"),
    ("lr_positive", "LR+"),
    ("lr_negative", "LR−"),
)


def _interval_text(interval: Interval | None) -> str:
    if interval is None:
        return "—"
    point, lower, upper = interval
    return f"{point:.2f} ({lower:.2f}–{upper:.2f})"


def _published(rule: RuleSet, measure: str) -> float | None:
    value: float | None = getattr(rule, measure)
    return value


def accuracy_lines(result: ClinicAccuracy) -> list[str]:
    """The clinic's accuracy as lines of text, published figures beside it."""
    rule = result.rule
    lines = [f"Clinic accuracy — {rule.name}"]
    verified = (
        f"Verified visits: {result.verified} ({result.comparative} by a comparative "
        f"block pair, {result.single} by a single block)"
    )
    lines.append(verified)
    if not result.enough:
        lines.append(
            f"No figures yet: they are shown from {MIN_VERIFIED_VISITS} verified "
            f"visits (patients with both a cluster and a block result)."
        )
    else:
        lines += [
            "",
            f"{'':14}{'block +':>9}{'block −':>9}",
            f"{'cluster +':14}{result.true_positive:>9}{result.false_positive:>9}",
            f"{'cluster −':14}{result.false_negative:>9}{result.true_negative:>9}",
            "",
            f"{'':14}{'this clinic (95% CI)':<24}published",
        ]
        for measure, label in _MEASURES:
            published = _published(rule, measure)
            shown = "—" if published is None else f"{published:.2f}"
            clinic = _interval_text(getattr(result, measure))
            lines.append(f"{label:14}{clinic:<24}{shown}")
        lines.append(
            f"Published: {rule.citation}. Intervals: Sn/Sp {WILSON_CITATION}; "
            f"LR {LR_INTERVAL_CITATION}."
        )
    lines.append("")
    lines += [f"Caution: {line}" for line in result.cautions]
    return lines


def _interval_json(interval: Interval | None) -> dict[str, float] | None:
    if interval is None:
        return None
    point, lower, upper = interval
    return {
        "value": round(point, 3),
        "lower": round(lower, 3),
        "upper": round(upper, 3),
    }


def accuracy_to_json(result: ClinicAccuracy) -> dict[str, Any]:
    """`accuracy --json`: figures as fractions and ratios rounded to 3 decimals;
    the table and figures null below the minimum."""
    rule = result.rule
    table = None
    if result.enough:
        table = {
            "true_positive": result.true_positive,
            "false_negative": result.false_negative,
            "false_positive": result.false_positive,
            "true_negative": result.true_negative,
        }
    return {
        "rule": rule.id,
        "verified": result.verified,
        "minimum_verified": MIN_VERIFIED_VISITS,
        "by_comparative_pair": result.comparative,
        "by_single_block": result.single,
        "table": table,
        "clinic": {m: _interval_json(getattr(result, m)) for m, _ in _MEASURES},
        "published": {
            **{m: _published(rule, m) for m, _ in _MEASURES},
            "citation": rule.citation,
        },
        "cautions": list(result.cautions),
    }
