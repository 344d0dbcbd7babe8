"""The body chart and the trend chart: what is filled, where, and in which font."""

from __future__ import annotations

import pytest
from reportlab.graphics.shapes import (
    Circle,
    Drawing,
    Ellipse,
    Polygon,
    PolyLine,
    String,
)

from sijoint_exam.domain.catalogue_measures import PAIN_REGIONS
from sijoint_exam.domain.note import TrendChart, TrendPoint
from sijoint_exam.report import styles as look
from sijoint_exam.report.body_chart import VIEW_WIDTH, body_chart
from sijoint_exam.report.fonts import register_fonts
from sijoint_exam.report.trend_chart import trend_chart


def _filled(drawing: Drawing) -> list[Polygon | Ellipse]:
    """The filled regions (the legend's swatch is a Rect, not a region)."""
    return [
        s
        for s in drawing.contents
        if isinstance(s, Polygon | Ellipse) and s.fillColor == look.MARKED_FILL
    ]


def _centre_x(shape: Polygon | Ellipse) -> float:
    if isinstance(shape, Ellipse):
        return shape.cx
    xs = shape.points[0::2]
    return (min(xs) + max(xs)) / 2


def _chart(*regions: str) -> Drawing:
    return body_chart(regions, register_fonts(), 170)


def test_nothing_marked_nothing_filled():
    assert _filled(_chart()) == []


@pytest.mark.parametrize(
    ("region", "views"),
    [
        ("left_buttock", 1),  # back only
        ("left_groin", 1),  # front only
        ("left_hip", 2),  # the side of the hip shows on both views
        ("left_foot", 2),
        ("midline_sacrum", 1),
    ],
)
def test_a_region_is_filled_on_each_view_that_shows_it(region, views):
    assert len(_filled(_chart(region))) == views


def test_every_region_of_the_catalogue_can_be_drawn():
    assert len(_filled(_chart(*PAIN_REGIONS))) == 2 * (7 + 6) + 1


def test_left_is_on_the_left_from_behind_and_on_the_right_from_the_front():
    drawing = _chart("left_foot")
    scale = (170 - 16) / 200
    view = VIEW_WIDTH * scale
    back, front = sorted(_centre_x(s) for s in _filled(drawing))
    assert back < view / 2  # the back view: the patient's left is the viewer's left
    front_left_edge = view + 26 * scale
    assert front > front_left_edge + view / 2  # the front view: mirrored


def test_right_buttock_is_on_the_right_from_behind():
    (shape,) = _filled(_chart("right_buttock"))
    assert _centre_x(shape) > VIEW_WIDTH * (170 - 16) / 200 / 2


@pytest.mark.parametrize("make", ["body", "trend"])
def test_labels_use_the_embedded_fonts(make):
    fonts = register_fonts()
    if make == "body":
        drawing = _chart("left_buttock")
    else:
        points = (
            TrendPoint("2026-01-01", 5, 40.0, 2),
            TrendPoint("2026-02-01", 3, 20.0, 1),
        )
        drawing = trend_chart(TrendChart(points, "Positive tests (0–5)", 5), fonts, 480)
    labels = [s for s in drawing.contents if isinstance(s, String)]
    assert labels and {s.fontName for s in labels} <= {fonts.regular, fonts.bold}
    assert drawing.initialFontName == fonts.regular  # never Helvetica, unembedded


def test_trend_lines_leave_a_gap_where_a_value_is_missing():
    points = (
        TrendPoint("2026-01-01", 8, None, 3),
        TrendPoint("2026-02-01", None, 60.0, 2),
        TrendPoint("2026-03-01", 4, 40.0, 1),
        TrendPoint("2026-04-01", 2, 30.0, 0),
    )
    drawing = trend_chart(
        TrendChart(points, "Positive tests (0–5)", 5), register_fonts(), 480
    )
    lines = [s for s in drawing.contents if isinstance(s, PolyLine)]
    # NRS: a lone point, then a line of two; ODI: a line of three; positives: four.
    assert sorted(len(line.points) // 2 for line in lines) == [2, 3, 4]
    assert len([s for s in drawing.contents if isinstance(s, Circle)]) == 3 + 3 + 4
    values = {s.text for s in drawing.contents if isinstance(s, String)}
    assert {"8", "4", "2", "60", "40", "30"} <= values
    assert {"2026-01-01", "2026-04-01"} <= values


def test_values_above_the_scale_are_drawn_at_its_top():
    points = (
        TrendPoint("2026-01-01", 10, 100.0, 7),
        TrendPoint("2026-02-01", 0, 0.0, 0),
    )
    drawing = trend_chart(
        TrendChart(points, "Positive tests (0–5)", 5), register_fonts(), 480
    )
    heights = [s.cy for s in drawing.contents if isinstance(s, Circle)]
    assert max(heights) <= drawing.height
