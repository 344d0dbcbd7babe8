"""Writing the visit note or referral letter: what goes into it, the file name, and
the PDF written whole. The note and letter take the same content as the preview.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.ui.widgets.date_field import DateField

if TYPE_CHECKING:
    from sijoint_exam.domain.note import NoteContent
    from sijoint_exam.ui.exam_session import ExamSession
    from sijoint_exam.ui.preferences import Preferences

NOTE = "note"
REFERRAL = "referral"
KIND_TITLES = {NOTE: "visit note", REFERRAL: "referral letter"}


@dataclass(frozen=True)
class NoteRequest:
    """Everything a note or letter is built from, gathered from the window."""

    kind: str
    patient: Patient
    visit: Visit
    preferences: Preferences
    session: ExamSession
    earlier_visits: Sequence[Visit] = ()
    unreadable_dates: Sequence[dt.date] = ()

    def build(self) -> NoteContent:
        """The note's content (the same for the PDF and the preview)."""
        # Imported on first use: the note builder costs start-up nothing this way.
        from sijoint_exam.domain import note
        from sijoint_exam.store.notes import signing_inputs

        signing, addenda = signing_inputs(self.session.signature, self.session.addenda)
        return note.build_document(
            self.kind,
            self.patient,
            self.visit,
            letterhead=self.preferences.letterhead(),
            signing=signing,
            addenda=addenda,
            earlier_visits=self.earlier_visits,
            unreadable_dates=self.unreadable_dates,
        )


def note_file_name(
    kind: str, mrn: str, day: dt.date, visit_id: int | None = None
) -> str:
    """`visit-note-A-1001-2026-11-20.pdf`: no patient name in the file name (the
    visit id is added in a batch, where one patient may have two visits a day)."""
    safe_mrn = "".join(c if c.isalnum() or c in "-_" else "_" for c in mrn)
    prefix = "referral" if kind == REFERRAL else "visit-note"
    suffix = f"-{visit_id}" if visit_id is not None else ""
    return f"{prefix}-{safe_mrn}-{day.isoformat()}{suffix}.pdf"


class PeriodDialog(QDialog):
    """The dates and folder of a batch export."""

    def __init__(self, today: dt.date, folder: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export visit notes for a period")
        # Typed as shown (yyyy-mm-dd); OK only once both are dates, in order.
        self.first_edit = DateField("From", self, required=True)
        self.last_edit = DateField("To", self, required=True)
        self.first_edit.set_date(today.replace(day=1))
        self.last_edit.set_date(today)
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("period.problem")
        self.folder_edit = QLineEdit(str(folder), self)
        browse = QPushButton("Choose…", self)
        browse.clicked.connect(self._choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(browse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            parent=self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        form = QFormLayout(self)
        form.addRow("From", self.first_edit)
        form.addRow("To", self.last_edit)
        form.addRow("Folder", row)
        form.addRow(self.problem_label)
        form.addRow(buttons)
        for edit in (self.first_edit, self.last_edit):
            edit.date_changed.connect(self._check)
        self._check()

    def _check(self) -> None:
        """Name what is wrong with the dates; OK only when nothing is."""
        problems = [
            f"{edit.label} {edit.problem()}"
            if edit.problem().startswith("is ")
            else f"{edit.label}: {edit.problem()}"
            for edit in (self.first_edit, self.last_edit)
            if edit.problem()
        ]
        first, last = self.first_edit.date(), self.last_edit.date()
        if first and last and first > last:
            problems.append(f"From {first} is after To {last}")
        self.problem_label.setText("\n".join(problems))
        self.problem_label.setVisible(bool(problems))
        self._ok.setEnabled(not problems)

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Folder", self.folder_edit.text()
        )
        if chosen:
            self.folder_edit.setText(chosen)

    def period(self) -> tuple[dt.date, dt.date, Path]:
        first, last = self.first_edit.date(), self.last_edit.date()
        assert first is not None and last is not None  # OK needs both
        return first, last, Path(self.folder_edit.text())


def write_pdf(request: NoteRequest, target: Path) -> Path:
    """Write the note or letter to `target` (".pdf" added if missing) with a wait
    cursor; the file appears whole or not at all.

    Raises:
        OSError: The file could not be written.
    """
    if target.suffix.lower() != ".pdf":
        target = target.with_suffix(".pdf")
    # Imported on first export: reportlab costs ~130 ms that start-up need not pay.
    from sijoint_exam.report.visit_note import write_document

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        write_document(request.build(), target)
    finally:
        QGuiApplication.restoreOverrideCursor()
    return target
