"""Confidence intervals for diagnostic accuracy from a 2×2 table.

Wilson's score interval for a proportion (sensitivity, specificity) and the log method
for a likelihood ratio (`likelihood`, shared with the cluster's post-test range), with
the correction a clinic's small table needs.

Sources: Wilson EB. J Am Stat Assoc 1927;22:209–212; Simel DL, Samsa GP, Matchar DB.
J Clin Epidemiol 1991;44(8):763–770.
"""

from __future__ import annotations

import math

from sijoint_exam.domain import likelihood

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
        corrected = tuple(c + ZERO_CELL_CORRECTION for c in cells)
        return likelihood.likelihood_ratio_interval(*corrected, positive=positive)  # type: ignore[arg-type]
    return likelihood.likelihood_ratio_interval(tp, fn, fp, tn, positive=positive)
