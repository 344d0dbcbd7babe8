"""AddendumDialog: the text of a correction to a signed visit.

A plain QInputDialog multi-line field typed a tab for Tab and had no key to
accept: the keyboard was stuck in it. Here Tab moves on to the buttons,
Ctrl+Enter adds the addendum and Esc cancels.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class AddendumDialog(QDialog):
    """One text field and Add / Cancel; `text()` is what was typed, trimmed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add addendum")
        self.setObjectName("addendum.dialog")
        label = QLabel("Correction or &addition (dated and signed):", self)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("addendum.text")
        self.edit.setAccessibleName("Addendum text")
        self.edit.setAccessibleDescription(
            "Tab moves to the buttons; Ctrl+Enter adds the addendum; Esc cancels."
        )
        self.edit.setTabChangesFocus(True)
        label.setBuddy(self.edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            parent=self,
        )
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("Add addendum")
        self.add_button.setToolTip("Add the addendum (Ctrl+Enter)")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(
                QKeySequence(keys),
                self,
                self.accept,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)
        self.resize(520, 260)

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def accept(self) -> None:  # Qt override: an empty addendum is not added
        if self.text():
            super().accept()
        else:
            self.edit.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> str | None:
        """The addendum typed, or None when cancelled."""
        dialog = cls(parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.text()
            return None
        finally:
            dialog.deleteLater()
