"""The window's side of autosave: writing the draft with a quiet indicator, and
offering a draft left from last time (a crash, a power cut) on start."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from sijoint_exam.ui.autosave import draft_offer_text
from sijoint_exam.ui.tones import Tone, set_tone

if TYPE_CHECKING:
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.exam_session import ExamSession

log = logging.getLogger(__name__)


def write_draft(session: ExamSession | None, indicator: QLabel) -> None:
    """Autosave's write: a failure is shown and logged, and typing goes on."""
    if session is None:
        return
    try:
        if session.write_draft():
            indicator.setText(f"Draft autosaved {dt.datetime.now():%H:%M:%S}")
            set_tone(indicator, None)
    except Exception as error:  # the disk or database failed: say so
        log.exception("autosave failed")
        indicator.setText(f"Autosave FAILED: {error}")
        set_tone(indicator, Tone.ALERT)


def ask_restore_draft(parent: QWidget, text: str) -> bool:
    """Ask whether to open a draft left from last time."""
    answer = QMessageBox.question(
        parent,
        "Unsaved visit found",
        text,
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Ignore,
    )
    return answer == QMessageBox.StandardButton.Open


def offer_drafts(
    repository: Repository,
    ask: Callable[[str], bool],
    restore: Callable[[int, int | None], None],
) -> None:
    """Offer the newest left-over draft (`restore` opens its patient and visit);
    the others come back with their visits."""
    drafts = repository.drafts()
    if not drafts:
        return
    newest = drafts[0]
    patient = repository.get_patient(newest.patient_id)
    if ask(draft_offer_text(patient, newest, len(drafts))):
        restore(newest.patient_id, newest.visit_id)
