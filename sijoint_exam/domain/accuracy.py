"""Confidence intervals for diagnostic accuracy from a 2×2 table.

Wilson's score interval for a proportion (sensitivity, specificity) and the log method
for a likelihood ratio. Both are standard library only, so the domain, the cluster's
post-test range and the clinic's own accuracy share one implementation.

Sources: Wilson EB. J Am Stat Assoc 1927;22:209–212; Simel DL, Samsa GP, Matchar DB.
J Clin Epidemiol 1991;44(8):763–770.
"""

from __future__ import annotations

import math

# The 97.5th centile of the standard normal: two-sided 95% intervals.
Z_95 = 1.959963984540054

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


def _table(tp: int, fn: int, fp: int, tn: int) -> tuple[float, float, float, float]:
    cells = (tp, fn, fp, tn)
    if any(c < 0 for c in cells):
        raise ValueError("a 2×2 table has no negative counts")
    if tp + fn == 0:
        raise ValueError("no patient with the condition: the ratio is undefined")
    if fp + tn == 0:
        raise ValueError("no patient without the condition: the ratio is undefined")
    if 0 in cells:
        return tuple(c + ZERO_CELL_CORRECTION for c in cells)  # type: ignore[return-value]
    return float(tp), float(fn), float(fp), float(tn)


def likelihood_ratio_interval(
    tp: int, fn: int, fp: int, tn: int, positive: bool, z: float = Z_95
) -> tuple[float, float, float]:
    """(point, lower, upper) of LR+ (positive=True) or LR− by the log method.

    se(ln LR+) = √(1/TP − 1/(TP+FN) + 1/FP − 1/(FP+TN))
    se(ln LR−) = √(1/FN − 1/(TP+FN) + 1/TN − 1/(FP+TN))
    bounds exp(ln LR ± z·se), LR computed from the table itself (Simel 1991).
    A table with an empty cell gets 0.5 added to every cell first.
    """
    a, b, c, d = _table(tp, fn, fp, tn)
    diseased, healthy = a + b, c + d
    if positive:
        ratio = (a / diseased) / (c / healthy)
        se = math.sqrt(1 / a - 1 / diseased + 1 / c - 1 / healthy)
    else:
        ratio = (b / diseased) / (d / healthy)
        se = math.sqrt(1 / b - 1 / diseased + 1 / d - 1 / healthy)
    log_ratio = math.log(ratio)
    return ratio, math.exp(log_ratio - z * se), math.exp(log_ratio + z * se)
