"""The visit record itself, from the window: a patient added, the form's visit
saved, the saved visit put back. Operations in the manner of `operations.py`:
each gets what it needs and a callback for what the window shows after."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    import datetime as dt

    from sijoint_exam.domain.visit import Patient, Visit
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.exam_form import ExamForm
    from sijoint_exam.ui.exam_session import ExamSession
    from sijoint_exam.ui.settings import Settings

log = logging.getLogger(__name__)


def add_patient(
    parent: QWidget,
    repository: Repository,
    today: Callable[[], dt.date],
    added: Callable[[int], None],
) -> None:
    """Ask for a new patient and add them; `added` gets the new patient's id.
    An MRN already in use is said in the dialog, which stays open."""
    from sijoint_exam.store.repository import DuplicateMrnError
    from sijoint_exam.ui.patient_dialog import PatientDialog

    created: list[int] = []

    def add(patient: Patient) -> str | None:
        try:
            created.append(repository.add_patient(patient))
        except DuplicateMrnError as error:
            return str(error)
        return None

    if PatientDialog.ask(today, parent=parent, accept=add) and created:
        added(created[0])


def save_visit(
    session: ExamSession | None,
    form: ExamForm,
    settings: Settings,
    today: dt.date,
    show_error: Callable[[str, str], None],
    saved: Callable[[], None],
) -> bool:
    """Validate and save the form's visit, then `saved`; True when it is in the
    database. Problems are named and nothing is saved; a disk or database fault
    is said, and the form keeps what was typed."""
    from sijoint_exam.ui.problem_text import describe_all
    from sijoint_exam.ui.window_state import visit_problems

    if session is None or not session.is_open or session.read_only:
        return False
    form.forget_built()  # what is stored is read from the widgets themselves
    visit = form.visit()
    problems = visit_problems(form, visit, session, today)
    if problems:
        show_error("The visit was not saved", describe_all(problems))
        return False
    try:
        session.save()
    except Exception as error:  # a disk or database fault: say so, keep the form
        log.exception("saving visit failed")
        show_error("The visit was not saved", str(error))
        return False
    if visit.clinician:
        settings.remember(clinician=visit.clinician)
    saved()
    return True


def revert_visit(
    session: ExamSession | None,
    confirm: Callable[[], bool],
    reverted: Callable[[Visit], None],
) -> None:
    """Drop the unsaved changes once `confirm` says so (Ctrl+Shift+Z is Redo in
    many programs); `reverted` gets the visit as last saved."""
    if session is None or not session.is_open:
        return
    if session.is_dirty and not confirm():
        return
    reverted(session.revert())
