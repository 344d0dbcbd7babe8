"""The window's side of privacy: who is working (one click to switch), locking
after idle time, and unlocking with the passphrase or the clinician's name."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QToolButton

if TYPE_CHECKING:
    from sijoint_exam.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def clinician_button(window: MainWindow) -> QToolButton:
    """The status bar's "Working as …": who is stamped on every audit entry.

    A button, not a field: it takes no keyboard focus, so nothing typed for the
    exam or the search can land in it, and the clinician changes only when it is
    clicked (or File > Switch clinician is chosen) and a name is confirmed.
    """
    from PySide6.QtCore import Qt  # built after the window is shown

    button = QToolButton(window)
    button.setObjectName("clinician")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoRaise(True)
    button.setToolTip(
        "The clinician working now, stamped on every audit entry. Click to switch."
    )
    button.setAccessibleName("Clinician working now")
    button.clicked.connect(lambda: window.switch_clinician())
    show_working_as(button, "")
    return button


def show_working_as(button: QToolButton, name: str) -> None:
    button.setText(f"Working as: {name or 'no clinician'}")
    button.setAccessibleDescription(name or "no clinician")


def ask_clinician_name(
    window: MainWindow, names: list[str], current: str
) -> str | None:
    """The clinician to work as, chosen or typed; None when cancelled."""
    from PySide6.QtWidgets import QInputDialog  # dialogs: on first use

    choices = names if current in names else [current, *names] if current else names
    name, ok = QInputDialog.getItem(
        window,
        "Switch clinician",
        "Working as (name and qualification):",
        choices,
        choices.index(current) if current in choices else 0,
        editable=True,
    )
    return name.strip() if ok else None


def show_clinicians(window: MainWindow, current: str) -> None:
    """`current` is working now (this database's names are offered on a switch)."""
    if window.clinician_button is None:
        window.clinician_button = clinician_button(window)
        window.statusBar().addPermanentWidget(window.clinician_button)
    show_working_as(window.clinician_button, current)
    window.repository.clinician = current


def switch_clinician(window: MainWindow, name: str | None = None) -> None:
    """Make `name` (asked for when None) the clinician working, and remember it."""
    if window.session is None:
        return
    if name is None:
        name = window.ask_clinician_name(
            window.repository.clinicians(), window.repository.clinician
        )
    if name is None or name.strip() == window.repository.clinician:
        return
    name = name.strip()
    show_clinicians(window, name)
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
