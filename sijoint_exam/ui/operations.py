"""What the window does with a visit beyond editing it: sign, add an addendum,
export the note. Thin operations over the session and the store (Anki's
`aqt/operations` shape); the window's slots call them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sijoint_exam.ui import signing
from sijoint_exam.ui.export import note_file_name, write_note_pdf

if TYPE_CHECKING:
    from sijoint_exam.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def _clinician_for_signing(window: MainWindow, suggested: str) -> str | None:
    """The remembered clinician, or asked once and then remembered."""
    clinician = window.settings.preferences.clinician or signing.ask_clinician(
        window, suggested
    )
    if clinician:
        window.settings.remember(clinician=clinician)
    return clinician


def sign_visit(window: MainWindow) -> bool:
    """Sign the saved visit; True when signed."""
    session = window.session
    if (
        session is None
        or session.visit_id is None
        or session.is_dirty
        or session.signed
    ):
        return False
    clinician = _clinician_for_signing(window, window.form.visit().clinician)
    if not clinician or not signing.confirm_signing(window, clinician):
        return False
    try:
        session.sign(clinician)
    except Exception as error:  # the store refused (e.g. signed elsewhere)
        log.exception("signing failed")
        window.show_error("The visit was not signed", str(error))
        return False
    window.show_opened(session.open_visit(session.visit_id))
    return True


def add_addendum(window: MainWindow) -> None:
    """Append a dated, signed correction to the signed visit."""
    session = window.session
    if session is None or not session.signed:
        return
    text = signing.ask_addendum_text(window)
    clinician = _clinician_for_signing(window, "") if text else None
    if text and clinician:
        session.add_addendum(text, clinician)
        window.signature_panel.show_signature(session.signature, session.addenda)


def export_note(window: MainWindow) -> Path | None:
    """Write the form's visit as a PDF visit note; returns the file written."""
    session = window.session
    if session is None or session.patient is None:
        return None
    visit = window.form.visit()
    folder = window.settings.export_dir or Path.home()
    target = window.ask_export_path(folder / note_file_name(session.patient, visit))
    if target is None:
        return None
    try:
        target = write_note_pdf(session.patient, visit, target)
        if session.visit_id is not None:
            window.repository.record_export(
                session.visit_id, target, "visit note PDF", visit.clinician
            )
    except OSError as error:
        log.exception("export failed")
        window.show_error("The note was not exported", f"{target}: {error}")
        return None
    window.settings.export_dir = target.parent
    window.statusBar().showMessage(f"Exported {target}", 8000)
    return target
