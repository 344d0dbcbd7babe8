"""Wilson and log-method intervals against hand-worked and published figures.

van der Wurff 2006's 2×2 (TP 23, FN 4, FP 7, TN 26): Sn 23/27 = 0.85 (0.68–0.94) by
Wilson (1927); LR+ 4.02 (2.04–7.90) and LR− 0.19 (0.07–0.47) by the log method
(Simel 1991). The zero-count bounds are the closed forms z²/(n+z²) and n/(n+z²).
"""

from __future__ import annotations

import math

import pytest

from sijoint_exam.domain.accuracy import (
    Z_95,
    likelihood_ratio_interval,
    wilson_interval,
)


def _rounded(values: tuple[float, ...], places: int) -> tuple[float, ...]:
    return tuple(round(v, places) for v in values)


def test_wilson_sensitivity_of_van_der_wurff() -> None:
    assert _rounded(wilson_interval(23, 27), 2) == (0.85, 0.68, 0.94)


def test_wilson_specificity_of_van_der_wurff() -> None:
    # 26/33 = 0.788; by hand: centre 0.758, half-width 0.135.
    assert _rounded(wilson_interval(26, 33), 2) == (0.79, 0.62, 0.89)


def test_wilson_with_no_successes_keeps_a_real_upper_bound() -> None:
    z2 = Z_95**2
    point, lower, upper = wilson_interval(0, 10)
    assert (point, lower) == (0.0, 0.0)
    assert upper == pytest.approx(z2 / (10 + z2))  # 0.278, not the Wald interval's 0


def test_wilson_with_every_case_a_success() -> None:
    z2 = Z_95**2
    point, lower, upper = wilson_interval(10, 10)
    assert (point, upper) == (1.0, 1.0)
    assert lower == pytest.approx(10 / (10 + z2))


@pytest.mark.parametrize(("successes", "total"), [(1, 0), (-1, 5), (6, 5)])
def test_wilson_refuses_impossible_counts(successes: int, total: int) -> None:
    with pytest.raises(ValueError):
        wilson_interval(successes, total)


def test_positive_likelihood_ratio_of_van_der_wurff() -> None:
    assert _rounded(likelihood_ratio_interval(23, 4, 7, 26, positive=True), 2) == (
        4.02,
        2.04,
        7.90,
    )


def test_negative_likelihood_ratio_of_van_der_wurff() -> None:
    assert _rounded(likelihood_ratio_interval(23, 4, 7, 26, positive=False), 2) == (
        0.19,
        0.07,
        0.47,
    )


def test_interval_is_symmetric_on_the_log_scale() -> None:
    point, lower, upper = likelihood_ratio_interval(15, 1, 6, 21, positive=True)
    assert math.log(point) - math.log(lower) == pytest.approx(
        math.log(upper) - math.log(point)
    )


def test_empty_cell_gets_haldane_correction_instead_of_dividing_by_zero() -> None:
    # No false positives: 10.5/11 ÷ 0.5/11 = 21 after adding 0.5 to every cell;
    # se = √(1/10.5 − 1/11 + 1/0.5 − 1/11) = 1.3844.
    point, lower, upper = likelihood_ratio_interval(10, 0, 0, 10, positive=True)
    assert point == pytest.approx(21.0)
    se = math.sqrt(1 / 10.5 - 1 / 11 + 1 / 0.5 - 1 / 11)
    assert lower == pytest.approx(21.0 * math.exp(-Z_95 * se))
    assert upper == pytest.approx(21.0 * math.exp(Z_95 * se))


@pytest.mark.parametrize(
    "table",
    [(0, 0, 5, 5), (5, 5, 0, 0), (-1, 3, 4, 5)],
    ids=["no-cases", "no-controls", "negative"],
)
def test_ratio_refuses_a_table_without_both_groups(table: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        likelihood_ratio_interval(*table, positive=True)
