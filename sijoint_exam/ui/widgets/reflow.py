"""Reflow: parts side by side on a wide form, one under the other on a narrow one.

A box layout asks for the sum of its parts' widths, so two columns side by side
(history | referral, the region buttons | the body chart) made the whole exam scroll
sideways on a narrow window or at QT_SCALE_FACTOR=2. Reflow asks only for its widest
part and turns its row into a column when the row does not fit.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QWidget

_ROW = QBoxLayout.Direction.LeftToRight
_COLUMN = QBoxLayout.Direction.TopToBottom


class Reflow(QWidget):
    """A row of parts that becomes a column when narrower than the row needs."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 12) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(_ROW, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)
        self._parts: list[QWidget] = []

    def add(self, part: QWidget, stretch: int = 0) -> None:
        self._parts.append(part)
        self.box.addWidget(part, stretch)

    @property
    def is_row(self) -> bool:
        return self.box.direction() == _ROW

    def _row_width(self) -> int:
        widths = [
            p.minimumSizeHint().expandedTo(p.minimumSize()).width() for p in self._parts
        ]
        return sum(widths) + self.box.spacing() * max(len(widths) - 1, 0)

    def minimumSizeHint(self) -> QSize:  # Qt override
        """As narrow as the widest part: the column is always possible."""
        if self.is_row:
            heights = [p.minimumSizeHint().height() for p in self._parts]
            height = max(heights, default=0)
        else:
            height = self.box.minimumSize().height()
        widths = [p.minimumSizeHint().width() for p in self._parts]
        return QSize(max(widths, default=0), height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        wanted = _ROW if event.size().width() >= self._row_width() else _COLUMN
        if self.box.direction() != wanted:
            self.box.setDirection(wanted)
            self.updateGeometry()  # a column is taller: the form makes room
