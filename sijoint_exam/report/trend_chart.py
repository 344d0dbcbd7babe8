"""The trend chart: pain NRS, ODI and positive tests across visits, three small panels.

Each panel has a fixed scale (NRS 0–10, ODI 0–100 %, positive tests 0 to the rule's
item count), so panels of different notes compare at a glance; a visit without a
value leaves a gap in the line rather than a made-up point.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, String

from sijoint_exam.domain.note import TrendChart, TrendPoint
from sijoint_exam.report import styles as look
from sijoint_exam.report.fonts import FontFamily

PANEL_GAP = 26.0
TITLE_ROOM = 14.0  # above the plot: the panel's title
DATE_ROOM = 14.0  # below the plot: the first and last dates
VALUE_ROOM = 10.0  # above the highest point: its value label
AXIS_ROOM = 18.0  # left of the plot: the scale


def _panel(
    drawing: Drawing,
    fonts: FontFamily,
    frame: tuple[float, float, float, float],
    title: str,
    points: tuple[TrendPoint, ...],
    value: Callable[[TrendPoint], float | None],
    top: float,
) -> None:
    x0, y0, width, height = frame
    plot_x, plot_y = x0 + AXIS_ROOM, y0 + DATE_ROOM
    plot_w = width - AXIS_ROOM - 6
    plot_h = height - DATE_ROOM - TITLE_ROOM - VALUE_ROOM

    def text(x: float, y: float, s: str, size: float, anchor: str = "start") -> None:
        drawing.add(
            String(x, y, s, fontName=fonts.regular, fontSize=size, textAnchor=anchor)
        )

    drawing.add(String(x0, y0 + height - 9, title, fontName=fonts.bold, fontSize=8))
    for level in (0.0, top):
        y = plot_y + plot_h * level / top
        drawing.add(
            Line(plot_x, y, plot_x + plot_w, y, strokeColor=look.GRID, strokeWidth=0.5)
        )
        text(plot_x - 3, y - 2.5, f"{level:g}", 6.5, "end")
    step = plot_w / max(len(points) - 1, 1)
    xs = [plot_x + i * step for i in range(len(points))]
    for i in sorted({0, len(points) - 1}):
        anchor = "start" if i == 0 else "end"
        text(xs[i], y0 + 3, points[i].date, 6.5, anchor)
    run: list[float] = []
    for x, point in zip(xs, points, strict=True):
        found = value(point)
        if found is None:
            _line(drawing, run)
            run = []
            continue
        y = plot_y + plot_h * min(max(found, 0.0), top) / top
        run += [x, y]
        drawing.add(Circle(x, y, 2, fillColor=look.TREND_LINE, strokeColor=None))
        text(x, y + 4, f"{found:g}", 7, "middle")
    _line(drawing, run)


def _line(drawing: Drawing, run: list[float]) -> None:
    if len(run) >= 4:
        drawing.add(PolyLine(run, strokeColor=look.TREND_LINE, strokeWidth=1.2))


def trend_chart(chart: TrendChart, fonts: FontFamily, width: float) -> Drawing:
    """Three panels side by side, `width` points wide.

    Args:
        chart: the visits, oldest first.
        fonts: the registered fonts for the labels (never an unembedded font).
        width: the drawing's width in points.
    """
    height = 96.0
    drawing = Drawing(width, height)
    # The renderer starts in Helvetica, a font reference that is not embedded.
    drawing.initialFontName = fonts.regular
    panel_w = (width - 2 * PANEL_GAP) / 3
    panels: tuple[tuple[str, Callable[[TrendPoint], float | None], float], ...] = (
        ("Pain NRS now (0–10)", lambda p: p.nrs, 10.0),
        ("ODI % (0–100)", lambda p: p.odi, 100.0),
        (chart.positive_label, lambda p: p.positive, float(max(chart.positive_max, 1))),
    )
    for index, (title, value, top) in enumerate(panels):
        frame = (index * (panel_w + PANEL_GAP), 0.0, panel_w, height)
        _panel(drawing, fonts, frame, title, chart.points, value, top)
    return drawing
