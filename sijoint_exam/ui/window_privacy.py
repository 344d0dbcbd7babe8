"""The window's side of privacy: who is working (one click to switch), locking
after idle time, and unlocking with the passphrase or the clinician's name."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox

if TYPE_CHECKING:
    from sijoint_exam.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def clinician_box(window: MainWindow) -> QComboBox:
    """The status bar's clinician picker: the names remembered for this database."""
    box = QComboBox(window)
    box.setObjectName("clinician")
    box.setEditable(True)
    box.setMinimumWidth(180)
    box.lineEdit().setPlaceholderText("your name")
    box.setToolTip("The clinician working now: stamped on every audit entry")
    box.setAccessibleName("Clinician working now")
    box.lineEdit().editingFinished.connect(window.switch_clinician)
    box.activated.connect(window.switch_clinician)
    return box


def show_clinicians(window: MainWindow, current: str) -> None:
    """List this database's clinicians; `current` is working now."""
    names = window.repository.clinicians()
    if current and current not in names:
        names.insert(0, current)
    box = window.clinician_combo
    blocker = QSignalBlocker(box)
    box.clear()
    box.addItems(names)
    box.setCurrentText(current)
    blocker.unblock()
    window.repository.clinician = current


def switch_clinician(window: MainWindow) -> None:
    """Make the picker's clinician the one working (and remembered)."""
    name = window.clinician_combo.currentText().strip()
    if window.session is None or name == window.repository.clinician:
        return
    window.repository.clinician = name
    if name:
        window.settings.remember(clinician=name)
    window.statusBar().showMessage(f"Working as {name or 'no clinician'}", 5000)


def lock(window: MainWindow) -> None:
    """Hide every patient detail behind the lock screen; the draft first."""
    if window.locked or window.session is None:
        return
    try:
        window.save_draft_now()
    except Exception:  # locking matters more than this draft: log it, lock anyway
        log.exception("saving the draft before locking failed")
    from PySide6.QtWidgets import QDialog

    for dialog in window.findChildren(QDialog):
        dialog.hide()  # previews, comparisons and charts show patient data
    window.lock_screen.show_locked(
        window.repository.clinicians(),
        window.repository.clinician,
        encrypted=window.passphrase_check is not None,
    )
    window.central.setCurrentWidget(window.lock_screen)
    window.menuBar().setEnabled(False)
    for action in window.actions():
        action.setEnabled(False)  # their shortcuts too


def unlock(window: MainWindow) -> bool:
    """Unlock with the passphrase (encrypted database) or the clinician's name
    (plain database); True when the window is back."""
    clinician = window.lock_screen.clinician
    if not window.locked or not clinician or window.session is None:
        return False
    from sijoint_exam.ui import privacy  # with the lock screen, on first lock

    if not privacy.unlock_allowed(window.passphrase_check, window.ask_passphrase):
        return False
    show_clinicians(window, clinician)
    window.settings.remember(clinician=clinician)
    window.central.setCurrentIndex(0)
    window.menuBar().setEnabled(True)
    for action in window.actions():
        action.setEnabled(True)
    window.refresh_state()
    return True
