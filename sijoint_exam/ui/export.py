"""Writing the visit note or referral letter: what goes into it, the file name, and
the PDF written whole. The note and letter take the same content as the preview.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from sijoint_exam.domain.visit import Patient, Visit

if TYPE_CHECKING:
    from sijoint_exam.domain.note import NoteContent
    from sijoint_exam.ui.exam_session import ExamSession
    from sijoint_exam.ui.settings import Preferences

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

    def build(self) -> NoteContent:
        """The note's content (the same for the PDF and the preview)."""
        # Imported on first use: the note builder costs start-up nothing this way.
        from sijoint_exam.domain import note

        prefs = self.preferences
        signature = self.session.signature
        builder = note.build_referral if self.kind == REFERRAL else note.build_note
        return builder(
            self.patient,
            self.visit,
            letterhead=note.Letterhead(
                prefs.clinic_name,
                prefs.clinic_address,
                prefs.clinic_phone,
                prefs.clinic_logo,
            ),
            signing=note.SigningInfo(
                signature.clinician, signature.signed_at, signature.content_sha256
            )
            if signature
            else None,
            addenda=[
                note.AddendumInfo(a.created_at, a.text, a.clinician)
                for a in self.session.addenda
            ],
            earlier_visits=self.earlier_visits,
        )


def note_file_name(kind: str, patient: Patient, visit: Visit) -> str:
    """`visit-note-A-1001-2026-11-20.pdf`: no patient name in the file name."""
    safe_mrn = "".join(c if c.isalnum() or c in "-_" else "_" for c in patient.mrn)
    prefix = "referral" if kind == REFERRAL else "visit-note"
    return f"{prefix}-{safe_mrn}-{visit.date.isoformat()}.pdf"


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
