"""MainWindow: patients and visits on the left, the exam in the middle, the tally.

Nothing typed is ever lost: edits are autosaved as a draft about a second after the
clinician pauses, and on leaving a visit or closing. "Save" turns the draft into the
visit record; a draft left behind (a crash, a power cut) is offered back on start.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.cluster import evaluate
from sijoint_exam.domain.validation import validate_visit
from sijoint_exam.domain.visit import Patient, Scoring, Visit
from sijoint_exam.ui import signing
from sijoint_exam.ui.autosave import Autosave
from sijoint_exam.ui.exam_form import ExamForm
from sijoint_exam.ui.export import note_file_name, write_note_pdf
from sijoint_exam.ui.patient_dialog import PatientDialog
from sijoint_exam.ui.patient_list import PatientList
from sijoint_exam.ui.settings import Settings
from sijoint_exam.ui.settings_dialog import SettingsDialog
from sijoint_exam.ui.shortcut_help import ShortcutHelp
from sijoint_exam.ui.signing import SignaturePanel
from sijoint_exam.ui.tally_panel import TallyPanel
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.visit_list import VisitList
from sijoint_exam.ui.welcome import Welcome
from sijoint_exam.ui.window_actions import action_button, build_actions

if TYPE_CHECKING:
    from sijoint_exam.store.drafts import Draft
    from sijoint_exam.store.repository import Repository

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """The program's window. Everything it needs is passed in (no singletons)."""

    def __init__(
        self,
        settings: Settings,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self._repository: Repository | None = None
        self._settings = settings
        self._today = today
        self._patient_id: int | None = None
        self._patient: Patient | None = None
        self._visit_id: int | None = None
        # The visit as last saved, or as a new visit started: edits are measured
        # against it, so an untouched new visit leaves no draft behind.
        self._baseline: Visit | None = None
        self._shortcut_help: ShortcutHelp | None = None
        self._autosave = Autosave(self._write_draft, self)
        self.setWindowTitle("sijoint-exam")
        self.patient_list = PatientList(self)
        self.visit_list = VisitList(self)
        self.form = ExamForm(self)
        self.tally = TallyPanel(self)
        self.header_label = QLabel(self)
        self.header_label.setObjectName("exam.header")
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("exam.problems")
        set_tone(self.problems_label, Tone.ALERT)
        self.problems_label.setWordWrap(True)
        self.draft_label = QLabel(self)  # the quiet "autosaved" indicator
        self.signature_panel = SignaturePanel(self)
        self._signed = False
        self.draft_label.setObjectName("exam.draft_state")
        self.menu_actions = build_actions(
            self,
            {
                "new_patient": self.new_patient,
                "new_visit": self.new_visit,
                "save": self.save_visit,
                "revert": self.revert_visit,
                "sign": self.sign_visit,
                "addendum": self.add_addendum,
                "export": self.export_note,
                "settings": self.edit_settings,
                "help": self.show_shortcuts,
                "quit": self.close,
            },
        )
        self._build_layout()
        self.statusBar().addPermanentWidget(self.draft_label)
        self.menu_actions.new_patient.setEnabled(False)
        self.statusBar().showMessage("Opening the database…")
        self.patient_list.patient_selected.connect(self._on_patient_selected)
        self.visit_list.visit_selected.connect(self._on_visit_selected)
        self.form.changed.connect(self._on_form_changed)
        self._set_exam_enabled(False)
        if settings.window_geometry is not None:
            self.restoreGeometry(settings.window_geometry)
        else:
            self._fit_to_screen()

    # --- construction -------------------------------------------------------

    def _fit_to_screen(self) -> None:
        """First start: 1320×760, or the whole screen when it is smaller."""
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1320, 760)
            return
        available = screen.availableGeometry()
        self.resize(min(1320, available.width()), min(760, available.height()))
        if available.width() < 1400 or available.height() < 820:
            self.setWindowState(Qt.WindowState.WindowMaximized)

    def _build_layout(self) -> None:
        actions = self.menu_actions
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel("<b>Patients</b>", left))
        left_layout.addWidget(self.patient_list, 3)
        left_layout.addWidget(action_button(actions.new_patient, "patients.new", left))
        left_layout.addWidget(QLabel("<b>Visits</b>", left))
        left_layout.addWidget(self.visit_list, 2)
        left_layout.addWidget(action_button(actions.new_visit, "visits.new", left))
        exam = QWidget(self)
        exam_layout = QVBoxLayout(exam)
        exam_layout.setContentsMargins(0, 0, 0, 0)
        exam_layout.addWidget(self.header_label)
        exam_layout.addWidget(self.signature_panel)
        exam_layout.addWidget(self.problems_label)
        exam_layout.addWidget(self.form, 1)
        self.welcome = Welcome(actions.new_patient, self)
        self.centre = QStackedWidget(self)
        self.centre.addWidget(self.welcome)
        self.centre.addWidget(exam)
        right = self.exam_side = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.tally, 1)
        for action, name in (
            (actions.save, "visit.save"),
            (actions.export, "visit.export"),
        ):
            right_layout.addWidget(action_button(action, name, right))
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for widget in (left, self.centre, right):
            splitter.addWidget(widget)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 800, 280])
        self.setCentralWidget(splitter)

    def attach_repository(self, repository: Repository, label: str = "") -> None:
        """Start working on a store (opened after the window is shown)."""
        self._repository = repository
        self.patient_list.set_repository(repository)
        self.menu_actions.new_patient.setEnabled(True)
        self.welcome.show_database(
            opening=False, empty=self.patient_list.model.rowCount() == 0
        )
        self.statusBar().showMessage(label)
        self._offer_drafts()

    @property
    def repository(self) -> Repository:
        """The attached store; patient actions are disabled until there is one."""
        if self._repository is None:
            raise RuntimeError("no database is open yet")
        return self._repository

    # --- state --------------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        """True when the form holds changes not saved as the visit record."""
        if self._patient_id is None or self._baseline is None:
            return False
        return self.form.visit() != self._baseline

    def _set_exam_enabled(self, enabled: bool) -> None:
        self.form.setEnabled(enabled and not self._signed)
        self.centre.setCurrentIndex(1 if enabled else 0)
        self.exam_side.setVisible(enabled)
        self._update_actions(problems=False)

    def _update_actions(self, problems: bool) -> None:
        """Enable exactly what makes sense for the visit as it stands."""
        editing = self.centre.currentIndex() == 1 and self._patient_id is not None
        changeable = editing and not self._signed
        acts = self.menu_actions
        acts.new_visit.setEnabled(self._patient_id is not None)
        acts.save.setEnabled(changeable and not problems)
        acts.revert.setEnabled(changeable and self.is_dirty)
        acts.export.setEnabled(editing)
        acts.sign.setEnabled(
            changeable and self._visit_id is not None and not self.is_dirty
        )
        acts.addendum.setEnabled(editing and self._signed)

    def _update_header(self) -> None:
        if self._patient is None:
            return
        patient = self._patient
        if self._visit_id is None:
            state = "new visit, not saved yet"
        else:
            state = "unsaved changes" if self.is_dirty else "saved"
        self.header_label.setText(
            f"<b>{escape(patient.display_name)}</b> · MRN {escape(patient.mrn)} · "
            f"born {patient.date_of_birth.isoformat()} · <i>{state}</i>"
        )

    @Slot()
    def _on_form_changed(self) -> None:
        visit = self.form.visit()
        self.tally.show_result(evaluate(visit))
        problems = validate_visit(visit, self._patient, self._today())
        self.problems_label.setText("\n".join(str(p) for p in problems))
        self.problems_label.setVisible(bool(problems))
        self._update_actions(problems=bool(problems))
        self._update_header()
        if self._patient_id is not None and not self._signed:
            self._autosave.schedule()

    # --- drafts -------------------------------------------------------------

    def _draft_of_current(self) -> Draft | None:
        for draft in self.repository.drafts():
            if (draft.patient_id, draft.visit_id) == (self._patient_id, self._visit_id):
                return draft
        return None

    def _write_draft(self) -> None:
        """Autosave: store the form as this visit's draft, or drop a stale one."""
        if self._patient_id is None or self._repository is None:
            return
        try:
            if self.is_dirty:
                self.repository.save_draft(
                    self._patient_id, self._visit_id, self.form.visit()
                )
                self.draft_label.setText(
                    f"Draft autosaved {dt.datetime.now():%H:%M:%S}"
                )
                set_tone(self.draft_label, None)
            elif (draft := self._draft_of_current()) is not None:
                self.repository.discard_draft(draft.id)
        except Exception as error:  # the disk or database failed: say so, keep typing
            log.exception("autosave failed")
            self.draft_label.setText(f"Autosave FAILED: {error}")
            set_tone(self.draft_label, Tone.ALERT)

    def save_draft_now(self) -> None:
        """Write the draft at once, raising if it fails (the crash handler's call)."""
        self._autosave.cancel()
        if self._patient_id is not None and self.is_dirty:
            self.repository.save_draft(
                self._patient_id, self._visit_id, self.form.visit()
            )

    def _leave_visit(self) -> None:
        """Before the form is replaced: the draft is written, nothing is asked."""
        if self._autosave.pending:
            self._autosave.flush()

    def ask_restore_draft(self, text: str) -> bool:
        """Offer a draft left from last time (tests monkeypatch this)."""
        answer = QMessageBox.question(
            self,
            "Unsaved visit found",
            text,
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Ignore,
        )
        return answer == QMessageBox.StandardButton.Open

    def _offer_drafts(self) -> None:
        drafts = self.repository.drafts()
        if not drafts:
            return
        newest = drafts[0]
        patient = self.repository.get_patient(newest.patient_id)
        others = f"\n\n{len(drafts) - 1} more draft(s) open with their visits." * (
            len(drafts) > 1
        )
        text = (
            f"A visit of {patient.display_name} (MRN {patient.mrn}) dated "
            f"{newest.visit.date.isoformat()} has changes that were autosaved at "
            f"{newest.saved_at:%Y-%m-%d %H:%M} but never saved.\n\nOpen it now? "
            f"Otherwise the changes come back when you open that visit.{others}"
        )
        if self.ask_restore_draft(text):
            self.patient_list.select_patient(newest.patient_id)
            self.open_patient(newest.patient_id, newest.visit_id)

    # --- patients and visits ------------------------------------------------

    @Slot()
    def new_patient(self) -> None:
        """Ask for a new patient, add them and select them."""
        from sijoint_exam.store.repository import DuplicateMrnError

        created: list[int] = []

        def add(patient: Patient) -> str | None:
            try:
                created.append(self.repository.add_patient(patient))
            except DuplicateMrnError as error:
                return str(error)
            return None

        if PatientDialog.ask(self._today, parent=self, accept=add) and created:
            self._leave_visit()
            self.patient_list.refresh()
            self.patient_list.select_patient(created[0])

    @Slot(int)
    def _on_patient_selected(self, patient_id: int) -> None:
        if patient_id != self._patient_id:
            self.open_patient(patient_id)

    def open_patient(self, patient_id: int, visit_id: int | None = -1) -> None:
        """Show a patient's visits and open one: `visit_id`, or the newest, or a
        new one (`None` opens the new visit explicitly)."""
        self._leave_visit()
        self._patient_id = patient_id
        self._patient = self.repository.get_patient(patient_id)
        visits = self.repository.list_visits(patient_id)
        if visit_id == -1:
            visit_id = visits[0].id if visits else None
        if visit_id is not None:
            self.open_visit(visit_id)
        else:
            self.visit_list.set_visits(visits, None)
            self._start_new_visit()

    @Slot(int)
    def _on_visit_selected(self, visit_id: int) -> None:
        if visit_id != self._visit_id:
            self.open_visit(visit_id)

    def open_visit(self, visit_id: int) -> None:
        """Load a saved visit into the form (with its unsaved draft, if any)."""
        self._leave_visit()
        self._visit_id = visit_id
        self._baseline = self.repository.get_visit(visit_id)
        self._refresh_visits()
        self._load_with_draft()

    @Slot()
    def new_visit(self) -> None:
        """Start a new visit for the current patient, dated today."""
        if self._patient_id is None:
            return
        self._leave_visit()
        self.visit_list.table.clearSelection()
        self._start_new_visit()
        self.form.setFocus()

    def _start_new_visit(self) -> None:
        preferences = self._settings.preferences
        self._visit_id = None
        self._baseline = Visit(
            date=self._today(),
            clinician=preferences.clinician,
            scoring=Scoring(
                rule=preferences.rule_id,
                pretest_probability=preferences.pretest_probability,
                block_threshold_percent=preferences.block_threshold_percent,
            ),
        )
        self._load_with_draft()

    def _load_with_draft(self) -> None:
        self._show_signature()
        draft = None if self._signed else self._draft_of_current()
        self._set_exam_enabled(True)
        self.form.load(draft.visit if draft else self._baseline)
        self._autosave.cancel()  # loading is not an edit
        self.draft_label.setText(
            f"Unsaved changes restored from {draft.saved_at:%H:%M}" if draft else ""
        )

    def _refresh_visits(self) -> None:
        if self._patient_id is not None:
            visits = self.repository.list_visits(self._patient_id)
            self.visit_list.set_visits(visits, self._visit_id)

    @Slot()
    def save_visit(self) -> bool:
        """Validate and save the form's visit; True when it is in the database."""
        if self._patient_id is None:
            return False
        visit = self.form.visit()
        problems = validate_visit(visit, self._patient, self._today())
        if problems:
            self.show_error(
                "The visit was not saved", "\n".join(str(p) for p in problems)
            )
            return False
        try:
            # The store clears this visit's draft in the same transaction.
            self._visit_id = self.repository.save_visit(
                self._patient_id, visit, self._visit_id
            )
        except Exception as error:  # a disk or database fault: say so, keep the form
            log.exception("saving visit failed")
            self.show_error("The visit was not saved", str(error))
            return False
        self._autosave.cancel()
        self._baseline = visit
        if visit.clinician:
            self._settings.remember(clinician=visit.clinician)
        self._refresh_visits()
        self._on_form_changed()
        self._autosave.cancel()
        self.draft_label.setText(f"Saved {dt.datetime.now():%H:%M:%S}")
        return True

    @Slot()
    def revert_visit(self) -> None:
        """Drop the unsaved changes and show the visit as last saved."""
        if self._patient_id is None or self._baseline is None:
            return
        self._autosave.cancel()
        if (draft := self._draft_of_current()) is not None:
            self.repository.discard_draft(draft.id)
        self.form.load(self._baseline)
        self._autosave.cancel()
        self.draft_label.setText("Reverted to the saved visit")

    # --- signing ------------------------------------------------------------

    def _show_signature(self) -> None:
        signature = None
        addenda: list = []
        if self._visit_id is not None:
            signature = self.repository.signature(self._visit_id)
            addenda = self.repository.addenda(self._visit_id)
        self._signed = signature is not None
        self.signature_panel.show_signature(signature, addenda)

    @Slot()
    def sign_visit(self) -> bool:
        """Sign the saved visit (asks the clinician's name once); True when signed."""
        if self._visit_id is None or self.is_dirty or self._signed:
            return False
        clinician = self._settings.preferences.clinician or signing.ask_clinician(
            self, self.form.visit().clinician
        )
        if not clinician or not signing.confirm_signing(self, clinician):
            return False
        self._settings.remember(clinician=clinician)
        try:
            self.repository.sign_visit(self._visit_id, clinician)
        except Exception as error:  # the store refused (e.g. signed elsewhere)
            log.exception("signing failed")
            self.show_error("The visit was not signed", str(error))
            return False
        self._load_with_draft()
        self._refresh_visits()
        return True

    @Slot()
    def add_addendum(self) -> None:
        """Append a dated, signed correction to a signed visit."""
        if self._visit_id is None or not self._signed:
            return
        text = signing.ask_addendum_text(self)
        if text is None:
            return
        clinician = self._settings.preferences.clinician or signing.ask_clinician(
            self, ""
        )
        if not clinician:
            return
        self._settings.remember(clinician=clinician)
        self.repository.add_addendum(self._visit_id, text, clinician)
        self._show_signature()

    # --- export -------------------------------------------------------------

    def ask_export_path(self, suggested: Path) -> Path | None:
        """Ask where to write the PDF (tests monkeypatch this)."""
        name, _ = QFileDialog.getSaveFileName(
            self, "Export visit note", str(suggested), "PDF files (*.pdf)"
        )
        return Path(name) if name else None

    @Slot()
    def export_note(self) -> Path | None:
        """Write the form's visit as a PDF visit note; returns the file written."""
        if self._patient is None:
            return None
        visit = self.form.visit()
        folder = self._settings.export_dir or Path.home()
        target = self.ask_export_path(folder / note_file_name(self._patient, visit))
        if target is None:
            return None
        try:
            target = write_note_pdf(self._patient, visit, target)
            if self._visit_id is not None:
                self.repository.record_export(
                    self._visit_id, target, "visit note PDF", visit.clinician
                )
        except OSError as error:
            log.exception("export failed")
            self.show_error("The note was not exported", f"{target}: {error}")
            return None
        self._settings.export_dir = target.parent
        self.statusBar().showMessage(f"Exported {target}", 8000)
        return target

    # --- settings and help ------------------------------------------------

    @Slot()
    def edit_settings(self) -> None:
        """Edit the preferences; new visits start from them."""
        chosen = SettingsDialog.ask(self._settings.preferences, self)
        if chosen is not None:
            self._settings.preferences = chosen
            self._settings.sync()

    @Slot()
    def show_shortcuts(self) -> None:
        """Show (or raise) the keyboard-shortcut sheet."""
        if self._shortcut_help is None:
            self._shortcut_help = ShortcutHelp(self.actions(), self)
        self._shortcut_help.show()
        self._shortcut_help.raise_()

    # --- messages and closing -----------------------------------------------

    def show_error(self, title: str, text: str) -> None:
        """Tell the user what went wrong (tests monkeypatch this)."""
        QMessageBox.warning(self, title, text)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        # Nothing to ask: unsaved changes are in the draft, offered back next time.
        self._leave_visit()
        self._settings.window_geometry = self.saveGeometry()
        self._settings.sync()
        event.accept()
