"""SidewaysScroll: a wide table that scrolls sideways on its own.

A table of many narrow columns (a block's readings) cannot wrap as a row of buttons
can; in a box layout its width became the whole form's, and on a narrow window (or
at QT_SCALE_FACTOR=2) every row of the exam scrolled sideways with it. Inside this
area only the table scrolls, and the area is as tall as the table (never a second
vertical scroll bar inside the form's).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

NARROWEST = 160  # px: still shows a column and the scroll bar to reach the rest


class SidewaysScroll(QScrollArea):
    """Holds `content`; as tall as it, as narrow as the form gives."""

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the cells take the focus
        self.setWidget(content)
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        # A row added or removed: the area's height follows the table's.
        if event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def _height(self) -> int:
        content = self.widget()
        height = content.sizeHint().height() if content is not None else 0
        if content is not None and content.minimumSizeHint().width() > self.width():
            height += self.horizontalScrollBar().sizeHint().height()
        return height

    def sizeHint(self) -> QSize:  # Qt override
        content = self.widget()
        width = content.sizeHint().width() if content is not None else NARROWEST
        return QSize(width, self._height())

    def minimumSizeHint(self) -> QSize:  # Qt override
        return QSize(NARROWEST, self._height())
