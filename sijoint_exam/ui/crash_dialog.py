"""Uncaught exceptions: log them, save the draft, and tell the user where the log is.

`install_excepthook(log_path, on_crash)` replaces `sys.excepthook`, which PySide6 also
calls for an exception raised in a slot or a Qt virtual method. For each exception the
hook

1. writes the traceback to the log (and, through the previous hook, to stderr, which
   the console build shows);
2. calls `on_crash()` so the window can save the current draft first — a failure
   there is logged and reported, never raised;
3. shows a message box with the log path through `show_crash_dialog`, a module-level
   function that tests replace (`monkeypatch.setattr(crash_dialog,
   "show_crash_dialog", ...)`) so nothing calls `exec()`.

It never recurses: an exception raised while a crash is being handled (by `on_crash`,
by the dialog, or by a slot that runs while the dialog's event loop spins) is logged
and goes to stderr only.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

log = logging.getLogger(__name__)

ExceptHook = Callable[
    [type[BaseException], BaseException, TracebackType | None], object
]

TITLE = "sijoint-exam: unexpected error"


def crash_message(log_path: Path, draft_saved: bool) -> str:
    """The dialog's text: what happened to the draft, and where the details are."""
    draft = (
        "Your unsaved exam was kept as a draft."
        if draft_saved
        else "The unsaved exam could not be kept as a draft; check it before you "
        "close the program."
    )
    return (
        "sijoint-exam ran into an unexpected error.\n\n"
        f"{draft}\n\n"
        "The details were written to the log file:\n"
        f"{log_path}\n\n"
        "Please send that file to your IT support. It is safest to restart "
        "sijoint-exam now."
    )


def build_crash_box(
    log_path: Path, draft_saved: bool, parent: QWidget | None = None
) -> QMessageBox:
    """The message box, not yet shown; its text can be selected and copied."""
    # Imported here: the hook is installed at every start, the box needed rarely.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(
        QMessageBox.Icon.Critical,
        TITLE,
        crash_message(log_path, draft_saved),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return box


def show_crash_dialog(log_path: Path, draft_saved: bool) -> None:
    """Show the crash message modally; does nothing without a QApplication."""
    if QApplication.instance() is None:
        return
    build_crash_box(log_path, draft_saved, QApplication.activeWindow()).exec()


def install_excepthook(
    log_path: Path, on_crash: Callable[[], None]
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    """Replace `sys.excepthook` with one that logs, saves the draft and tells the user.

    Args:
        log_path: the log file the dialog names (from `logs.configure_logging`).
        on_crash: called before the dialog, e.g. the window's draft autosave. It
            should return only once the current exam is safe (saved as a draft, or
            nothing unsaved) and raise otherwise: the dialog tells the user which.

    Returns:
        The installed hook (tests call it directly).
    """
    previous: ExceptHook = sys.excepthook
    handling = False

    def hook(
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        nonlocal handling
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        log.critical("Uncaught exception", exc_info=(exc_type, exc, tb))
        _to_stderr(previous, exc_type, exc, tb)
        if handling:
            return  # raised while a crash is being handled: logged, nothing more
        handling = True
        try:
            draft_saved = _save_draft(on_crash)
            try:
                # Looked up at call time so tests can monkeypatch it.
                show_crash_dialog(log_path, draft_saved)
            except Exception:
                log.exception("The crash dialog failed")
        finally:
            handling = False

    sys.excepthook = hook
    return hook


def _save_draft(on_crash: Callable[[], None]) -> bool:
    """Run `on_crash`; True if it returned, False (logged) if it raised."""
    try:
        on_crash()
    except Exception:
        log.exception("Could not save the draft after an unexpected error")
        return False
    return True


def _to_stderr(
    previous: ExceptHook,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
) -> None:
    """Let the previous hook print the traceback; the GUI build may have no stderr."""
    if sys.stderr is None:
        return
    try:
        previous(exc_type, exc, tb)
    except Exception:
        log.exception("The previous excepthook failed")
