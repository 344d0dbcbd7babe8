"""ChoiceButtons: one value picked from a short list, as a row of touch-sized buttons.

The shape of `FindingSelector`, for any short choice (yes / no / not asked, an NRS
0–10, an ODI answer 0–5): the row takes focus as one control, so Tab moves from
question to question; Left/Right step through the values; a key per choice (when
given) records it at once. Numbers are typed as numbers: "1" then "0" records 10,
as the clinician reads it, when the "0" follows within `TYPING_SECONDS`.
Values are strings: `""` is "not recorded".
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QToolButton, QWidget

from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX
from sijoint_exam.ui.widgets.flow_layout import FlowLayout

NOT_RECORDED = ""
# A digit typed within this time of the one before continues the number ("1", "0":
# 10); after it, a digit starts a new one. As long as a list's type-ahead allows.
TYPING_SECONDS = 1.0
_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{d}"): str(d) for d in range(10)}


@dataclass(frozen=True)
class Choice:
    """One button: the value it records, its text, and an optional key letter/digit."""

    value: str
    text: str
    key: str = ""  # "Y", "7"; empty: no single-key entry
    tip: str = ""  # what the choice means, when the text is terse

    @property
    def button_name(self) -> str:
        """The button's object name: the value, or `not_recorded` for `""`."""
        return self.value or "not_recorded"


def number_choices(
    low: int, high: int, *, blank: str | None = "—", blank_tip: str = "not recorded"
) -> list[Choice]:
    """`—`, low … high as choices; digits are their own keys (0–9), Delete blanks."""
    choices = [Choice(NOT_RECORDED, blank, "", blank_tip)] if blank is not None else []
    for n in range(low, high + 1):
        choices.append(Choice(str(n), str(n), str(n) if n < 10 else ""))
    return choices


class ChoiceButtons(QWidget):
    """Pick one of `choices`; emits `value_changed` on every user or program change."""

    value_changed = Signal(str)
    clock = staticmethod(time.monotonic)  # tests pass their own

    def __init__(
        self,
        description: str,
        choices: Sequence[Choice],
        parent: QWidget | None = None,
        *,
        button_width: int = MIN_TOUCH_PX,
    ) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        # The focus ring shows which question the next key answers; the chosen
        # value reads at a glance: filled and bold (as FindingSelector).
        self.setStyleSheet(
            "ChoiceButtons { border: 2px solid transparent; border-radius: 4px; }"
            "ChoiceButtons:focus { border-color: palette(highlight); }"
            "QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); font-weight: bold; }"
        )
        self._choices = tuple(choices)
        self._keys = {c.key.upper(): c.value for c in self._choices if c.key}
        keys = ", ".join(f"{c.key} {c.tip or c.text}" for c in self._choices if c.key)
        if any(len(c.value) > 1 and c.value.isdigit() for c in self._choices):
            keys += "; type 10 as 1 then 0"
        self.setAccessibleName(description)
        self.setAccessibleDescription(
            (f"Keys: {keys}; " if keys else "") + "left and right arrows step."
        )
        self.setToolTip(
            f"{description}." + (f" Keys: {keys};" if keys else "") + " arrows step."
        )
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        # The buttons wrap onto a second line rather than widen the form.
        layout = FlowLayout(self)
        self._buttons: dict[str, QToolButton] = {}
        for choice in self._choices:
            button = QToolButton(self)
            button.setText(choice.text)
            meaning = choice.tip or choice.text
            hint = f" (key {choice.key})" if choice.key else ""
            button.setToolTip(f"{description}: {meaning}{hint}")
            button.setAccessibleName(f"{description}: {meaning}")
            button.setObjectName(choice.button_name)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(button_width, MIN_TOUCH_PX)
            self._group.addButton(button)
            layout.addWidget(button)
            self._buttons[choice.value] = button
            button.toggled.connect(self._on_toggled)
        self._value = self._choices[0].value
        self._buttons[self._value].setChecked(True)
        self._typed = ""  # the digits of the number being typed
        self._typed_at = 0.0

    @property
    def value(self) -> str:
        """The chosen value (`""` for not recorded)."""
        return self._value

    def set_value(self, value: str) -> None:
        """Choose `value` (emits `value_changed` if it changes).

        Raises:
            KeyError: `value` is not one of the choices.
        """
        self._buttons[value].setChecked(True)

    def button(self, value: str) -> QToolButton:
        """The button that records `value`."""
        return self._buttons[value]

    def _on_toggled(self, checked: bool) -> None:
        if not checked:
            return
        for value, button in self._buttons.items():
            if button.isChecked() and value != self._value:
                self._value = value
                self.value_changed.emit(value)

    def _type_digit(self, digit: str) -> bool:
        """Record the number typed so far with `digit`; False when no choice fits."""
        now = self.clock()
        going_on = self._typed and now - self._typed_at <= TYPING_SECONDS
        number = (self._typed if going_on else "") + digit
        if number not in self._buttons:
            number = digit  # "5" after "1": a new number, 5
        self._typed_at = now
        if number not in self._buttons:
            self._typed = ""
            return False
        self._typed = number
        self.set_value(number)
        return True

    def focusOutEvent(self, event: QFocusEvent) -> None:  # Qt override
        self._typed = ""  # back on this row later, a digit starts a new number
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key = Qt.Key(event.key())
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        digit = _DIGIT_KEYS.get(key)
        if plain and digit is not None and self._type_digit(digit):
            return
        self._typed = ""
        letter = digit or (event.text().upper() if plain else "")
        if plain and letter in self._keys:
            self.set_value(self._keys[letter])
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and (
            NOT_RECORDED in self._buttons
        ):
            self.set_value(NOT_RECORDED)
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            values = [c.value for c in self._choices]
            step = 1 if key is Qt.Key.Key_Right else -1
            self.set_value(values[(values.index(self._value) + step) % len(values)])
            return
        super().keyPressEvent(event)
