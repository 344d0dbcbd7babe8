"""File ▸ Export as FHIR… and Visits ▸ Clinic accuracy…: the window's side of
`exchange.fhir_bundle` and `domain.accuracy`."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.catalogue import RULE_SETS
from sijoint_exam.domain.visit import Visit

if TYPE_CHECKING:
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.exam_session import ExamSession
    from sijoint_exam.ui.settings import Settings

ShowError = Callable[[str, str], None]

log = logging.getLogger(__name__)


def export_fhir(
    session: ExamSession | None,
    settings: Settings,
    ask_path: Callable[[Path], Path | None],
    show_error: ShowError,
    status: QStatusBar,
) -> Path | None:
    """Write the open, saved visit as a FHIR R4 Bundle; returns the file written.
    `ask_path` asks where, from a suggested file."""
    from sijoint_exam.exchange.fhir_bundle import identifier_system_problem
    from sijoint_exam.ui.fhir_export import (
        AUDIT_KIND,
        bundle_text,
        fhir_file_name,
        stored_visit_export,
    )

    title = "The visit was not exported as FHIR"
    if session is None or session.visit_id is None or session.patient is None:
        show_error(title, "Save the visit first: a FHIR export is of a saved visit.")
        return None
    if session.is_dirty:
        show_error(
            title,
            "Save the visit first: its unsaved changes would not be in the export.",
        )
        return None
    preferences = settings.preferences
    system = preferences.patient_identifier_system
    problem = identifier_system_problem(system)
    if problem is not None:
        show_error(
            title,
            f"Settings ▸ MRN identifier system: {problem}. Set the URI the receiving "
            "EHR knows for the clinic's record numbers (e.g. urn:oid:…).",
        )
        return None
    visit = session.repository.get_visit(session.visit_id)
    folder = settings.export_dir or Path.home()
    suggested = folder / fhir_file_name(
        session.patient.mrn, visit.date, session.visit_id
    )
    target = ask_path(suggested)
    if target is None:
        return None
    try:
        export = stored_visit_export(
            session.repository, session.visit_id, system, preferences.letterhead()
        )
        from sijoint_exam.store.files import write_text_whole

        write_text_whole(target, bundle_text(export))
    except OSError as error:
        log.exception("FHIR export failed")
        show_error(title, f"{target}: {error.strerror or error}")
        return None
    session.repository.record_export(session.visit_id, target, AUDIT_KIND)
    settings.export_dir = target.parent
    status.showMessage(f"Exported {target}", 8000)
    return target


def accuracy_text(visits: Sequence[tuple[str, Visit]], rule_id: str) -> str:
    """The clinic's accuracy of `rule_id` over (MRN, visit) pairs, as text."""
    from sijoint_exam.domain.accuracy import accuracy_lines, clinic_accuracy

    return "\n".join(accuracy_lines(clinic_accuracy(visits, rule_id)))


def visits_with_blocks(
    parent: QWidget, repository: Repository
) -> list[tuple[str, Visit]] | None:
    """Every stored visit that records a block, as (MRN, visit); None if cancelled.

    Only these can be verified, so only these are kept; the reading shows a
    cancellable progress dialog when it takes a while (a large clinic has
    hundreds of thousands of visits).
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    found = repository.visits_between(dt.date.min, dt.date.max)
    progress = QProgressDialog(
        f"Reading {len(found)} visits…", "Cancel", 0, len(found), parent
    )
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(500)
    kept = []
    try:
        for done, (visit_id, mrn, _) in enumerate(found):
            if done % 250 == 0:
                progress.setValue(done)  # also lets a Cancel click through
                if progress.wasCanceled():
                    return None
            visit = repository.get_visit(visit_id)
            if visit.blocks:
                kept.append((mrn, visit))
    finally:
        progress.setValue(len(found))
    return kept


class AccuracyDialog(QDialog):
    """The clinic's own accuracy of a rule, beside the published figures."""

    def __init__(
        self,
        visits: Sequence[tuple[str, Visit]],
        rule_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clinic accuracy")
        self._visits = visits
        self.rule_combo = QComboBox(self)
        self.rule_combo.setObjectName("accuracy.rule")
        for rule in RULE_SETS:
            self.rule_combo.addItem(rule.name, rule.id)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("accuracy.text")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setMinimumSize(720, 420)
        form = QFormLayout()
        form.addRow("Rule", self.rule_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.rule_combo.setCurrentIndex(max(self.rule_combo.findData(rule_id), 0))
        self.rule_combo.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Recompute for the rule chosen (the visits were read once, on opening)."""
        self.text.setPlainText(
            accuracy_text(self._visits, self.rule_combo.currentData())
        )


def show_clinic_accuracy(
    parent: QWidget,
    repository: Repository | None,
    rule_id: str,
    show_error: ShowError,
    status: QStatusBar,
) -> AccuracyDialog | None:
    """Open the clinic-accuracy window (non-modal, so the record stays usable)
    over `repository` (None: no database is open yet), on `rule_id` first."""
    if repository is None:
        show_error("No clinic accuracy", "No database is open yet.")
        return None
    visits = visits_with_blocks(parent, repository)
    if visits is None:
        status.showMessage("Clinic accuracy cancelled", 8000)
        return None
    dialog = AccuracyDialog(visits, rule_id, parent)
    dialog.setModal(False)
    dialog.show()
    return dialog
