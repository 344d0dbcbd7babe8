"""FindingSelector: one test result (on one side) as a row of touch-sized buttons.

Keyboard: when the selector has focus, a single key records the result (P positive,
O other pain, N negative, T not tested, U unable) and asks to go on to the next
result (`next_requested`: the section knows which), as Enter does without
recording; Left/Right step through values and stay. The buttons themselves take
no focus, so Tab moves from field to field.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QToolButton, QWidget

from sijoint_exam.domain.catalogue import RESULT_LABELS, RESULT_SHORT_LABELS, Result
from sijoint_exam.ui.widgets.flow_layout import FlowLayout

# Single-key entry, in button order; also documented in the tooltip.
RESULT_KEYS: dict[Qt.Key, Result] = {
    Qt.Key.Key_P: Result.POSITIVE,
    Qt.Key.Key_O: Result.POSITIVE_OTHER,
    Qt.Key.Key_N: Result.NEGATIVE,
    Qt.Key.Key_T: Result.NOT_TESTED,
    Qt.Key.Key_U: Result.UNABLE,
}
_KEY_LETTER = {result: key.name[-1] for key, result in RESULT_KEYS.items()}
_ORDER = tuple(RESULT_KEYS.values())
MIN_TOUCH_PX = 44  # a gloved fingertip; common touch-target guidance


class FindingSelector(QWidget):
    """Pick one `Result`; emits `result_changed` on every user or program change."""

    result_changed = Signal(str)
    next_requested = Signal()  # a result key or Enter: on to the next result

    def __init__(self, description: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # A visible focus ring: at the table the clinician must see which test the
        # next key press records.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # The chosen result must read at a glance from a step away: filled and bold.
        self.setStyleSheet(
            "FindingSelector { border: 2px solid transparent; border-radius: 4px; }"
            "FindingSelector:focus { border-color: palette(highlight); }"
            "QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); font-weight: bold; }"
        )
        self.setAccessibleName(description)
        keys = ", ".join(f"{_KEY_LETTER[r]} {RESULT_LABELS[r].lower()}" for r in _ORDER)
        self.setAccessibleDescription(
            f"Keys: {keys}, each moving on to the next test; left and right arrows"
            " step; Enter moves on without recording."
        )
        self.setToolTip(
            f"{description}. Keys: {keys} (each moves on); arrows step;"
            " Enter: next test."
        )
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        # The buttons wrap onto a second line rather than widen the form.
        layout = FlowLayout(self)
        self._buttons: dict[Result, QToolButton] = {}
        for result in _ORDER:
            button = QToolButton(self)
            button.setText(RESULT_SHORT_LABELS[result])
            button.setToolTip(f"{RESULT_LABELS[result]} (key {_KEY_LETTER[result]})")
            button.setAccessibleName(f"{description}: {RESULT_LABELS[result]}")
            button.setObjectName(f"{result.value}")
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(MIN_TOUCH_PX + 16, MIN_TOUCH_PX)
            self._group.addButton(button)
            layout.addWidget(button)
            self._buttons[result] = button
            button.toggled.connect(self._on_toggled)
        self._result = Result.NOT_TESTED
        self._buttons[Result.NOT_TESTED].setChecked(True)

    @property
    def result(self) -> Result:
        """The recorded result."""
        return self._result

    def set_result(self, result: Result) -> None:
        """Select `result` (emits `result_changed` if it changes)."""
        self._buttons[result].setChecked(True)

    def _on_toggled(self, checked: bool) -> None:
        if not checked:
            return
        for result, button in self._buttons.items():
            if button.isChecked() and result is not self._result:
                self._result = result
                self.result_changed.emit(result.value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key = Qt.Key(event.key())
        if (
            key in RESULT_KEYS
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.set_result(RESULT_KEYS[key])
            self.next_requested.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
            ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.next_requested.emit()
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = 1 if key is Qt.Key.Key_Right else -1
            index = (_ORDER.index(self._result) + step) % len(_ORDER)
            self.set_result(_ORDER[index])
            return
        super().keyPressEvent(event)
