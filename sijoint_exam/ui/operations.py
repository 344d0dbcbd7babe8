"""What the window does with a visit beyond editing it: sign, add an addendum,
export the note. Thin operations over the session and the store (Anki's
`aqt/operations` shape): each gets what it needs - the session, the settings,
the widget its dialogs belong to, how to ask and how to tell - not the window,
whose slots call them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QStatusBar, QWidget

from sijoint_exam.domain.demo import DEMO_MRN_PREFIX, demo_clinic
from sijoint_exam.domain.progress import compare, trend
from sijoint_exam.domain.score import score_visit
from sijoint_exam.domain.together import letter_refusal
from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui import signing
from sijoint_exam.ui.export import (
    KIND_TITLES,
    NOTE,
    REFERRAL,
    NoteRequest,
    note_file_name,
    write_pdf,
)

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from sijoint_exam.domain.note import NoteContent
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.exam_form import ExamForm
    from sijoint_exam.ui.exam_session import ExamSession, Opened
    from sijoint_exam.ui.note_preview import NotePreviewDialog
    from sijoint_exam.ui.preferences import Preferences
    from sijoint_exam.ui.settings import Settings
    from sijoint_exam.ui.signing import SignaturePanel
    from sijoint_exam.ui.visit_history import CompareDialog, TrendDialog

ShowError = Callable[[str, str], None]

log = logging.getLogger(__name__)


def _clinician_for_signing(
    parent: QWidget, settings: Settings, suggested: str
) -> str | None:
    """The remembered clinician, or asked once and then remembered."""
    clinician = settings.preferences.clinician or signing.ask_clinician(
        parent, suggested
    )
    if clinician:
        settings.remember(clinician=clinician)
    return clinician


def sign_visit(
    parent: QWidget,
    session: ExamSession | None,
    settings: Settings,
    show_error: ShowError,
    show_opened: Callable[[Opened], None],
) -> bool:
    """Sign the saved visit, then show it signed; True when signed."""
    if (
        session is None
        or session.visit_id is None
        or session.is_dirty
        or session.signed
    ):
        return False
    visit = session.current()
    checks = open_checks(visit)
    clinician = _clinician_for_signing(parent, settings, visit.clinician)
    if not clinician:
        return False
    # With open checks, each is acknowledged by name; without, signing is asked
    # to be confirmed as ever.
    if checks:
        acknowledged = signing.acknowledge_checks(parent, clinician, checks)
        if acknowledged is None:
            return False
    elif signing.confirm_signing(parent, clinician):
        acknowledged = ()
    else:
        return False
    try:
        session.sign(clinician, acknowledged)
    except Exception as error:  # the store refused (e.g. signed elsewhere)
        log.exception("signing failed")
        show_error("The visit was not signed", str(error))
        return False
    show_opened(session.open_visit(session.visit_id))
    return True


def open_checks(visit: Visit) -> tuple[str, ...]:
    """The checks before signing the visit has open (clinical-rules.md §8)."""
    return score_visit(visit).checks


def letter_refusal_text(request: NoteRequest) -> str | None:
    """Why the referral letter may not be written (a cauda equina flag open and
    not acknowledged at signing: `domain.together.letter_refusal`), or None."""
    if request.kind != REFERRAL:
        return None
    signature = request.session.signature
    acknowledged = () if signature is None else signature.acknowledged_checks
    return letter_refusal(open_checks(request.visit), acknowledged)


def add_addendum(
    parent: QWidget,
    session: ExamSession | None,
    settings: Settings,
    panel: SignaturePanel,
) -> None:
    """Append a dated, signed correction to the signed visit; `panel` shows it."""
    if session is None or not session.signed:
        return
    text = signing.ask_addendum_text(parent)
    clinician = _clinician_for_signing(parent, settings, "") if text else None
    if text and clinician:
        session.add_addendum(text, clinician)
        panel.show_signature(session.signature, session.addenda)


def note_request(
    session: ExamSession | None, preferences: Preferences, kind: str
) -> NoteRequest | None:
    """What the open visit's note or letter is built from (None: nothing open)."""
    if session is None or session.patient is None:
        return None
    others = session.other_visits()
    return NoteRequest(
        kind=kind,
        patient=session.patient,
        visit=session.current(),
        preferences=preferences,
        session=session,
        earlier_visits=others.visits,
        unreadable_dates=others.unreadable_dates,
    )


