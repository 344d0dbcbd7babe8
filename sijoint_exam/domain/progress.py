"""Progress across visits: the trend of NRS, ODI and positive tests, and a
side-by-side comparison of two visits with the changes that matter clinically.

Shared by the window (trend chart, comparison) and the visit note (trend).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sijoint_exam.domain import cluster
from sijoint_exam.domain.catalogue import (
    RESULT_SHORT_LABELS,
    TESTS_BY_ID,
    Side,
)
from sijoint_exam.domain.outcomes import (
    nrs_change_is_important,
    odi_change_is_important,
    odi_score,
)
from sijoint_exam.domain.visit import Visit


@dataclass(frozen=True)
class TrendPoint:
    """One visit's headline measures."""

    date_text: str
    nrs_now: int | None
    odi_percent: float | None
    positive: int  # provocation items positive under the visit's own rule
    items: int  # items in that rule


def trend(visits: Sequence[Visit]) -> list[TrendPoint]:
    """The headline measures of each visit, oldest first."""
    points = []
    for visit in sorted(visits, key=lambda v: v.date):
        tally = cluster.evaluate(visit)
        points.append(
            TrendPoint(
                date_text=visit.date.isoformat(),
                nrs_now=visit.pain.now,
                odi_percent=odi_score(visit.odi).percent,
                positive=tally.positive,
                items=len(tally.items),
            )
        )
    return points


@dataclass(frozen=True)
class ComparisonRow:
    """A measure in two visits; `important` marks a clinically important change."""

    label: str
    earlier: str
    later: str
    important: bool = False

    @property
    def changed(self) -> bool:
        return self.earlier != self.later


def _text(value: object) -> str:
    return "—" if value is None else str(value)


def _nrs_row(label: str, before: int | None, after: int | None) -> ComparisonRow:
    important = (
        before is not None
        and after is not None
        and nrs_change_is_important(before, after)
    )
    return ComparisonRow(label, _text(before), _text(after), important)


def compare(earlier: Visit, later: Visit) -> list[ComparisonRow]:
    """The two visits measure by measure, in the order of the note."""
    rows = [
        ComparisonRow("Date", earlier.date.isoformat(), later.date.isoformat()),
        ComparisonRow("Clinician", earlier.clinician, later.clinician),
        ComparisonRow(
            "Symptomatic side",
            earlier.symptomatic_side.value,
            later.symptomatic_side.value,
        ),
        _nrs_row("Pain now (NRS)", earlier.pain.now, later.pain.now),
        _nrs_row("Pain best 24 h", earlier.pain.best_24h, later.pain.best_24h),
        _nrs_row("Pain worst 24 h", earlier.pain.worst_24h, later.pain.worst_24h),
    ]
    odi_before, odi_after = odi_score(earlier.odi), odi_score(later.odi)
    rows.append(
        ComparisonRow(
            "ODI",
            odi_before.text,
            odi_after.text,
            odi_before.percent is not None
            and odi_after.percent is not None
            and odi_change_is_important(odi_before.percent, odi_after.percent),
        )
    )
    rows.append(
        ComparisonRow("ASLR total", _text(earlier.aslr.total), _text(later.aslr.total))
    )
    for test in TESTS_BY_ID.values():
        sides = list(Side) if test.lateral else [None]
        for side in sides:
            label = test.name + (f" {side.value}" if side else "")
            rows.append(
                ComparisonRow(
                    label,
                    _result(earlier, test.id, side),
                    _result(later, test.id, side),
                )
            )
    rows.append(
        ComparisonRow(
            "Cluster",
            cluster.evaluate(earlier).summary,
            cluster.evaluate(later).summary,
        )
    )
    return rows


def _result(visit: Visit, test_id: str, side: Side | None) -> str:
    finding = visit.finding(test_id)
    result = finding.on_side(side) if side else finding.result
    return RESULT_SHORT_LABELS[result]
