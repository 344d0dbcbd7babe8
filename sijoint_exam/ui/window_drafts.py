"""The window's side of autosave: writing the draft with a quiet indicator, and
offering a draft left from last time (a crash, a power cut) on start."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from sijoint_exam.ui.autosave import draft_offer_text
from sijoint_exam.ui.tones import Tone, set_tone

if TYPE_CHECKING:
    from sijoint_exam.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def write_draft(window: MainWindow) -> None:
    """Autosave's write: a failure is shown and logged, and typing goes on."""
    if window.session is None:
        return
    try:
        if window.session.write_draft():
            window.draft_label.setText(f"Draft autosaved {dt.datetime.now():%H:%M:%S}")
            set_tone(window.draft_label, None)
    except Exception as error:  # the disk or database failed: say so
        log.exception("autosave failed")
        window.draft_label.setText(f"Autosave FAILED: {error}")
        set_tone(window.draft_label, Tone.ALERT)


def ask_restore_draft(window: MainWindow, text: str) -> bool:
    """Ask whether to open a draft left from last time."""
    answer = QMessageBox.question(
        window,
        "Unsaved visit found",
        text,
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Ignore,
    )
    return answer == QMessageBox.StandardButton.Open


def offer_drafts(window: MainWindow) -> None:
    """Offer the newest left-over draft; the others come back with their visits."""
    drafts = window.repository.drafts()
    if not drafts:
        return
    newest = drafts[0]
    patient = window.repository.get_patient(newest.patient_id)
    if window.ask_restore_draft(draft_offer_text(patient, newest, len(drafts))):
        window.patient_list.select_patient(newest.patient_id)
        window.open_patient(newest.patient_id, newest.visit_id)
