"""ShortcutHelp (F1): every keyboard shortcut of the window and the result keys."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.catalogue import RESULT_LABELS
from sijoint_exam.ui.widgets.finding_selector import RESULT_KEYS


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for the actions that have a shortcut, then the tests."""
    rows = []
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            rows.append((keys, action.text().replace("&", "").rstrip("…")))
    rows.append(("Tab / Shift+Tab", "Next / previous field or test"))
    rows.append(("Alt+1 … Alt+9, Alt+0", "Go to a section of the exam (its button)"))
    for key, result in RESULT_KEYS.items():
        rows.append(
            (key.name[-1], f"On a focused test: {RESULT_LABELS[result]}, then next")
        )
    rows.append(("Enter", "On a focused test: the next test, nothing recorded"))
    rows.append(("← / →", "On a focused test or choice: previous / next value"))
    rows.append(("0 … 9; 1 then 0", "On a 0–10 row: that number; 10"))
    rows.append(("Delete", "On a choice row: not recorded"))
    return rows


class ShortcutHelp(QDialog):
    """A non-modal sheet listing the shortcuts; F1 or Esc closes it."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("help.shortcuts")
        cells = "".join(
            f"<tr><td><b>{escape(keys)}</b>&nbsp;&nbsp;</td><td>{escape(text)}</td></tr>"
            for keys, text in shortcut_rows(actions)
        )
        table = QLabel(f"<table cellpadding='3'>{cells}</table>", self)
        table.setObjectName("help.shortcuts.table")
        # Scrolls rather than growing past a 768-pixel screen.
        scroll = QScrollArea(self)
        scroll.setWidget(table)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry() if self.screen() else None
        height = table.sizeHint().height() + 80
        if screen is not None:
            height = min(height, screen.height() - 80)
        self.resize(table.sizeHint().width() + 60, height)
