"""The dialog that sets a database's passphrase, to encrypt it or to change the
passphrase: what will happen, the current passphrase (to change it), the new one
twice. The rule for a new passphrase is the store's, the same as the command's.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.ui.tones import Tone, set_tone

CURRENT_FIELD = "Current passphrase"
NEW_FIELD = "New passphrase"
AGAIN_FIELD = "New passphrase again"


class PassphraseEntry(NamedTuple):
    """What was typed: the new passphrase twice, and the current one ("" when
    the database has none yet)."""

    new: str
    again: str
    current: str = ""

    def __repr__(self) -> str:
        # A traceback, a log line or the crash dialog must never show them.
        return "PassphraseEntry(<hidden>)"


def new_passphrase_problem(entry: PassphraseEntry) -> str | None:
    """What is wrong with the new passphrase, starting with the field's name;
    None when it may be set."""
    from sijoint_exam.store import cipher

    try:
        cipher.check_new_passphrase(entry.new)
    except ValueError as error:
        return f"{NEW_FIELD}: {error}"
    # Compared as SQLCipher is given them: "é" typed as one character or as
    # e + accent is the same passphrase.
    if "\0" in entry.again or cipher.normalized(entry.again) != cipher.normalized(
        entry.new
    ):
        return (
            f"{AGAIN_FIELD}: it differs from the new passphrase. Type the same "
            "passphrase in both fields."
        )
    if entry.current and entry.current == entry.new:
        return f"{NEW_FIELD}: it is the current passphrase; choose another one."
    return None


class PassphraseDialog(QDialog):
    """Explains what will happen and takes the passphrases; OK is enabled once
    they may be set, and the problem is named under the fields until then."""

    def __init__(
        self,
        title: str,
        explanation: str,
        accept_text: str,
        ask_current: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("passphrase")
        self.setMinimumWidth(560)
        self.explanation = QLabel(explanation, self)
        self.explanation.setObjectName("passphrase.explanation")
        self.explanation.setWordWrap(True)
        self.current_edit = self._field("passphrase.current", CURRENT_FIELD)
        self.new_edit = self._field("passphrase.new", NEW_FIELD)
        self.again_edit = self._field("passphrase.again", AGAIN_FIELD)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("passphrase.problem")
        self.problem_label.setWordWrap(True)
        set_tone(self.problem_label, Tone.ALERT)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            parent=self,
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(accept_text)
        for button in self.buttons.buttons():
            button.setMinimumHeight(44)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        fields = QFormLayout()
        if ask_current:
            fields.addRow(f"{CURRENT_FIELD}:", self.current_edit)
        else:
            self.current_edit.hide()
        fields.addRow(f"{NEW_FIELD}:", self.new_edit)
        fields.addRow(f"{AGAIN_FIELD}:", self.again_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(fields)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self._ask_current = ask_current
        self.validate()

    def _field(self, name: str, label: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(label)
        edit.setMinimumHeight(36)
        edit.textChanged.connect(self.validate)
        return edit

    def entry(self) -> PassphraseEntry:
        """The passphrases as typed."""
        return PassphraseEntry(
            self.new_edit.text(), self.again_edit.text(), self.current_edit.text()
        )

    def validate(self) -> None:
        """Enable OK only for passphrases that may be set; name the problem once
        there is something to judge."""
        entry = self.entry()
        problem = new_passphrase_problem(entry)
        if problem is None and self._ask_current and not entry.current:
            problem = f"{CURRENT_FIELD}: type the passphrase the database has now."
        shown = problem if entry.new or entry.again else None
        self.problem_label.setText(shown or "")
        self.problem_label.setVisible(bool(shown))
        self.ok_button.setEnabled(problem is None)

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        title: str,
        explanation: str,
        accept_text: str,
        ask_current: bool,
    ) -> PassphraseEntry | None:
        """Show the dialog; the passphrases, or None when cancelled."""
        dialog = cls(title, explanation, accept_text, ask_current, parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.entry()
        finally:
            # The fields' text is gone with the dialog, not left until parent exit.
            for edit in (dialog.current_edit, dialog.new_edit, dialog.again_edit):
                edit.clear()
            dialog.deleteLater()
