"""Keyboard helpers for the window tests: keys pressed on the focused widget,
counted (the `open_visit` fixture, in conftest, opens a new visit to press them in)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

Ctrl = Qt.KeyboardModifier.ControlModifier
Alt = Qt.KeyboardModifier.AltModifier


class Keys:
    """Presses keys on whichever widget has the focus, and counts them."""

    def __init__(self, qtbot, window: QWidget) -> None:
        self.qtbot = qtbot
        self.window = window
        self.count = 0

    def focused(self) -> QWidget:
        return QApplication.focusWidget() or self.window

    def press(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.count += 1
        self.qtbot.keyClick(self.focused(), key, modifier)

    def type(self, text: str) -> None:
        self.count += len(text)
        self.qtbot.keyClicks(self.focused(), text)

    def name(self) -> str:
        return self.focused().objectName()


def saved(repo, patient_id):
    return repo.get_visit(repo.list_visits(patient_id)[0].id)


def focus(qtbot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)