def export_note(
    session: ExamSession | None,
    settings: Settings,
    ask_path: Callable[[Path], Path | None],
    show_error: ShowError,
    status: QStatusBar,
    kind: str = NOTE,
) -> Path | None:
    """Write the open visit's note or referral letter; returns the file written.
    `ask_path` asks where, from a suggested file."""
    request = note_request(session, settings.preferences, kind)
    if request is None:
        return None
    refusal = letter_refusal_text(request)
    if refusal is not None:
        show_error(f"The {KIND_TITLES[kind]} was not exported", refusal)
        return None
    folder = settings.export_dir or Path.home()
    suggested = folder / note_file_name(kind, request.patient.mrn, request.visit.date)
    target = ask_path(suggested)
    if target is None:
        return None
    title = KIND_TITLES[kind]
    try:
        target = write_pdf(request, target)
        if request.session.visit_id is not None:
            request.session.repository.record_export(
                request.session.visit_id,
                target,
                f"{title} PDF",
                request.visit.clinician,
            )
    except OSError as error:
        log.exception("export failed")
        show_error(f"The {title} was not exported", f"{target}: {error}")
        return None
    settings.export_dir = target.parent
    status.showMessage(f"Exported {target}", 8000)
    return target


def _saved_visits(session: ExamSession | None) -> list[tuple[int, Visit]]:
    """The patient's saved visits as (id, Visit), newest first; a visit whose
    content cannot be read is left out (the visit list shows it as such)."""
    if session is None or session.patient_id is None:
        return []
    repository = session.repository
    summaries = repository.list_visits(session.patient_id)
    return [(s.id, repository.get_visit(s.id)) for s in summaries if not s.damaged]


def template_from_last(
    session: ExamSession | None, template: Visit, status: QStatusBar
) -> Visit | None:
    """`template` with the newest visit's history, referral and complaint: what
    carries over between visits; the findings are examined afresh."""
    visits = _saved_visits(session)
    if not visits:
        status.showMessage("No earlier visit to start from.", 5000)
        return None
    last = visits[0][1]
    return replace(
        template,
        history=last.history,
        referral=last.referral,
        chief_complaint=last.chief_complaint,
        symptomatic_side=last.symptomatic_side,
    )


def compare_with_previous(
    parent: QWidget, session: ExamSession | None, status: QStatusBar
) -> CompareDialog | None:
    """Show the open visit beside the saved visit before it (by date)."""
    visits = _saved_visits(session)
    if session is None or len(visits) < 2:
        status.showMessage("There is no earlier visit to compare.", 5000)
        return None
    ids = [visit_id for visit_id, _ in visits]
    current = ids.index(session.visit_id) if session.visit_id in ids else -1
    later_id, later = (
        (session.visit_id, session.current()) if current >= 0 else visits[0]
    )
    earlier_index = current + 1 if current >= 0 else 1
    if earlier_index >= len(visits):
        status.showMessage("This is the first visit.", 5000)
        return None
    earlier = visits[earlier_index][1]
    from sijoint_exam.ui.visit_history import CompareDialog  # drawn on first use

    dialog = CompareDialog(
        compare(earlier, later),
        (earlier.date.isoformat(), later.date.isoformat()),
        parent,
    )
    dialog.show()
    return dialog


def show_trend(parent: QWidget, session: ExamSession | None) -> TrendDialog | None:
    """Chart the patient's saved visits."""
    visits = [visit for _, visit in _saved_visits(session)]
    if not visits:
        return None
    from sijoint_exam.ui.visit_history import TrendDialog  # drawn on first use

    dialog = TrendDialog(trend(visits), parent)
    dialog.show()
    return dialog


