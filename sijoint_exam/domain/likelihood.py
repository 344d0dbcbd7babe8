"""Post-test probability and its uncertainty (clinical-rules.md §2).

`post_test_probability` is Bayes in closed form; `likelihood_ratio_interval` the 95%
confidence interval of a likelihood ratio by the log method (Simel 1991) on a study's
2×2 table; `percent_text` how a probability is shown, never as 0% or 100%.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

Z_95 = 1.96  # two-sided 95% normal quantile


def post_test_probability(pretest: float, likelihood_ratio: float) -> float:
    """Bayes in closed form: p·LR / (p·LR + 1 − p) (Fagan 1975)."""
    return pretest * likelihood_ratio / (pretest * likelihood_ratio + 1 - pretest)


def whole_percent(probability: float) -> int:
    """A probability as a whole percent, rounded half-up (0.04535 -> 5)."""
    scaled = Decimal(str(probability)) * 100
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_text(probability: float) -> str:
    """`50%`; a value that rounds to 0 or 100 reads `<1%` or `>99%`.

    A probability is never certain, and a letter that says 0% or 100% is read as
    certainty by whoever receives it.
    """
    percent = whole_percent(probability)
    if percent <= 0:
        return "<1%"
    if percent >= 100:
        return ">99%"
    return f"{percent}%"


def range_text(lower: float, upper: float) -> str:
    """`34–66%`; with an end shown `<1%` or `>99%`, both ends whole: `<1%–3%`."""
    low, high = percent_text(lower), percent_text(upper)
    if low == high:
        return low  # both ends past the same limit: `>99%`, not `>99%–>99%`
    if low[0].isdigit() and high[0].isdigit():
        return f"{low.removesuffix('%')}–{high}"
    return f"{low}–{high}"


def likelihood_ratio_interval(
    tp: float, fn: float, fp: float, tn: float, positive: bool
) -> tuple[float, float, float]:
    """LR+ (or LR−) of a 2×2 table with its 95% interval: (point, lower, upper).

    Log method (Simel DL, Samsa GP, Matchar DB, J Clin Epidemiol 1991;44:763–770):
    se(ln LR+) = √(1/TP − 1/(TP+FN) + 1/FP − 1/(FP+TN)), and for LR− the same with
    FN and TN; the bounds are exp(ln LR ± 1.96·se).

    Raises:
        ValueError: a cell the formula divides by is zero.
    """
    diseased, healthy = tp + fn, fp + tn
    if positive:
        hit, miss = tp, fp
    else:
        hit, miss = fn, tn
    if min(hit, miss, diseased, healthy) <= 0:
        raise ValueError("a zero cell: the log-method interval is undefined")
    ratio = (hit / diseased) / (miss / healthy)
    se = math.sqrt(1 / hit - 1 / diseased + 1 / miss - 1 / healthy)
    spread = Z_95 * se
    return ratio, ratio * math.exp(-spread), ratio * math.exp(spread)
