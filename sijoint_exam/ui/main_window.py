"""MainWindow: patients and visits on the left, the exam in the middle, the tally."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from html import escape as _escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.cluster import evaluate
from sijoint_exam.domain.note import build_note
from sijoint_exam.domain.validation import validate_visit
from sijoint_exam.domain.visit import Patient, Scoring, Visit
from sijoint_exam.ui.exam_form import ExamForm
from sijoint_exam.ui.patient_dialog import PatientDialog
from sijoint_exam.ui.patient_list import PatientList
from sijoint_exam.ui.settings import Settings
from sijoint_exam.ui.settings_dialog import SettingsDialog
from sijoint_exam.ui.shortcut_help import ShortcutHelp
from sijoint_exam.ui.tally_panel import TallyPanel
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.visit_list import VisitList
from sijoint_exam.ui.welcome import Welcome

if TYPE_CHECKING:
    from sijoint_exam.store.repository import Repository

log = logging.getLogger(__name__)


class UnsavedChoice:
    """What to do with unsaved changes before they would be replaced."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


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
        # against it, so an untouched new visit asks nothing on close.
        self._baseline: Visit | None = None
        self.setWindowTitle("sijoint-exam")
        self._shortcut_help: ShortcutHelp | None = None
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
        self._build_actions()
        self._build_layout()
        self.new_patient_action.setEnabled(False)
        self.statusBar().showMessage("Opening the database…")
        self.patient_list.patient_selected.connect(self._on_patient_selected)
        self.visit_list.visit_selected.connect(self._on_visit_selected)
        self.form.changed.connect(self._on_form_changed)
        self._set_exam_enabled(False)
        if settings.window_geometry is not None:
            self.restoreGeometry(settings.window_geometry)
        else:
            self._fit_to_screen()

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

    # --- construction -------------------------------------------------------

    def _action(
        self, text: str, slot: Callable[[], object], shortcut: QKeySequence | str
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_patient_action = self._action(
            "New &patient…", self.new_patient, "Ctrl+Shift+N"
        )
        self.new_visit_action = self._action(
            "&New visit", self.new_visit, QKeySequence.StandardKey.New
        )
        self.save_action = self._action(
            "&Save visit", self.save_visit, QKeySequence.StandardKey.Save
        )
        self.export_action = self._action(
            "&Export visit note (PDF)…",
            self.export_note,
            QKeySequence.StandardKey.Print,
        )
        quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.settings_action = self._action(
            "&Settings…", self.edit_settings, QKeySequence.StandardKey.Preferences
        )
        if self.settings_action.shortcut().isEmpty():  # not every platform has one
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.help_action = self._action(
            "&Keyboard shortcuts",
            self.show_shortcuts,
            QKeySequence.StandardKey.HelpContents,
        )
        file_menu = self.menuBar().addMenu("&File")
        for action in (
            self.new_patient_action,
            self.new_visit_action,
            self.save_action,
            self.export_action,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        self.menuBar().addMenu("&Help").addAction(self.help_action)

    def _button(self, action: QAction, name: str) -> QPushButton:
        button = QPushButton(action.text().replace("&", ""), self)
        button.setObjectName(name)
        shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{button.text()} ({shortcut})")
        button.setMinimumHeight(44)
        button.clicked.connect(action.trigger)
        # The button is the action's stand-in: it is enabled exactly when it is.
        action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
        button.setEnabled(action.isEnabled())
        return button

    def _build_layout(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel("<b>Patients</b>", left))
        left_layout.addWidget(self.patient_list, 3)
        left_layout.addWidget(self._button(self.new_patient_action, "patients.new"))
        left_layout.addWidget(QLabel("<b>Visits</b>", left))
        left_layout.addWidget(self.visit_list, 2)
        left_layout.addWidget(self._button(self.new_visit_action, "visits.new"))
        exam = QWidget(self)
        exam_layout = QVBoxLayout(exam)
        exam_layout.setContentsMargins(0, 0, 0, 0)
        exam_layout.addWidget(self.header_label)
        exam_layout.addWidget(self.problems_label)
        exam_layout.addWidget(self.form, 1)
        self.welcome = Welcome(self.new_patient_action, self)
        self.centre = QStackedWidget(self)
        self.centre.addWidget(self.welcome)
        self.centre.addWidget(exam)
        centre = self.centre
        right = self.exam_side = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.tally, 1)
        self.save_button = self._button(self.save_action, "visit.save")
        self.export_button = self._button(self.export_action, "visit.export")
        right_layout.addWidget(self.save_button)
        right_layout.addWidget(self.export_button)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for widget in (left, centre, right):
            splitter.addWidget(widget)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 800, 280])
        self.setCentralWidget(splitter)

    def attach_repository(self, repository: Repository, label: str = "") -> None:
        """Start working on a store (opened after the window is shown)."""
        self._repository = repository
        self.patient_list.set_repository(repository)
        self.new_patient_action.setEnabled(True)
        self.welcome.show_database(
            opening=False, empty=self.patient_list.model.rowCount() == 0
        )
        self.statusBar().showMessage(label)

    @property
    def repository(self) -> Repository:
        """The attached store; patient actions are disabled until there is one."""
        if self._repository is None:
            raise RuntimeError("no database is open yet")
        return self._repository

    # --- state --------------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        """True when the form holds changes not yet in the database."""
        if self._patient_id is None:
            return False
        return self._baseline is None or self.form.visit() != self._baseline

    def _set_exam_enabled(self, enabled: bool) -> None:
        self.form.setEnabled(enabled)
        self.centre.setCurrentIndex(1 if enabled else 0)
        self.exam_side.setVisible(enabled)
        for action in (self.save_action, self.export_action):
            action.setEnabled(enabled)
        self.new_visit_action.setEnabled(self._patient_id is not None)
        if not enabled:
            self.header_label.setText("Choose or create a patient, then a visit.")

    def _update_header(self) -> None:
        if self._patient is None:
            return
        patient = self._patient
        state = "unsaved changes" if self.is_dirty else "saved"
        if self._visit_id is None:
            state = "new visit, not saved yet"
        self.header_label.setText(
            f"<b>{_escape(patient.display_name)}</b> · MRN {_escape(patient.mrn)} · "
            f"born {patient.date_of_birth.isoformat()} · <i>{state}</i>"
        )

    @Slot()
    def _on_form_changed(self) -> None:
        visit = self.form.visit()
        self.tally.show_result(evaluate(visit))
        problems = validate_visit(visit, self._patient, self._today())
        self.problems_label.setText("\n".join(str(p) for p in problems))
        self.problems_label.setVisible(bool(problems))
        self.save_action.setEnabled(self._patient_id is not None and not problems)
        self._update_header()

    # --- unsaved changes ----------------------------------------------------

    def ask_unsaved(self) -> str:
        """Ask what to do with unsaved changes (tests monkeypatch this)."""
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "This visit has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        return {
            QMessageBox.StandardButton.Save: UnsavedChoice.SAVE,
            QMessageBox.StandardButton.Discard: UnsavedChoice.DISCARD,
        }.get(answer, UnsavedChoice.CANCEL)

    def _may_leave_visit(self) -> bool:
        """Resolve unsaved changes; False means stay where we are."""
        if not self.is_dirty:
            return True
        choice = self.ask_unsaved()
        if choice == UnsavedChoice.SAVE:
            return self.save_visit()
        return choice == UnsavedChoice.DISCARD

    # --- patients and visits ------------------------------------------------

    @Slot()
    def new_patient(self) -> None:
        """Ask for a new patient, add them and select them."""
        from sijoint_exam.store.repository import DuplicateMrnError

        if not self._may_leave_visit():
            return
        created: list[int] = []

        def add(patient: Patient) -> str | None:
            try:
                created.append(self.repository.add_patient(patient))
            except DuplicateMrnError as error:
                return str(error)
            return None

        if PatientDialog.ask(self._today, parent=self, accept=add) and created:
            self.patient_list.refresh()
            self.patient_list.select_patient(created[0])

    @Slot(int)
    def _on_patient_selected(self, patient_id: int) -> None:
        if patient_id == self._patient_id:
            return
        if not self._may_leave_visit():
            if self._patient_id is not None:
                self.patient_list.select_patient(self._patient_id)
            return
        self.open_patient(patient_id)

    def open_patient(self, patient_id: int) -> None:
        """Show a patient's visits and open the newest (or start a new one)."""
        self._patient_id = patient_id
        self._patient = self.repository.get_patient(patient_id)
        visits = self.repository.list_visits(patient_id)
        if visits:
            self.open_visit(visits[0].id)
        else:
            self.visit_list.set_visits([], None)
            self.new_visit(ask=False)

    @Slot(int)
    def _on_visit_selected(self, visit_id: int) -> None:
        if visit_id != self._visit_id and self._may_leave_visit():
            self.open_visit(visit_id)

    def open_visit(self, visit_id: int) -> None:
        """Load a saved visit into the form."""
        visit = self.repository.get_visit(visit_id)
        self._visit_id = visit_id
        self._baseline = visit
        self._refresh_visits()
        self._set_exam_enabled(True)
        self.form.load(visit)

    @Slot()
    def new_visit(self, ask: bool = True) -> None:
        """Start a new visit for the current patient, dated today."""
        if self._patient_id is None or (ask and not self._may_leave_visit()):
            return
        self._visit_id = None
        self.visit_list.table.clearSelection()
        self._set_exam_enabled(True)
        preferences = self._settings.preferences
        self._baseline = Visit(
            date=self._today(),
            clinician=preferences.clinician,
            scoring=Scoring(
                rule=preferences.rule_id,
                pretest_probability=preferences.pretest_probability,
                block_threshold_percent=preferences.block_threshold_percent,
            ),
        )
        self.form.load(self._baseline)
        self.form.setFocus()

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
            self._visit_id = self.repository.save_visit(
                self._patient_id, visit, self._visit_id
            )
        except Exception as error:  # a disk or database fault: say so, keep the form
            log.exception("saving visit failed")
            self.show_error("The visit was not saved", str(error))
            return False
        self._baseline = visit
        if visit.clinician:
            self._settings.remember(clinician=visit.clinician)
        self._refresh_visits()
        self._update_header()
        self.statusBar().showMessage(f"Saved {dt.datetime.now():%H:%M:%S}", 5000)
        return True

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
        patient = self._patient
        folder = self._settings.export_dir or Path.home()
        suggested = folder / _note_file_name(patient, visit)
        target = self.ask_export_path(suggested)
        if target is None:
            return None
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        # Imported on first export: reportlab costs ~130 ms that start-up need not pay.
        from sijoint_exam.report.visit_note import write_visit_note

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_visit_note(build_note(patient, visit), target)
        except OSError as error:
            log.exception("export failed")
            self.show_error("The note was not exported", f"{target}: {error}")
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()
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
        if not self._may_leave_visit():
            event.ignore()
            return
        self._settings.window_geometry = self.saveGeometry()
        self._settings.sync()
        event.accept()


def _note_file_name(patient: Patient, visit: Visit) -> str:
    safe_mrn = "".join(c if c.isalnum() or c in "-_" else "_" for c in patient.mrn)
    return f"visit-note-{safe_mrn}-{visit.date.isoformat()}.pdf"
