"""A patient's progress: a trend chart of NRS, ODI and positive tests, and two
visits side by side.

The chart is drawn with QPainter rather than QtCharts: QtCharts ships only in
PySide6-Addons (a far larger download) and three small line charts need no more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.progress import ComparisonRow, TrendPoint


class _Series:
    """One measure to chart: its name, the y range, and how to read a point."""

    def __init__(
        self, name: str, top: Callable[[Sequence[TrendPoint]], float], value
    ) -> None:
        self.name = name
        self.top = top
        self.value = value


SERIES = (
    _Series("Pain now (NRS 0–10)", lambda _: 10, lambda p: p.nrs_now),
    _Series("ODI (%)", lambda _: 100, lambda p: p.odi_percent),
    _Series(
        "Positive provocation tests",
        lambda points: max((p.items for p in points), default=1),
        lambda p: p.positive,
    ),
)


class TrendChart(QWidget):
    """Three small line charts, one per measure, visits left to right by date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history.trend")
        self.setAccessibleName("Trend of pain, ODI and positive tests across visits")
        self.setMinimumSize(520, 360)
        self.points: list[TrendPoint] = []

    def set_points(self, points: Sequence[TrendPoint]) -> None:
        """Chart these visits (oldest first)."""
        self.points = list(points)
        self.setToolTip(
            "\n".join(
                f"{p.date_text}: NRS {p.nrs_now if p.nrs_now is not None else '—'}, "
                f"ODI {p.odi_percent if p.odi_percent is not None else '—'}, "
                f"{p.positive}/{p.items} positive"
                for p in self.points
            )
        )
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        line = self.palette().color(QPalette.ColorRole.Highlight)
        band = self.height() / len(SERIES)
        for index, series in enumerate(SERIES):
            area = QRectF(56, index * band + 22, self.width() - 76, band - 44)
            painter.setPen(text)
            painter.setFont(QFont(self.font().family(), 9))
            painter.drawText(QPointF(8, index * band + 16), series.name)
            painter.drawLine(area.bottomLeft(), area.bottomRight())
            top = series.top(self.points) or 1
            painter.drawText(QPointF(8, area.top() + 8), f"{top:g}")
            painter.drawText(QPointF(8, area.bottom()), "0")
            self._draw_series(painter, area, series, top, line)
        painter.end()

    def _draw_series(
        self, painter: QPainter, area: QRectF, series: _Series, top: float, colour
    ) -> None:
        count = len(self.points)
        step = area.width() / max(count - 1, 1)
        previous: QPointF | None = None
        painter.setPen(QPen(colour, 2))
        for i, point in enumerate(self.points):
            value = series.value(point)
            if value is None:
                previous = None  # a gap where the measure was not recorded
                continue
            x = area.left() + (step * i if count > 1 else area.width() / 2)
            here = QPointF(x, area.bottom() - area.height() * min(value / top, 1))
            if previous is not None:
                painter.drawLine(previous, here)
            painter.drawEllipse(here, 3, 3)
            # The value at the point, and the visit's date under the axis.
            painter.save()
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(here + QPointF(5, -5), f"{value:g}")
            left = min(max(x - 40, 0), self.width() - 80)  # whole at either end
            painter.drawText(
                QRectF(left, area.bottom() + 2, 80, 14),
                Qt.AlignmentFlag.AlignHCenter,
                point.date_text,
            )
            painter.restore()
            previous = here


class CompareDialog(QDialog):
    """Two visits measure by measure; changed rows bold, important ones marked."""

    def __init__(
        self,
        rows: Sequence[ComparisonRow],
        headers: tuple[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare visits")
        self.table = QTableWidget(len(rows), 3, self)
        self.table.setObjectName("history.compare")
        self.table.setHorizontalHeaderLabels(["", *headers])
        self.table.verticalHeader().hide()
        for r, row in enumerate(rows):
            cells = (row.label, row.earlier, row.later)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(
                    text + ("  ◆" if c == 2 and row.important else "")
                )
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if row.changed:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if row.important and c == 2:
                    item.setToolTip("A clinically important change")
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        # The two visits share what the measures leave, and wrap rather than
        # run off the edge of the dialog.
        header = self.table.horizontalHeader()
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        # Rows grow to their wrapped text whenever the columns change width.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        screen = (parent or self).screen().availableGeometry()
        self.resize(min(900, screen.width() - 40), min(600, screen.height() - 80))


class TrendDialog(QDialog):
    """The trend chart in its own window."""

    def __init__(
        self, points: Sequence[TrendPoint], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Trend across visits")
        self.chart = TrendChart(self)
        self.chart.set_points(points)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chart)
        layout.addWidget(buttons)
