"""Progress across visits: trend points and the comparison of two visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sijoint_exam.domain.catalogue import Result
from sijoint_exam.domain.outcomes import Odi, Pain
from sijoint_exam.domain.progress import compare, trend
from sijoint_exam.domain.visit import ProvocationFinding


def test_trend_is_oldest_first_with_each_visits_measures(sample_visit):
    later = sample_visit(
        date=dt.date(2026, 12, 4),
        pain=Pain(now=3),
        odi=Odi(answers=(1,) * 10),
    )
    earlier = sample_visit(date=dt.date(2026, 11, 20), pain=Pain(now=6))
    points = trend([later, earlier])
    assert [p.date_text for p in points] == ["2026-11-20", "2026-12-04"]
    assert [p.nrs_now for p in points] == [6, 3]
    assert [p.odi_percent for p in points] == [None, 20.0]  # 10 / 50 × 100
    assert [(p.positive, p.items) for p in points] == [(3, 5), (3, 5)]


def rows_by_label(earlier, later):
    return {row.label: row for row in compare(earlier, later)}


def test_nrs_change_of_two_points_is_important_one_is_not(sample_visit):
    rows = rows_by_label(
        sample_visit(pain=Pain(now=6, best_24h=5)),
        sample_visit(pain=Pain(now=4, best_24h=4)),
    )
    assert rows["Pain now (NRS)"].important  # 2 points
    assert not rows["Pain best 24 h"].important  # 1 point and 20%
    assert rows["Pain best 24 h"].changed


def test_nrs_thirty_percent_is_important(sample_visit):
    rows = rows_by_label(
        sample_visit(pain=Pain(worst_24h=3)), sample_visit(pain=Pain(worst_24h=2))
    )
    assert rows["Pain worst 24 h"].important  # 1 of 3 = 33%


def test_odi_change_of_ten_points_is_important(sample_visit):
    rows = rows_by_label(
        sample_visit(odi=Odi(answers=(3,) * 10)),  # 60%
        sample_visit(odi=Odi(answers=(2,) * 10)),  # 40%
    )
    assert rows["ODI"].important
    assert rows["ODI"].earlier.startswith("60.0%")


def test_each_test_and_side_is_compared(sample_visit):
    earlier = sample_visit()
    later = replace(
        earlier,
        provocation={
            **earlier.provocation,
            "gaenslen": ProvocationFinding(left=Result.NEGATIVE),
        },
    )
    rows = rows_by_label(earlier, later)
    assert (rows["Gaenslen left"].earlier, rows["Gaenslen left"].later) == (
        "Positive",
        "Negative",
    )
    assert not rows["Thigh thrust (P4) left"].changed
    assert rows["Cluster"].later.startswith("2 of 5 positive")
