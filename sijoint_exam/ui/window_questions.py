"""What the main window asks and tells the user in a dialog of its own.

Each is a method of the window (a mixin of MainWindow), so that tests answer one
question by replacing one method, and the operations that need an answer get
the method itself as an argument (`ask_path=window.ask_export_path`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    import datetime as dt

    from PySide6.QtPrintSupport import QPrinter

    from sijoint_exam.ui.settings import Settings


class WindowQuestions(QMainWindow):
    """The window's dialogs that ask for one answer (tests monkeypatch each)."""

    settings: Settings
    _today: Callable[[], dt.date]

    def show_error(self, title: str, text: str) -> None:
        """Tell the user what went wrong."""
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, title, text)

    def confirm_revert(self) -> bool:
        """Ask before unsaved changes are dropped."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            "Revert to saved",
            "Drop the changes not saved yet and show the visit as last saved?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_restore_draft(self, text: str) -> bool:
        """Offer a draft left from last time."""
        from sijoint_exam.ui import window_drafts

        return window_drafts.ask_restore_draft(self, text)

    def ask_export_path(self, suggested: Path) -> Path | None:
        """Ask where to write the PDF."""
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(
            self, "Export as PDF", str(suggested), "PDF files (*.pdf)"
        )
        return Path(name) if name else None

    def ask_printer(self) -> QPrinter | None:
        """Choose a printer; None when cancelled."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    def ask_period(self) -> tuple[dt.date, dt.date, Path] | None:
        """The dates and folder of a batch export."""
        from PySide6.QtWidgets import QDialog

        from sijoint_exam.ui.export import PeriodDialog

        folder = self.settings.export_dir or Path.home()
        dialog = PeriodDialog(self._today(), folder, self)
        return dialog.period() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_fhir_path(self, suggested: Path) -> Path | None:
        """Ask where to write the FHIR Bundle."""
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(
            self, "Export as FHIR", str(suggested), "FHIR JSON (*.json)"
        )
        return Path(name) if name else None

    def ask_clinician_name(self, names: list[str], current: str) -> str | None:
        """Who is working now, chosen or typed."""
        from sijoint_exam.ui import window_privacy

        return window_privacy.ask_clinician_name(self, names, current)

    def ask_passphrase(self, wrong: bool) -> str | None:
        """The passphrase again, to unlock."""
        from sijoint_exam.ui import privacy

        return privacy.ask_passphrase(self, "this database", wrong)

    def ask_new_passphrase(
        self, explanation: str, current: bool
    ) -> tuple[str, str, str] | None:
        """The new passphrase, again, and the current one when `current` (else "");
        None when cancelled."""
        from sijoint_exam.ui import window_encryption

        return window_encryption.ask_passphrases(self, explanation, current)
