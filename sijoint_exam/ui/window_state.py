"""What the window shows of the visit as it stands: which actions make sense,
the header's line, and what keeps the visit from being saved."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt

    from sijoint_exam.domain.problems import Problem
    from sijoint_exam.domain.visit import Visit
    from sijoint_exam.ui.exam_form import ExamForm
    from sijoint_exam.ui.exam_session import ExamSession
    from sijoint_exam.ui.window_actions import WindowActions


def enable_actions(
    acts: WindowActions,
    session: ExamSession | None,
    editing: bool,
    has_visits: bool,
    problems: bool,
) -> None:
    """Enable exactly what makes sense for the visit as it stands (`editing`:
    the exam is shown; `problems`: something keeps it from being saved)."""
    editing = editing and session is not None
    read_only = session is not None and session.read_only
    dirty = session is not None and session.is_dirty
    changeable = editing and not read_only
    has_patient = session is not None and session.patient is not None
    acts.new_visit.setEnabled(has_patient)
    for action in (acts.new_visit_from_last, acts.compare, acts.trend):
        action.setEnabled(has_patient and has_visits)
    acts.save.setEnabled(changeable and not problems)
    acts.revert.setEnabled(changeable and dirty)
    for action in (acts.export, acts.referral, acts.preview, acts.print):
        action.setEnabled(editing)
    saved = session is not None and session.visit_id is not None
    acts.export_fhir.setEnabled(editing and saved)
    acts.sign.setEnabled(changeable and saved and not dirty)
    acts.addendum.setEnabled(editing and session is not None and session.signed)


def header_text(session: ExamSession | None) -> str | None:
    """Who is open and the state of the visit; None with no patient open."""
    from html import escape  # not at import: html.entities is a large table

    if session is None or session.patient is None:
        return None
    patient = session.patient
    if session.visit_id is None:
        state = "new visit, not saved yet"
    elif session.elsewhere is not None:
        state = f"in progress in {session.elsewhere}: read-only here"
    else:
        state = "unsaved changes" if session.is_dirty else "saved"
    return (
        f"<b>{escape(patient.display_name)}</b> · MRN {escape(patient.mrn)} · "
        f"born {patient.date_of_birth.isoformat()} · <i>{state}</i>"
    )


def visit_problems(
    form: ExamForm, visit: Visit, session: ExamSession | None, today: dt.date
) -> list[Problem]:
    """What the form cannot read and what validation finds in its `visit`."""
    from sijoint_exam.domain.validation import validate_visit

    patient = session.patient if session else None
    return form.entry_problems() + validate_visit(visit, patient, today)
