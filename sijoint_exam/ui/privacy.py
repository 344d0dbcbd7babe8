"""Privacy in the window: the passphrase asked at start, the idle auto-lock and the
lock screen, and which clinician is working.

The passphrase never leaves memory: to unlock, the window compares a salted scrypt
hash of what is typed with the hash kept from start-up (never written anywhere).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

DEFAULT_IDLE_MINUTES = 5  # HIPAA §164.312(a)(2)(iii) automatic log-off; a setting

# Any of these means someone is at the keyboard or screen.
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


@dataclass(frozen=True)
class PassphraseCheck:
    """A salted scrypt hash of the passphrase, to recognise it again at unlock."""

    salt: bytes
    digest: bytes

    @classmethod
    def of(cls, passphrase: str) -> PassphraseCheck:
        salt = os.urandom(16)
        return cls(salt, _scrypt(passphrase, salt))

    def matches(self, passphrase: str) -> bool:
        return hmac.compare_digest(self.digest, _scrypt(passphrase, self.salt))


def _scrypt(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=2**14, r=8, p=1)


def ask_passphrase(parent: QWidget | None, what: str, wrong: bool) -> str | None:
    """The database's passphrase; `wrong` says the last one was not right."""
    note = "That passphrase is not right. " if wrong else ""
    text, ok = QInputDialog.getText(
        parent,
        "Encrypted database",
        f"{note}Passphrase for {what}:",
        QLineEdit.EchoMode.Password,
    )
    return text if ok and text else None


class IdleWatcher(QObject):
    """Emits `idle` after `minutes` without keyboard, mouse or touch input."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.idle)

    def start(self, application: QObject) -> None:
        """Watch every input event of the application."""
        application.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() in _ACTIVITY:
            self.timer.start()  # restart: the idle time counts from the last input
        return False


class LockScreen(QWidget):
    """What the window shows while locked: no patient data, one way back in."""

    unlock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock")
        # A column of fixed width between stretches: a word-wrapped label placed
        # with an alignment flag gets one line's height and cuts the rest.
        column = QWidget(self)
        column.setFixedWidth(440)
        self.message = QLabel(column)
        self.message.setObjectName("lock.message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.clinician_combo = QComboBox(column)
        self.clinician_combo.setObjectName("lock.clinician")
        self.clinician_combo.setEditable(True)
        self.clinician_combo.lineEdit().setPlaceholderText("Your name")
        self.clinician_combo.setAccessibleName("Clinician unlocking")
        self.clinician_combo.setMinimumHeight(44)
        name_label = QLabel("&Clinician", column)
        name_label.setBuddy(self.clinician_combo)
        self.unlock_button = QPushButton("Unlock", column)
        self.unlock_button.setObjectName("lock.unlock")
        self.unlock_button.setMinimumHeight(44)
        self.unlock_button.clicked.connect(self.unlock_requested)
        # Enter in the name field unlocks, as the Unlock button does.
        name_line = self.clinician_combo.lineEdit()
        assert name_line is not None  # the combo is editable
        name_line.returnPressed.connect(self.unlock_requested)
        column_layout = QVBoxLayout(column)
        column_layout.addWidget(self.message)
        column_layout.addSpacing(8)
        for widget in (name_label, self.clinician_combo):
            column_layout.addWidget(widget)
        column_layout.addSpacing(8)
        column_layout.addWidget(self.unlock_button)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)

    def show_locked(self, clinicians: list[str], current: str, encrypted: bool) -> None:
        """Fill the screen for this lock."""
        how = "the passphrase" if encrypted else "your name"
        self.message.setText(
            "<h2>Locked</h2><p>Patient data are hidden after a period without use. "
            f"Your work was saved as a draft. Unlock with {how}.</p>"
        )
        self.clinician_combo.clear()
        self.clinician_combo.addItems(clinicians or ([current] if current else []))
        self.clinician_combo.setCurrentText(current)

    @property
    def clinician(self) -> str:
        return self.clinician_combo.currentText().strip()


def unlock_allowed(
    check: PassphraseCheck | None, ask: Callable[[bool], str | None]
) -> bool:
    """An encrypted database needs its passphrase again; a plain one only the
    clinician's confirmation (made on the lock screen itself)."""
    if check is None:
        return True
    wrong = False
    while (typed := ask(wrong)) is not None:
        if check.matches(typed):
            return True
        wrong = True
    return False
