"""Who is working and who may see: the clinician named on every audit entry,
the lock over patient data, and the database handed to encryption. A mixin of
MainWindow, which owns the state named below; `window_privacy.py` and
`window_encryption.py` do the work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from sijoint_exam.ui import window_privacy
from sijoint_exam.ui.window_visits import WindowVisits

if TYPE_CHECKING:
    from PySide6.QtWidgets import QToolButton

    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.exam_session import ExamSession
    from sijoint_exam.ui.privacy import LockScreen, PassphraseCheck
    from sijoint_exam.ui.window_encryption import WindowDatabase


class WindowAccess(WindowVisits):
    """The clinician working, the lock, and the database let go of and taken back."""

    # Owned by MainWindow.
    clinician_button: QToolButton | None
    passphrase_check: PassphraseCheck | None
    _lock_screen: LockScreen | None

    if TYPE_CHECKING:

        @property
        def locked(self) -> bool: ...

        @property
        def lock_screen(self) -> LockScreen: ...

        def save_draft_now(self) -> None: ...

        def refresh_state(self) -> None: ...

        def detach_repository(self) -> ExamSession | None: ...

        def reattach_repository(
            self, repository: Repository, label: str, before: ExamSession | None
        ) -> None: ...

    def _show_clinician(self, name: str) -> None:
        """`name` is working now, shown in the status bar's clinician button."""
        if self.clinician_button is None:
            self.clinician_button = window_privacy.clinician_button(
                self, self.switch_clinician
            )
            self.statusBar().addPermanentWidget(self.clinician_button)
        window_privacy.show_clinician(self.clinician_button, self.repository, name)

    def switch_clinician(self, name: str | None = None) -> None:
        """`name` (asked for when None) is working now: an explicit act only."""
        if self.session is None or self.clinician_button is None:
            return
        window_privacy.switch_clinician(
            self.clinician_button,
            self.repository,
            self.settings,
            self.statusBar(),
            name,
            ask=self.ask_clinician_name,
        )

    @Slot()
    def lock(self) -> None:
        """Hide every patient detail; the draft is saved first."""
        if self.locked or self.session is None:
            return
        window_privacy.lock(
            self,
            self.widgets.central,
            self.lock_screen,
            self.repository,
            encrypted=self.passphrase_check is not None,
            save_draft=self.save_draft_now,
        )

    @Slot()
    def unlock(self) -> bool:
        """Back to work after the passphrase or the clinician's name."""
        if self.session is None or self._lock_screen is None:
            return False
        return window_privacy.unlock(
            self,
            self.widgets.central,
            self._lock_screen,
            self.passphrase_check,
            self.ask_passphrase,
            unlocked=self._show_unlocked,
        )

    def _show_unlocked(self, clinician: str) -> None:
        self._show_clinician(clinician)
        self.settings.remember(clinician=clinician)
        self.refresh_state()

    def database_handle(self) -> WindowDatabase | None:
        """What encrypting the database needs of the window; None while there
        is no database or the window is locked."""
        from sijoint_exam.ui.window_encryption import WindowDatabase

        if self.session is None or self.locked:
            return None
        return WindowDatabase(
            parent=self,
            repository=self.repository,
            encrypted=self.passphrase_check is not None,
            ask=self.ask_new_passphrase,
            show_error=self.show_error,
            detach=self.detach_repository,
            reattach=self.reattach_repository,
            remember_passphrase=self._remember_passphrase,
        )

    def _remember_passphrase(self, check: PassphraseCheck) -> None:
        self.passphrase_check = check
