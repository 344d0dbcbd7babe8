"""BodyChart: a figure of the pelvis and legs, back and front, with clickable regions.

The regions are exactly the catalogue's `PAIN_REGIONS` (left and right, low back to
foot, plus the midline sacrum). A region that shows in both views (knee, lower leg,
foot) toggles the same id from either. The back view is seen from behind (the
patient's left on the viewer's left), the front view face on (their left on the
right), as on a paper pain diagram; each leg is labelled.

Keyboard: Up/Down move between areas, Left/Right between sides, Space or Enter
toggles the focused region; the focused region is outlined and named in the
accessible description.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QTransform,
)
from PySide6.QtWidgets import QToolTip, QWidget

from sijoint_exam.domain.catalogue_measures import PAIN_AREAS, PAIN_REGIONS
from sijoint_exam.ui.tones import Tone, is_dark

MIDLINE = "midline_sacrum"
SIDES = ("left", "right")
# Figure units: two views of VIEW_W side by side under a caption band.
VIEW_W, FIGURE_H, CAPTION_H, GAP = 200.0, 476.0, 26.0, 20.0
FIGURE_W = 2 * VIEW_W + GAP
_BACK_X, _FRONT_X = 0.0, VIEW_W + GAP

# One half of each view (the viewer's left, x < 100), in view units. The polygons
# may overrun the body: each is cut to the outline. Areas absent from a view are
# not drawn there (no low back from the front, no groin from behind).
_LEG = {
    "knee": ((0, 268), (100, 268), (100, 302), (0, 302)),
    "lower_leg": ((0, 302), (100, 302), (100, 394), (0, 394)),
    "foot": ((0, 394), (100, 394), (100, 450), (0, 450)),
}
_BACK: dict[str, tuple[tuple[float, float], ...]] = {
    "low_back": ((0, 0), (100, 0), (100, 76), (0, 76)),
    "buttock": ((0, 76), (100, 76), (100, 166), (0, 166)),
    "posterior_thigh": ((0, 166), (100, 166), (100, 268), (0, 268)),
    **_LEG,
}
_FRONT: dict[str, tuple[tuple[float, float], ...]] = {
    "hip": ((0, 96), (62, 100), (62, 172), (0, 166)),
    "groin": ((62, 112), (100, 142), (100, 190), (62, 172)),
    "anterior_thigh": ((0, 166), (62, 172), (100, 190), (100, 268), (0, 268)),
    **_LEG,
}
_SACRUM = ((86, 80), (114, 80), (110, 118), (100, 142), (90, 118))
# The outline of one half, smoothed when drawn: waist, iliac crest, greater
# trochanter, down the outside of the leg to the heel and toes, then up the inside
# of the leg to the crotch.
_OUTLINE_HALF = (
    (62, 8), (55, 48), (45, 96), (40, 140), (42, 190), (47, 248), (52, 285),
    (50, 322), (56, 362), (64, 394), (60, 414), (54, 436), (72, 444), (90, 438),
    (88, 414), (85, 394), (88, 350), (91, 312), (92, 285), (95, 232), (100, 176),
)  # fmt: skip
# Up/Down order of the keyboard cursor (areas in body order, sacrum after back).
KEY_ROWS = ("low_back", MIDLINE, *[a for a in PAIN_AREAS if a != "low_back"])


def region_id(side: str, area: str) -> str:
    """`left` + `foot` -> `left_foot`; the sacrum has no side."""
    return MIDLINE if area == MIDLINE else f"{side}_{area}"


def region_label(region: str) -> str:
    """`left_posterior_thigh` -> `left posterior thigh` (its accessible name)."""
    return region.replace("_", " ")


@dataclass(frozen=True)
class _Shape:
    region: str
    path: QPainterPath  # figure units


def _polygon(points: Iterable[tuple[float, float]], dx: float, mirror: bool):
    pts = [
        QPointF(dx + (VIEW_W - x if mirror else x), CAPTION_H + y) for x, y in points
    ]
    path = QPainterPath()
    path.addPolygon(QPolygonF(pts))
    path.closeSubpath()
    return path


def _shapes(outlines: tuple[QPainterPath, QPainterPath]) -> list[_Shape]:
    """Every clickable shape, in paint order (the sacrum last, on top)."""
    shapes = []
    # Back view: the viewer's left half is the patient's left; front view: right.
    for dx, areas, viewer_left, outline in (
        (_BACK_X, _BACK, "left", outlines[0]),
        (_FRONT_X, _FRONT, "right", outlines[1]),
    ):
        for area, points in areas.items():
            for side in SIDES:
                cut = _polygon(points, dx, side != viewer_left).intersected(outline)
                shapes.append(_Shape(region_id(side, area), cut.simplified()))
    shapes.append(_Shape(MIDLINE, _polygon(_SACRUM, _BACK_X, False)))
    return shapes


def _outline(dx: float) -> QPainterPath:
    """The body, both halves, as a smooth closed curve through the points."""
    half = list(_OUTLINE_HALF)
    points = [
        QPointF(dx + x, CAPTION_H + y)
        for x, y in half + [(VIEW_W - x, y) for x, y in reversed(half[:-1])]
    ]

    def mid(a: QPointF, b: QPointF) -> QPointF:
        return (a + b) / 2

    path = QPainterPath(mid(points[-1], points[0]))
    for i, point in enumerate(points):
        path.quadTo(point, mid(point, points[(i + 1) % len(points)]))
    path.closeSubpath()
    return path


class BodyChart(QWidget):
    """Pain regions on a figure; `regions_changed` fires on every toggle."""

    regions_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pain.chart")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAccessibleName("Body chart of pain regions")
        self.setToolTip(
            "Body chart: click a region where the patient feels pain (click again to"
            " clear). Keys: arrows move, Space toggles."
        )
        # Three quarters of the figure at least: the pain section then fits the
        # exam column of a 1366 px window beside the region buttons.
        self.setMinimumSize(QSize(int(FIGURE_W * 0.75), int(FIGURE_H * 0.75)))
        self._outlines = (_outline(_BACK_X), _outline(_FRONT_X))
        self._shapes = _shapes(self._outlines)
        self._selected: set[str] = set()
        self._hover: str | None = None
        self._cursor = (0, "left")  # (row in KEY_ROWS, side)
        self._describe()

    # --- value --------------------------------------------------------------

    def regions(self) -> tuple[str, ...]:
        """The selected regions, in catalogue order (unknown ids kept at the end)."""
        order = {r: i for i, r in enumerate(PAIN_REGIONS)}
        return tuple(sorted(self._selected, key=lambda r: order.get(r, len(order))))

    def set_regions(self, regions: Iterable[str]) -> None:
        """Select exactly `regions`; emits `regions_changed` if that changes them."""
        new = set(regions)
        if new != self._selected:
            self._selected = new
            self._after_change()

    def set_region(self, region: str, selected: bool) -> None:
        """Select or clear one region."""
        if (region in self._selected) != selected:
            self._selected ^= {region}
            self._after_change()

    def toggle(self, region: str) -> None:
        """Flip one region."""
        self.set_region(region, region not in self._selected)

    def _after_change(self) -> None:
        self._describe()
        self.update()
        self.regions_changed.emit()

    # --- geometry -----------------------------------------------------------

    def _transform(self) -> QTransform:
        """Figure units to widget pixels: scaled to fit, centred."""
        scale = min(self.width() / FIGURE_W, self.height() / FIGURE_H)
        dx = (self.width() - FIGURE_W * scale) / 2
        dy = (self.height() - FIGURE_H * scale) / 2
        return QTransform(scale, 0, 0, scale, dx, dy)

    def region_at(self, pos: QPointF | QPoint) -> str | None:
        """The region under a widget position, or None."""
        inverse, _ = self._transform().inverted()
        point = inverse.map(QPointF(pos))
        for shape in reversed(self._shapes):  # topmost first
            if shape.path.contains(point):
                return shape.region
        return None

    def region_center(self, region: str) -> QPoint:
        """The widget position at the centre of the region's first shape."""
        shape = next(s for s in self._shapes if s.region == region)
        return self._transform().map(shape.path.boundingRect().center()).toPoint()

    def sizeHint(self) -> QSize:  # Qt override
        return QSize(int(FIGURE_W), int(FIGURE_H))

    def hasHeightForWidth(self) -> bool:  # Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # Qt override
        return int(width * FIGURE_H / FIGURE_W)

    # --- painting -----------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setTransform(self._transform())
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        for outline in self._outlines:
            painter.setPen(QPen(text, 2))
            painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.drawPath(outline)
        alert = QColor(Tone.ALERT.value[1 if is_dark(self) else 0])
        alert.setAlpha(200)
        hover = QColor(palette.color(QPalette.ColorRole.Highlight))
        hover.setAlpha(70)
        grid = QColor(palette.color(QPalette.ColorRole.Mid))
        for shape in self._shapes:
            selected = shape.region in self._selected
            painter.setPen(QPen(text if selected else grid, 1))
            if selected:
                painter.setBrush(alert)
            elif shape.region == self._hover:
                painter.setBrush(hover)
            elif shape.region == MIDLINE:  # on top of the buttocks: its own colour
                painter.setBrush(palette.color(QPalette.ColorRole.Base))
            else:
                painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(shape.path)
        if self.hasFocus():
            focus = self._focused_region()
            painter.setBrush(Qt.BrushStyle.NoBrush)
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 3)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            for shape in self._shapes:
                if shape.region == focus:
                    painter.drawPath(shape.path)
        self._paint_captions(painter, text)
        painter.end()

    def _paint_captions(self, painter: QPainter, colour: QColor) -> None:
        painter.setPen(colour)
        flags = Qt.AlignmentFlag.AlignCenter
        for dx, caption, viewer_left in (
            (_BACK_X, "Back", "L"),
            (_FRONT_X, "Front", "R"),
        ):
            painter.drawText(QRectF(dx, 0, VIEW_W, CAPTION_H), flags, caption)
            viewer_right = "R" if viewer_left == "L" else "L"
            for x, letter in ((20, viewer_left), (VIEW_W - 40, viewer_right)):
                painter.drawText(QRectF(dx + x, CAPTION_H + 40, 20, 20), flags, letter)

    # --- mouse and keyboard -------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        region = self.region_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and region is not None:
            self._move_cursor_to(region)
            self.toggle(region)
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # Qt override
        region = self.region_at(event.position())
        if region != self._hover:
            self._hover = region
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:  # Qt override
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def event(self, event: QEvent) -> bool:  # Qt override
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            region = self.region_at(event.pos())
            if region is not None:
                state = "pain" if region in self._selected else "no pain recorded"
                QToolTip.showText(
                    event.globalPos(), f"{region_label(region)}: {state}", self
                )
                return True
        return super().event(event)

    def focusInEvent(self, event) -> None:  # Qt override
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # Qt override
        self.update()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        row, side = self._cursor
        key = Qt.Key(event.key())
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 1 if key is Qt.Key.Key_Down else -1
            self._cursor = ((row + step) % len(KEY_ROWS), side)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._cursor = (row, "left" if side == "right" else "right")
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.toggle(self._focused_region())
            return
        else:
            super().keyPressEvent(event)
            return
        self._describe()
        self.update()

    def _focused_region(self) -> str:
        row, side = self._cursor
        return region_id(side, KEY_ROWS[row])

    def _move_cursor_to(self, region: str) -> None:
        if region == MIDLINE:
            self._cursor = (KEY_ROWS.index(MIDLINE), self._cursor[1])
            return
        side, _, area = region.partition("_")
        if area in KEY_ROWS:
            self._cursor = (KEY_ROWS.index(area), side)

    def _describe(self) -> None:
        """Name the focused region and the selection for assistive technology."""
        focus = self._focused_region()
        state = "selected" if focus in self._selected else "not selected"
        chosen = ", ".join(region_label(r) for r in self.regions()) or "none"
        self.setAccessibleDescription(
            f"Focused: {region_label(focus)}, {state}. Pain regions: {chosen}."
        )
