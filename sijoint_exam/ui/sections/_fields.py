"""Small builders shared by the exam sections: named inputs, combos, yes/no, dates.

Every input gets an object name (`section.item[.side]`), a tooltip saying what it
records (also its accessible name) and a touch-sized height.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import QDate, QObject, Qt
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from sijoint_exam.ui.widgets.choice_buttons import NOT_RECORDED, Choice, ChoiceButtons
from sijoint_exam.ui.widgets.date_field import DateField
from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX

E = TypeVar("E", bound=Enum)
W = TypeVar("W", bound=QWidget)

# Acronyms the plain "words of the id" rule would spoil (`asis` -> `Asis`).
_ACRONYMS = {"asis": "ASIS", "psis": "PSIS", "ila": "ILA", "ct": "CT"}


def words(value: str) -> str:
    """A catalogue id in words, as the note writes it: `posterior_thigh` -> ..."""
    return _ACRONYMS.get(value, value.replace("_", " "))


def heading(value: str) -> str:
    """A catalogue id as a label: `iliac_crest` -> `Iliac crest`, `asis` -> `ASIS`."""
    text = words(value)
    return text if value in _ACRONYMS else text[:1].upper() + text[1:]


def named(widget: W, name: str, tip: str) -> W:
    """Give `widget` its object name, tooltip, accessible name and touch height."""
    widget.setObjectName(name)
    widget.setToolTip(tip)
    widget.setAccessibleName(tip)
    widget.setMinimumHeight(MIN_TOUCH_PX)
    return widget


def form_layout() -> QFormLayout:
    """A form whose labels sit level with their (touch-tall) fields."""
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    # A field that does not fit beside its label goes under it, rather than the
    # whole form scrolling sideways on a narrow window.
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


def add_row(form: QFormLayout, text: str, field: QWidget | object) -> None:
    """A form row whose label sits level with its touch-tall field and names it."""
    label = QLabel(text)
    label.setMinimumHeight(MIN_TOUCH_PX)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    if isinstance(field, QWidget):
        label.setBuddy(field)
        form.addRow(label, field)
    else:
        form.addRow(label, field)  # a layout


def layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets of `layout` and its nested layouts, in the order they were
    placed (a form: row by row), which is the order they are seen in."""
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            found.append(widget)
        elif inner is not None:
            found += layout_widgets(inner)
    return found


def chain_focus(widgets: Sequence[QWidget | None]) -> None:
    """Tab visits `widgets` in this order (those that take Tab focus), starting
    after the first one.

    Qt puts a widget made after the window at the end of the window's Tab chain:
    rows added later (block readings, new blocks, patterns) would be reached only
    after the last field of the form. Chaining them from a widget already in
    place, to the next one in place, puts them where they are seen.
    """
    focusable = [
        w
        for i, w in enumerate(widgets)
        if w is not None and (i == 0 or w.focusPolicy() & Qt.FocusPolicy.TabFocus)
    ]
    for first, second in zip(focusable, focusable[1:], strict=False):
        QWidget.setTabOrder(first, second)


def out_of_tab_path(widget: W) -> W:
    """A button that destroys data: clicked on purpose, never reached by Tab and
    never pressed by an Enter meant for something else."""
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if hasattr(widget, "setAutoDefault"):
        widget.setAutoDefault(False)
    return widget


def line_edit(name: str, tip: str, parent: QWidget) -> QLineEdit:
    return named(QLineEdit(parent), name, tip)


def date_field(
    name: str, tip: str, label: str, parent: QWidget, *, required: bool = False
) -> DateField:
    """A date typed as `yyyy-mm-dd`; `label` names it in messages ("Onset")."""
    return named(DateField(label, parent, required=required), name, tip)