def add_demo_patient(repository: Repository, today: dt.date) -> int:
    """Save one generated demonstration patient with visits; returns its id."""
    existing = repository.search_patients(DEMO_MRN_PREFIX, limit=10**9)
    patient, visits = next(demo_clinic(1, today, first_index=len(existing) + 1))
    patient_id = repository.add_patient(patient)
    for visit in visits:
        repository.save_visit(patient_id, visit)
    return patient_id


def show_preview(
    parent: QWidget, session: ExamSession | None, settings: Settings, form: ExamForm
) -> NotePreviewDialog | None:
    """The visit note beside the exam, as the PDF will say it; it follows the
    form's edits while it is open."""
    from sijoint_exam.ui.note_preview import NotePreviewDialog  # drawn on first use

    if note_request(session, settings.preferences, NOTE) is None:
        return None
    dialog = parent.findChild(NotePreviewDialog)
    if dialog is None:

        def build() -> NoteContent | None:
            request = note_request(session, settings.preferences, NOTE)
            return request.build() if request else None

        dialog = NotePreviewDialog(build, parent)
        form.changed.connect(dialog.schedule_refresh)
    dialog.show()
    dialog.refresh()
    dialog.raise_()
    return dialog


def print_note(
    session: ExamSession | None,
    settings: Settings,
    ask_printer: Callable[[], QPrinter | None],
    status: QStatusBar,
) -> bool:
    """Print the open visit's note through the system's printers (Qt print
    support), from the same content as the PDF; the print goes in the audit log."""
    from sijoint_exam.ui.note_preview import NotePreview  # drawn on first use

    request = note_request(session, settings.preferences, NOTE)
    printer = ask_printer() if request is not None else None
    if request is None or printer is None:
        return False
    document = NotePreview()
    try:
        document.show_note(request.build())
        document.document().print_(printer)
    finally:
        document.deleteLater()
    where = printer.outputFileName() or printer.printerName() or "default printer"
    if request.session.visit_id is not None:
        request.session.repository.record_print(
            request.session.visit_id, where, "visit note", request.visit.clinician
        )
    status.showMessage(f"Sent the visit note to {where}", 8000)
    return True


def export_period(
    parent: QWidget,
    repository: Repository,
    settings: Settings,
    period: tuple[dt.date, dt.date, Path] | None,
    show_error: ShowError,
    status: QStatusBar,
) -> int | None:
    """Write the visit note of every visit in a period into a folder, with a
    progress dialog that can be cancelled; returns how many were written."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    from sijoint_exam.report.visit_note import write_document
    from sijoint_exam.store.notes import note_for_visit

    if period is None:
        return None
    first, last, folder = period
    found = repository.visits_between(first, last)
    prefs = settings.preferences
    letterhead = prefs.letterhead()
    progress = QProgressDialog(
        f"Writing {len(found)} visit notes to {folder}…",
        "Cancel",
        0,
        len(found),
        parent,
    )
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(500)  # only batches that take a while show it
    written = 0
    try:
        for done, (visit_id, mrn, day) in enumerate(found):
            progress.setValue(done)  # also lets a Cancel click through
            if progress.wasCanceled():
                break
            target = folder / note_file_name(NOTE, mrn, day, visit_id)
            write_document(
                note_for_visit(repository, visit_id, NOTE, letterhead), target
            )
            repository.record_export(
                visit_id, target, "visit note PDF", prefs.clinician
            )
            written += 1
    except OSError as error:
        log.exception("batch export failed")
        show_error("The notes were not all exported", f"{folder}: {error}")
    finally:
        progress.setValue(len(found))
    stopped = " (cancelled)" if written < len(found) else ""
    status.showMessage(
        f"{written} of {len(found)} visit notes written to {folder}{stopped}", 10000
    )
    return written
