"""Exporting the visit note: file name, the PDF written whole, errors said plainly."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from sijoint_exam.domain.visit import Patient, Visit


def note_file_name(patient: Patient, visit: Visit) -> str:
    """`visit-note-A-1001-2026-11-20.pdf`: no patient name in the file name."""
    safe_mrn = "".join(c if c.isalnum() or c in "-_" else "_" for c in patient.mrn)
    return f"visit-note-{safe_mrn}-{visit.date.isoformat()}.pdf"


def write_note_pdf(patient: Patient, visit: Visit, target: Path) -> Path:
    """Write the visit note to `target` (".pdf" added if missing) with a wait cursor.

    Raises:
        OSError: The file could not be written.
    """
    if target.suffix.lower() != ".pdf":
        target = target.with_suffix(".pdf")
    # Imported on first export: the note builder and reportlab cost ~150 ms that
    # start-up need not pay.
    from sijoint_exam.domain.note import build_note
    from sijoint_exam.report.visit_note import write_visit_note

    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        write_visit_note(build_note(patient, visit), target)
    finally:
        QGuiApplication.restoreOverrideCursor()
    return target