class WholeNumberValidator(QValidator):
    """Blank, or a whole number from `low` to `high` in ASCII digits; anything else
    cannot be typed (QIntValidator lets "600" stand in a 0–520 field)."""

    def __init__(self, low: int, high: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.low, self.high = low, high

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if text == "" or (
            text.isascii() and text.isdigit() and self.low <= int(text) <= self.high
        ):
            return QValidator.State.Acceptable, text, pos
        return QValidator.State.Invalid, text, pos


def whole_number_edit(
    name: str, tip: str, low: int, high: int, parent: QWidget
) -> QLineEdit:
    """A line for a whole number from `low` to `high`; blank is not recorded."""
    edit = line_edit(name, tip, parent)
    edit.setValidator(WholeNumberValidator(low, high, edit))
    edit.setMaxLength(len(str(high)))
    edit.setPlaceholderText("not recorded")
    return edit


def whole_number(edit: QLineEdit) -> int | None:
    """A `whole_number_edit`'s value (None: blank, not recorded)."""
    text = edit.text().strip()
    return int(text) if text.isascii() and text.isdigit() else None


def text_edit(name: str, tip: str, parent: QWidget, lines: int = 2) -> QPlainTextEdit:
    """A short multi-line field; Tab moves on rather than typing a tab."""
    edit = named(QPlainTextEdit(parent), name, tip)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * lines + 16
    edit.setFixedHeight(max(MIN_TOUCH_PX, height))
    return edit


COMBO_MIN_CHARACTERS = 10


def combo(
    name: str, tip: str, choices: Iterable[tuple[str, str]], parent: QWidget
) -> QComboBox:
    """A combo of (text, value) pairs. Item data are strings only: see exam_form."""
    box = named(QComboBox(parent), name, tip)
    longest = 0
    for text, value in choices:
        box.addItem(text, value)
        longest = max(longest, len(text))
    if longest > COMBO_MIN_CHARACTERS:
        # As wide as the form gives, not as its longest choice: a long choice
        # would widen the whole form on a narrow window (the list still opens
        # as wide as its choices).
        box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        box.setMinimumContentsLength(COMBO_MIN_CHARACTERS)
    return box


def enum_choices(
    members: Iterable[Enum], blank: str | None = "—"
) -> list[tuple[str, str]]:
    """(label, value) for each member, after an optional "not recorded" entry."""
    first = [(blank, NOT_RECORDED)] if blank is not None else []
    return first + [(heading(str(m.value)), str(m.value)) for m in members]


def select(box: QComboBox, value: str | Enum | None) -> None:
    """Show `value` (None: the not-recorded entry)."""
    data = NOT_RECORDED if value is None else str(getattr(value, "value", value))
    box.setCurrentIndex(max(box.findData(data), 0))


def enum_value(kind: type[E], box: QComboBox) -> E | None:
    """The combo's value as a member of `kind`, or None when not recorded."""
    data = box.currentData()
    return None if data in (None, NOT_RECORDED) else kind(data)


YES_NO = (
    Choice(NOT_RECORDED, "Not recorded", "R"),
    Choice("yes", "Yes", "Y"),
    Choice("no", "No", "N"),
)


def yes_no(name: str, description: str, parent: QWidget) -> ChoiceButtons:
    """Yes / no / not recorded as touch buttons (keys Y, N, R)."""
    buttons = ChoiceButtons(description, YES_NO, parent)
    buttons.setObjectName(name)
    return buttons


def to_yes_no(value: bool | None) -> str:
    return NOT_RECORDED if value is None else ("yes" if value else "no")


def from_yes_no(value: str) -> bool | None:
    return None if value == NOT_RECORDED else value == "yes"


def number_value(value: str) -> int | None:
    """A ChoiceButtons number (`""` not recorded)."""
    return None if value == NOT_RECORDED else int(value)


def number_text(value: int | None) -> str:
    return NOT_RECORDED if value is None else str(value)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def output(name: str, parent: QWidget, accessible: str = "") -> QLabel:
    """A read-only label for a derived value (computed by the domain)."""
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if accessible:
        label.setAccessibleName(accessible)
    return label


def lines_of(edit: QPlainTextEdit) -> tuple[str, ...]:
    """One entry per non-blank line."""
    return tuple(line for line in edit.toPlainText().split("\n") if line.strip())


def join_lines(values: Sequence[str]) -> str:
    return "\n".join(values)
