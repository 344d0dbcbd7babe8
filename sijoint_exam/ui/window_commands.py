"""The main window's menu commands beyond editing the visit: signing, export,
print, comparison, the clinic's accuracy, encryption, settings and help.

Each slot is one call: to an operation (`operations.py`, `window_exchange.py`,
`window_encryption.py`) given what it needs, not the window. A mixin of
MainWindow, which owns the state named below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from sijoint_exam.ui.window_questions import WindowQuestions

if TYPE_CHECKING:
    import datetime as dt

    from PySide6.QtWidgets import QDialog

    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.exam_form import ExamForm
    from sijoint_exam.ui.exam_session import ExamSession, Opened
    from sijoint_exam.ui.patient_list import PatientList
    from sijoint_exam.ui.shortcut_help import ShortcutHelp
    from sijoint_exam.ui.window_encryption import WindowDatabase
    from sijoint_exam.ui.window_layout import WindowWidgets


class WindowCommands(WindowQuestions):
    """Menu commands of the main window, each handed to the work it names."""

    # Owned by MainWindow.
    session: ExamSession | None
    widgets: WindowWidgets
    accuracy_dialog: QDialog | None
    about_facts: dict[str, str]
    _shortcut_help: ShortcutHelp | None
    _today: Callable[[], dt.date]

    if TYPE_CHECKING:

        @property
        def form(self) -> ExamForm: ...

        @property
        def repository(self) -> Repository: ...

        @property
        def patient_list(self) -> PatientList: ...

        def show_opened(self, opened: Opened) -> None: ...

        def database_handle(self) -> WindowDatabase | None: ...

    # --- signing -------------------------------------------------------------

    @Slot()
    def sign_visit(self) -> bool:
        """Sign the saved visit (asks the clinician's name once); True when signed."""
        from sijoint_exam.ui import operations

        return operations.sign_visit(
            self, self.session, self.settings, self.show_error, self.show_opened
        )

    @Slot()
    def add_addendum(self) -> None:
        """Append a dated, signed correction to a signed visit."""
        from sijoint_exam.ui import operations

        operations.add_addendum(
            self, self.session, self.settings, self.widgets.signature_panel
        )

    # --- the patient's visits side by side ----------------------------------

    @Slot()
    def compare_with_previous(self) -> None:
        """The open visit beside the visit before it."""
        from sijoint_exam.ui import operations

        operations.compare_with_previous(self, self.session, self.statusBar())

    @Slot()
    def show_trend(self) -> None:
        """NRS, ODI and positive tests across this patient's visits."""
        from sijoint_exam.ui import operations

        operations.show_trend(self, self.session)

    # --- the note: preview, PDF, print ---------------------------------------

    @Slot()
    def preview_note(self) -> None:
        """Show the visit note as it will print, kept up to date while open."""
        from sijoint_exam.ui import operations

        operations.show_preview(self, self.session, self.settings, self.form)

    @Slot()
    def export_note(self) -> Path | None:
        """Write the form's visit as a PDF visit note; returns the file written."""
        from sijoint_exam.ui.export import NOTE

        return self._export_document(NOTE)

    @Slot()
    def export_referral(self) -> Path | None:
        """Write the form's visit as a PDF referral letter; returns the file."""
        from sijoint_exam.ui.export import REFERRAL

        return self._export_document(REFERRAL)

    def _export_document(self, kind: str) -> Path | None:
        from sijoint_exam.ui import operations

        return operations.export_note(
            self.session,
            self.settings,
            self.ask_export_path,
            self.show_error,
            self.statusBar(),
            kind,
        )

    @Slot()
    def print_note(self) -> bool:
        """Print the visit note; True when it was sent to a printer."""
        from sijoint_exam.ui import operations

        return operations.print_note(
            self.session, self.settings, self.ask_printer, self.statusBar()
        )

    @Slot()
    def export_period(self) -> int | None:
        """Export the notes of every visit in a period; how many were written."""
        from sijoint_exam.ui import operations

        return operations.export_period(
            self,
            self.repository,
            self.settings,
            self.ask_period(),
            self.show_error,
            self.statusBar(),
        )

    # --- exchange and the clinic's figures ------------------------------------

    @Slot()
    def export_fhir(self) -> Path | None:
        """Write the saved visit as a FHIR R4 Bundle; returns the file written."""
        from sijoint_exam.ui import window_exchange

        return window_exchange.export_fhir(
            self.session,
            self.settings,
            self.ask_fhir_path,
            self.show_error,
            self.statusBar(),
        )

    @Slot()
    def show_clinic_accuracy(self) -> None:
        """The clinic's own accuracy of a cluster rule, beside the published one."""
        from sijoint_exam.ui import window_exchange

        self.accuracy_dialog = window_exchange.show_clinic_accuracy(
            self,
            self.session.repository if self.session else None,
            self.settings.preferences.rule_id,
            self.show_error,
            self.statusBar(),
        )

    # --- encryption (window_encryption.py does the work) ----------------------

    @Slot()
    def encrypt_database(self) -> None:
        """Encrypt the plain database under a new passphrase, off the GUI thread."""
        from sijoint_exam.ui import window_encryption

        window_encryption.encrypt_database(self.database_handle())

    @Slot()
    def change_passphrase(self) -> None:
        """Re-encrypt the encrypted database under a new passphrase."""
        from sijoint_exam.ui import window_encryption

        window_encryption.change_passphrase(self.database_handle())

    # --- settings and help ---------------------------------------------------

    @Slot()
    def edit_settings(self) -> None:
        """Edit the preferences; new visits start from them."""
        from sijoint_exam.ui.settings_dialog import SettingsDialog

        chosen = SettingsDialog.ask(self.settings.preferences, self)
        self.settings.choose_preferences(chosen)

    @Slot()
    def show_about(self) -> None:
        """Version, where the data lives, licences."""
        from sijoint_exam.ui.about import AboutDialog

        AboutDialog(self.about_facts, self).show()

    @Slot()
    def open_demo_patient(self) -> None:
        """Add a generated patient with visits and open them."""
        from sijoint_exam.ui import operations

        self.patient_list.show_added(
            operations.add_demo_patient(self.repository, self._today())
        )

    @Slot()
    def show_shortcuts(self) -> None:
        """Show (or raise) the keyboard-shortcut sheet."""
        if self._shortcut_help is None:
            from sijoint_exam.ui.shortcut_help import ShortcutHelp

            self._shortcut_help = ShortcutHelp(self.actions(), self)
        self._shortcut_help.show()
        self._shortcut_help.raise_()
