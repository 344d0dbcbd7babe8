"""DateField: a date typed as it is shown, `yyyy-mm-dd`, in one field.

A QDateEdit splits a date into year, month and day sections: Tab walks the
sections, typed digits land in whichever section has the cursor, and an impossible
day is quietly moved to a possible one. At the table that stored dates nobody typed.
Here the date is plain text checked as a whole: Tab leaves the field, and a date
that does not exist is refused with a message naming the field, never changed.
A calendar button beside the text picks a date with the mouse or a finger.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QColor,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QRegularExpressionValidator,
)
from PySide6.QtWidgets import QCalendarWidget, QLineEdit, QWidget

from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX

# What may be typed on the way to a date: digits and the two dashes of ISO 8601,
# or eight digits run together (19620730).
_TYPING = QRegularExpression(r"\d{0,8}|\d{4}-\d{0,2}(-\d{0,2})?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{4})(\d{2})(\d{2})")
FORMAT_HINT = "yyyy-mm-dd"


def parse_date(text: str) -> dt.date | None:
    """The date `text` names (`1962-07-30`, `1962-7-30`, `19620730`), or None
    when it is not a whole date or the day does not exist."""
    match = _ISO.fullmatch(text.strip())
    if match is None:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    try:
        return dt.date(*parts)
    except ValueError:  # 2026-02-30, month 13
        return None


def _calendar_icon(widget: QWidget) -> QIcon:
    """A small calendar drawn in the palette's text colour (no icon theme needed)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setPen(widget.palette().color(QPalette.ColorRole.Text))
    painter.drawRect(4, 7, 24, 21)
    painter.fillRect(4, 7, 25, 6, widget.palette().color(QPalette.ColorRole.Text))
    for row in range(2):
        for column in range(4):
            painter.drawRect(8 + column * 5, 16 + row * 5, 2, 2)
    painter.end()
    return QIcon(pixmap)


class DateField(QLineEdit):
    """One date, typed as `yyyy-mm-dd`; blank means not recorded.

    `label` is the field's name in the clinic's words ("Date of birth"): problems
    are said with it. A `required` field that is blank is a problem.
    """

    date_changed = Signal()

    def __init__(
        self, label: str, parent: QWidget | None = None, *, required: bool = False
    ) -> None:
        super().__init__(parent)
        self.label = label
        self.required = required
        self.setPlaceholderText(FORMAT_HINT if required else f"{FORMAT_HINT} or blank")
        self.setValidator(QRegularExpressionValidator(_TYPING, self))
        self.setMaxLength(10)
        self.setMinimumHeight(MIN_TOUCH_PX)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 64)
        self._calendar: QCalendarWidget | None = None
        pick = QAction(_calendar_icon(self), f"Choose the {label.lower()}", self)
        pick.triggered.connect(self._show_calendar)
        self.addAction(pick, QLineEdit.ActionPosition.TrailingPosition)
        self.textChanged.connect(self.date_changed)
        self.editingFinished.connect(self._tidy)

    # --- value ----------------------------------------------------------------

    def date(self) -> dt.date | None:
        """The date typed, or None (blank, unfinished or impossible)."""
        return parse_date(self.text())

    def set_date(self, day: dt.date | None) -> None:
        """Show `day` (None: blank)."""
        self.setText("" if day is None else day.isoformat())

    def problem(self) -> str:
        """What is wrong with the text, after the field's name ("" when nothing)."""
        text = self.text().strip()
        if not text:
            return "is required" if self.required else ""
        if self.date() is None:
            return f"{text} is not a date ({FORMAT_HINT})"
        return ""

    @Slot()
    def _tidy(self) -> None:
        """`1962-7-30` reads back as `1962-07-30` once typed: the same date."""
        day = self.date()
        if day is not None and self.text() != day.isoformat():
            self.set_date(day)

    # --- calendar ---------------------------------------------------------------

    @Slot()
    def _show_calendar(self) -> None:
        if self._calendar is None:
            self._calendar = QCalendarWidget(self)
            self._calendar.setWindowFlags(Qt.WindowType.Popup)
            self._calendar.setObjectName(f"{self.objectName()}.calendar")
            self._calendar.clicked.connect(self._picked)
            self._calendar.activated.connect(self._picked)
        day = self.date()
        if day is not None:
            self._calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self._calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self._calendar.show()
        self._calendar.setFocus()

    @Slot(QDate)
    def _picked(self, day: QDate) -> None:
        assert self._calendar is not None
        self._calendar.hide()
        self.set_date(dt.date(day.year(), day.month(), day.day()))
        self.setFocus()
