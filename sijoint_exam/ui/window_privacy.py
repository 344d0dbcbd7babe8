"""The window's side of privacy: who is working (one click to switch), locking
after idle time, and unlocking with the passphrase or the clinician's name."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QMainWindow,
    QStackedWidget,
    QStatusBar,
    QToolButton,
    QWidget,
)

if TYPE_CHECKING:
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.privacy import LockScreen, PassphraseCheck
    from sijoint_exam.ui.settings import Settings

log = logging.getLogger(__name__)


def clinician_button(parent: QWidget, switch: Callable[[], object]) -> QToolButton:
    """The status bar's "Working as …": who is stamped on every audit entry.

    A button, not a field: it takes no keyboard focus, so nothing typed for the
    exam or the search can land in it, and the clinician changes only when it is
    clicked (or File > Switch clinician is chosen) and a name is confirmed.
    """
    from PySide6.QtCore import Qt  # built after the window is shown

    button = QToolButton(parent)
    button.setObjectName("clinician")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setAutoRaise(True)
    button.setToolTip(
        "The clinician working now, stamped on every audit entry. Click to switch."
    )
    button.setAccessibleName("Clinician working now")
    button.clicked.connect(lambda: switch())
    show_working_as(button, "")
    return button


def show_working_as(button: QToolButton, name: str) -> None:
    button.setText(f"Working as: {name or 'no clinician'}")
    button.setAccessibleDescription(name or "no clinician")


def ask_clinician_name(parent: QWidget, names: list[str], current: str) -> str | None:
    """The clinician to work as, chosen or typed; None when cancelled."""
    from PySide6.QtWidgets import QInputDialog  # dialogs: on first use

    choices = names if current in names else [current, *names] if current else names
    name, ok = QInputDialog.getItem(
        parent,
        "Switch clinician",
        "Working as (name and qualification):",
        choices,
        choices.index(current) if current in choices else 0,
        editable=True,
    )
    return name.strip() if ok else None


def show_clinician(button: QToolButton, repository: Repository, current: str) -> None:
    """`current` is working now (this database's names are offered on a switch)."""
    show_working_as(button, current)
    repository.clinician = current


def switch_clinician(
    button: QToolButton,
    repository: Repository,
    settings: Settings,
    status: QStatusBar,
    name: str | None,
    ask: Callable[[list[str], str], str | None],
) -> None:
    """Make `name` (asked for with `ask` when None) the clinician working, and
    remember it; nothing when cancelled or when it is the one working already."""
    if name is None:
        name = ask(repository.clinicians(), repository.clinician)
    if name is None or name.strip() == repository.clinician:
        return
    name = name.strip()
    show_clinician(button, repository, name)
    if name:
        settings.remember(clinician=name)
    status.showMessage(f"Working as {name or 'no clinician'}", 5000)


def lock(
    window: QMainWindow,
    central: QStackedWidget,
    screen: LockScreen,
    repository: Repository,
    encrypted: bool,
    save_draft: Callable[[], None],
) -> None:
    """Hide every patient detail behind the lock screen; the draft first."""
    try:
        save_draft()
    except Exception:  # locking matters more than this draft: log it, lock anyway
        log.exception("saving the draft before locking failed")
    from PySide6.QtWidgets import QDialog

    for dialog in window.findChildren(QDialog):
        dialog.hide()  # previews, comparisons and charts show patient data
    screen.show_locked(
        repository.clinicians(), repository.clinician, encrypted=encrypted
    )
    central.setCurrentWidget(screen)
    _enable_window(window, False)


def unlock(
    window: QMainWindow,
    central: QStackedWidget,
    screen: LockScreen,
    passphrase_check: PassphraseCheck | None,
    ask_passphrase: Callable[[bool], str | None],
    unlocked: Callable[[str], None],
) -> bool:
    """Unlock with the passphrase (encrypted database) or the clinician's name
    (plain database); `unlocked` gets the clinician now working. True when the
    window is back."""
    clinician = screen.clinician
    if central.currentWidget() is not screen or not clinician:
        return False
    from sijoint_exam.ui import privacy  # with the lock screen, on first lock

    if not privacy.unlock_allowed(passphrase_check, ask_passphrase):
        return False
    central.setCurrentIndex(0)
    _enable_window(window, True)
    unlocked(clinician)
    return True


def _enable_window(window: QMainWindow, enabled: bool) -> None:
    window.menuBar().setEnabled(enabled)
    for action in window.actions():
        action.setEnabled(enabled)  # their shortcuts too
