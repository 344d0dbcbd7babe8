"""MainWindow: patients and visits on the left, the exam in the middle, the tally.

Nothing typed is ever lost: edits are autosaved as a draft about a second after the
clinician pauses, and on leaving a visit or closing. "Save" turns the draft into the
visit record; a draft left behind (a crash, a power cut) is offered back on start.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from sijoint_exam.ui import window_privacy, window_state
from sijoint_exam.ui.autosave import Autosave
from sijoint_exam.ui.settings import Settings
from sijoint_exam.ui.window_actions import build_actions
from sijoint_exam.ui.window_commands import WindowCommands
from sijoint_exam.ui.window_layout import (
    build_layout,
    build_lists,
    build_lock_screen,
    build_tally,
    fit_to_screen,
    restore_if_it_fits,
)

# The domain, the exam session, dialogs, drafts and the work of menu actions are
# imported where first used, not here: the window is shown sooner without them
# (the start-up budget), and none is needed before a database is open.
if TYPE_CHECKING:
    import datetime as dt

    from PySide6.QtGui import QCloseEvent, QShowEvent
    from PySide6.QtWidgets import QDialog, QToolButton

    from sijoint_exam.domain.visit import Patient, Visit
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.exam_form import ExamForm
    from sijoint_exam.ui.exam_session import ExamSession, Opened
    from sijoint_exam.ui.patient_list import PatientList
    from sijoint_exam.ui.privacy import LockScreen, PassphraseCheck
    from sijoint_exam.ui.shortcut_help import ShortcutHelp
    from sijoint_exam.ui.tally_panel import TallyPanel
    from sijoint_exam.ui.visit_list import VisitList
    from sijoint_exam.ui.window_encryption import WindowDatabase

log = logging.getLogger(__name__)


def _system_today() -> dt.date:
    """Today by the system clock; `datetime` is imported on first use, not at
    start (tests pass their own day instead)."""
    import datetime

    return datetime.date.today()


class MainWindow(WindowCommands):
    """The program's window. Everything it needs is passed in (no singletons);
    its widgets are in `widgets`; its menu commands beyond editing the visit are
    in `WindowCommands`, the questions its dialogs ask in `WindowQuestions`."""

    def __init__(
        self,
        settings: Settings,
        today: Callable[[], dt.date] | None = None,
    ) -> None:
        super().__init__()
        self.session: ExamSession | None = None
        self.settings = settings
        self._today = today or _system_today
        self._shortcut_help: ShortcutHelp | None = None
        self._autosave = Autosave(self._write_draft, self)
        self.setWindowTitle("sijoint-exam")
        # The exam form is built on first use: it is the heaviest part of the
        # window, and the first thing shown is the patient list and welcome page.
        self._form: ExamForm | None = None
        self._lock_screen: LockScreen | None = None
        self._tally: TallyPanel | None = None
        self._lists: tuple[PatientList, VisitList] | None = None
        # Built with the database (`_show_clinician`), after the window is shown:
        # it names who is working, and there is no one before.
        self.clinician_button: QToolButton | None = None
        self.menu_actions = build_actions(
            self,
            {
                "new_patient": self.new_patient,
                "new_visit": self.new_visit,
                "new_visit_from_last": self.new_visit_from_last,
                "compare": self.compare_with_previous,
                "trend": self.show_trend,
                "save": self.save_visit,
                "revert": self.revert_visit,
                "sign": self.sign_visit,
                "addendum": self.add_addendum,
                "export": self.export_note,
                "settings": self.edit_settings,
                "help": self.show_shortcuts,
                "about": self.show_about,
                "referral": self.export_referral,
                "preview": self.preview_note,
                "print": self.print_note,
                "export_period": self.export_period,
                "export_fhir": self.export_fhir,
                "clinic_accuracy": self.show_clinic_accuracy,
                "demo": self.open_demo_patient,
                "find": self.find_patient,
                "switch_clinician": self.switch_clinician,
                "encrypt_database": self.encrypt_database,
                "change_passphrase": self.change_passphrase,
                "quit": self.close,
            },
            lambda: (self.session is not None, self.passphrase_check is not None),
        )
        self.widgets = build_layout(self, self.menu_actions)
        self._enable_patient_actions(False)
        self.accuracy_dialog: QDialog | None = None
        self.about_facts: dict[str, str] = {}  # database and log paths, from app.py
        # Set by app.py for an encrypted database: how to recognise its passphrase.
        self.passphrase_check: PassphraseCheck | None = None
        self.statusBar().showMessage("Opening the database…")
        self._show_exam(False)
        # Shown maximized on a first start on a small screen (`show_at_start`);
        # afterwards as the user left it.
        self._opens_maximized = False
        geometry = settings.window_geometry
        splitter = self.widgets.splitter
        if geometry is None or not restore_if_it_fits(self, splitter, geometry):
            self._opens_maximized = fit_to_screen(self, splitter)

    # --- construction -------------------------------------------------------

    @property
    def form(self) -> ExamForm:
        """The exam form, built (and placed in the exam page) on first use."""
        if self._form is None:
            from sijoint_exam.ui.exam_form import ExamForm

            self._form = ExamForm(self)
            self._form.changed.connect(self._on_form_changed)
            self.widgets.exam_page_layout.addWidget(self._form, 1)
            # Built while a signed (or another room's) visit opens: read-only.
            self._form.setEnabled(not self._read_only)
        return self._form

    def _form_visit(self) -> Visit:
        # Through the property, so that the form is built when a visit is first
        # read from it, not when the database is attached (it is the heaviest
        # part of the window, and the welcome page is shown first).
        return self.form.visit()

    def show_database_upgrade(self) -> None:
        """Tell the user the database is being upgraded, and paint it now: the
        upgrade runs on this thread and keeps the window busy until it ends."""
        from PySide6.QtCore import QEventLoop
        from PySide6.QtWidgets import QApplication

        self.statusBar().showMessage("Upgrading the database…")
        self.widgets.welcome.show_upgrade()
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)

    def attach_repository(self, repository: Repository, label: str = "") -> None:
        """Start working on a store (opened after the window is shown)."""
        from sijoint_exam.ui import window_drafts

        self._use_repository(repository, label)
        self.widgets.welcome.show_database(
            opening=False, empty=self.patient_list.model.rowCount() == 0
        )
        self._show_clinician(self.settings.preferences.clinician)
        window_drafts.offer_drafts(repository, self.ask_restore_draft, self._restore)
        self._focus_search_first()

    def _restore(self, patient_id: int, visit_id: int | None) -> None:
        """Open a draft's patient and visit, the patient selected in the list."""
        self.patient_list.select_patient(patient_id)
        self.open_patient(patient_id, visit_id)

    def _focus_search_first(self) -> None:
        """What is typed first is a search for the patient at the table."""
        if self._lists is None or self.session is None:
            return
        if self.session.patient_id is None and self.focusWidget() is None:
            self.patient_list.search_edit.setFocus()

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        super().showEvent(event)
        self._focus_search_first()

    def _use_repository(self, repository: Repository, label: str) -> None:
        """A new session on `repository`, listed and named in the status bar."""
        from sijoint_exam.ui.exam_session import ExamSession

        self.session = ExamSession(repository, current=self._form_visit)
        self.patient_list.set_repository(repository)
        self._enable_patient_actions(True)
        self.statusBar().showMessage(label)

    def _enable_patient_actions(self, enabled: bool) -> None:
        """New patient and the demo patient need a database to write to."""
        self.menu_actions.new_patient.setEnabled(enabled)
        self.menu_actions.demo.setEnabled(enabled)
        self.menu_actions.clinic_accuracy.setEnabled(enabled)

    @property
    def repository(self) -> Repository:
        """The attached store; patient actions are disabled until there is one."""
        if self.session is None:
            raise RuntimeError("no database is open yet")
        return self.session.repository

    # --- state --------------------------------------------------------------

    @property
    def is_dirty(self) -> bool:
        """True when the form holds changes not saved as the visit record."""
        return self.session is not None and self.session.is_dirty

    @property
    def _read_only(self) -> bool:
        return self.session is not None and self.session.read_only

    def _show_exam(self, shown: bool) -> None:
        if self._form is not None:
            self._form.setEnabled(shown and not self._read_only)
        self.widgets.centre.setCurrentIndex(1 if shown else 0)
        self.widgets.exam_side.setVisible(shown)
        self._update_actions(problems=False)

    def _update_actions(self, problems: bool) -> None:
        window_state.enable_actions(
            self.menu_actions,
            self.session,
            editing=self.widgets.centre.currentIndex() == 1,
            has_visits=self._lists is not None and self.visit_list.model.rowCount() > 0,
            problems=problems,
        )

    def _update_header(self) -> None:
        text = window_state.header_text(self.session)
        if text is not None:
            self.widgets.header_label.setText(text)

    def refresh_state(self) -> None:
        """Enable the actions that fit the window as it is (after an unlock)."""
        if self.session is not None and self.session.is_open:
            self._on_form_changed()
        else:
            self._show_exam(False)

    @Slot()
    def _on_form_changed(self) -> None:
        from sijoint_exam.domain.cluster import evaluate
        from sijoint_exam.domain.score import score_visit
        from sijoint_exam.ui.problem_text import describe_all

        visit = self.form.visit()
        try:
            self.tally.show_score(score_visit(visit))
        except ValueError:  # a value validation will name; the cluster still reads
            log.exception("scoring a visit being edited")
            self.tally.show_result(evaluate(visit))
        problems = window_state.visit_problems(
            self.form, visit, self.session, self._today()
        )
        self.widgets.problems_label.setText(describe_all(problems))
        self.widgets.problems_label.setVisible(bool(problems))
        self.form.show_problems(problems)
        self._update_actions(problems=bool(problems))
        self._update_header()
        if self.session is not None and self.session.is_open and not self._read_only:
            self._autosave.schedule()

    def show_opened(self, opened: Opened) -> None:
        """Put an opened visit into the form: loading is not an edit."""
        assert self.session is not None
        self._refresh_visits()
        signature = self.session.signature
        self.widgets.signature_panel.show_signature(signature, self.session.addenda)
        self.tally.set_acknowledged(signature.acknowledged_checks if signature else ())
        self._show_exam(True)
        self.form.load(opened.visit)
        self._autosave.cancel()
        restored = opened.draft
        self.widgets.draft_label.setText(
            f"Unsaved changes restored from {restored.saved_at:%H:%M}"
            if restored
            else ""
        )

    def refresh_lists(self) -> None:
        """Show what arrived from other rooms (the clinic server's sync)."""
        self.patient_list.refresh()
        self._refresh_visits()

    def _refresh_visits(self) -> None:
        if self.session is not None and self.session.patient_id is not None:
            visits = self.repository.list_visits(self.session.patient_id)
            self.visit_list.set_visits(visits, self.session.visit_id)

    # --- drafts (window_drafts.py does the work) -------------------------------

    def _write_draft(self) -> None:
        from sijoint_exam.ui import window_drafts

        window_drafts.write_draft(self.session, self.widgets.draft_label)

    def save_draft_now(self) -> None:
        """Write the draft at once, raising if it fails (the crash handler's call)."""
        self._autosave.cancel()
        if self.session is not None:
            self.session.write_draft()

    def _leave_visit(self) -> None:
        """Before the form is replaced: the draft is written, nothing is asked."""
        if self._autosave.pending:
            self._autosave.flush()

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

        from sijoint_exam.ui.patient_dialog import PatientDialog

        if PatientDialog.ask(self._today, parent=self, accept=add) and created:
            self._leave_visit()
            self.patient_list.show_added(created[0])

    @Slot(int)
    def _on_patient_selected(self, patient_id: int) -> None:
        if self.session is not None and patient_id != self.session.patient_id:
            self.open_patient(patient_id)

    def open_patient(self, patient_id: int, visit_id: int | None = -1) -> None:
        """Show a patient's visits and open one: `visit_id`, or the newest, or a
        new one (`None` opens the new visit explicitly)."""
        assert self.session is not None
        self._leave_visit()
        newest = self.session.open_patient(patient_id)
        chosen = newest if visit_id == -1 else visit_id
        if chosen is None:
            self.show_opened(self.session.new_visit(self._new_visit_template()))
        else:
            self.open_visit(chosen)

    @Slot(int)
    def _on_visit_selected(self, visit_id: int) -> None:
        if self.session is not None and visit_id != self.session.visit_id:
            self.open_visit(visit_id)

    def open_visit(self, visit_id: int) -> None:
        """Load a saved visit into the form (with its unsaved draft, if any); a
        visit that cannot be read is named, and no visit is left open."""
        from sijoint_exam.store.errors import DamagedRecordError

        assert self.session is not None
        self._leave_visit()
        try:
            opened = self.session.open_visit(visit_id)
        except DamagedRecordError as error:
            self._show_exam(False)
            self._refresh_visits()
            self.show_error("The visit cannot be opened", str(error))
            return
        self.show_opened(opened)

    @Slot()
    def new_visit(self) -> None:
        """Start a new visit for the current patient, dated today."""
        if self.session is None or self.session.patient_id is None:
            return
        self._leave_visit()
        self.show_opened(self.session.new_visit(self._new_visit_template()))
        self.form.setFocus()

    @Slot()
    def new_visit_from_last(self) -> None:
        """A new visit that keeps the last visit's history, not its findings."""
        self._leave_visit()
        from sijoint_exam.ui import operations

        template = operations.template_from_last(
            self.session, self._new_visit_template(), self.statusBar()
        )
        if template is not None and self.session is not None:
            self.show_opened(self.session.new_visit(template))

    def _new_visit_template(self) -> Visit:
        from sijoint_exam.domain.visit import Visit

        preferences = self.settings.preferences
        return Visit(
            date=self._today(),
            clinician=preferences.clinician,
            scoring=preferences.scoring(),
        )

    @Slot()
    def save_visit(self) -> bool:
        """Validate and save the form's visit; True when it is in the database."""
        from sijoint_exam.ui.problem_text import describe_all

        session = self.session
        if session is None or not session.is_open or self._read_only:
            return False
        visit = self.form.visit()
        problems = window_state.visit_problems(self.form, visit, session, self._today())
        if problems:
            self.show_error("The visit was not saved", describe_all(problems))
            return False
        try:
            session.save()
        except Exception as error:  # a disk or database fault: say so, keep the form
            log.exception("saving visit failed")
            self.show_error("The visit was not saved", str(error))
            return False
        if visit.clinician:
            self.settings.remember(clinician=visit.clinician)
        self._refresh_visits()
        self._on_form_changed()
        self._autosave.cancel()
        self.widgets.draft_label.setText(f"Saved {time.strftime('%H:%M:%S')}")
        return True

    @Slot()
    def revert_visit(self) -> None:
        """Drop the unsaved changes and show the visit as last saved, once the
        clinician confirms (Ctrl+Shift+Z is Redo in many programs)."""
        if self.session is None or not self.session.is_open:
            return
        if self.is_dirty and not self.confirm_revert():
            return
        self._autosave.cancel()
        self.form.load(self.session.revert())
        self._autosave.cancel()
        self.widgets.draft_label.setText("Reverted to the saved visit")

    # --- clinician and lock (window_privacy.py does the work) ------------------

    def _show_clinician(self, name: str) -> None:
        """`name` is working now, shown in the status bar's clinician button."""
        if self.clinician_button is None:
            self.clinician_button = window_privacy.clinician_button(
                self, self.switch_clinician
            )
            self.statusBar().addPermanentWidget(self.clinician_button)
        window_privacy.show_clinician(self.clinician_button, self.repository, name)

    def switch_clinician(self, name: str | None = None) -> None:
        """`name` (asked for when None) is working now: an explicit act only."""
        if self.session is None or self.clinician_button is None:
            return
        if name is None:
            name = self.ask_clinician_name(
                self.repository.clinicians(), self.repository.clinician
            )
        if name is not None:
            window_privacy.switch_clinician(
                self.clinician_button,
                self.repository,
                self.settings,
                self.statusBar(),
                name,
            )

    @Slot()
    def find_patient(self) -> None:
        """Ctrl+F: the cursor in the patient search, its text selected."""
        if self._lists is None or self.locked:
            return
        from PySide6.QtCore import Qt  # see window_layout.py: not before shown

        search = self.patient_list.search_edit
        search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        search.selectAll()

    @property
    def locked(self) -> bool:
        return (
            self._lock_screen is not None
            and self.widgets.central.currentWidget() is self._lock_screen
        )

    def show_at_start(self) -> None:
        """Show the window as the program starts: maximized on a first start on a
        screen smaller than its default size, else as it was left."""
        if self._opens_maximized:
            self.showMaximized()
        else:
            self.show()

    @property
    def patient_list(self) -> PatientList:
        """The searchable patient list (built when the database is attached)."""
        return self._built_lists()[0]

    @property
    def visit_list(self) -> VisitList:
        """The current patient's visits (built with the patient list)."""
        return self._built_lists()[1]

    def _built_lists(self) -> tuple[PatientList, VisitList]:
        if self._lists is None:
            self._lists = build_lists(self.widgets.list_slots, self)
            patients, visits = self._lists
            patients.patient_selected.connect(self._on_patient_selected)
            visits.visit_selected.connect(self._on_visit_selected)
        return self._lists

    @property
    def tally(self) -> TallyPanel:
        """The live tally beside the exam (built with the first visit shown)."""
        if self._tally is None:
            self._tally = build_tally(
                self.widgets.exam_side, lambda check: self.form.show_check(check)
            )
        return self._tally

    @property
    def lock_screen(self) -> LockScreen:
        """What the window shows while locked (built on first use)."""
        if self._lock_screen is None:
            self._lock_screen = build_lock_screen(self.widgets.central, self.unlock)
        return self._lock_screen

    @Slot()
    def lock(self) -> None:
        """Hide every patient detail; the draft is saved first."""
        if self.locked or self.session is None:
            return
        window_privacy.lock(
            self,
            self.widgets.central,
            self.lock_screen,
            self.repository,
            encrypted=self.passphrase_check is not None,
            save_draft=self.save_draft_now,
        )

    @Slot()
    def unlock(self) -> bool:
        """Back to work after the passphrase or the clinician's name."""
        if not self.locked or self.session is None:
            return False
        clinician = window_privacy.unlock(
            self,
            self.widgets.central,
            self.lock_screen,
            self.passphrase_check,
            self.ask_passphrase,
        )
        if clinician is None:
            return False
        self._show_clinician(clinician)
        self.settings.remember(clinician=clinician)
        self.refresh_state()
        return True

    # --- the database let go of and taken back (encryption) ------------------

    def database_handle(self) -> WindowDatabase | None:
        """What encrypting the database needs of the window; None while there
        is no database or the window is locked."""
        from sijoint_exam.ui.window_encryption import WindowDatabase

        if self.session is None or self.locked:
            return None
        return WindowDatabase(
            parent=self,
            repository=self.repository,
            encrypted=self.passphrase_check is not None,
            ask=self.ask_new_passphrase,
            show_error=self.show_error,
            detach=self.detach_repository,
            reattach=self.reattach_repository,
            remember_passphrase=self._remember_passphrase,
        )

    def _remember_passphrase(self, check: PassphraseCheck) -> None:
        self.passphrase_check = check

    def detach_repository(self) -> ExamSession | None:
        """Stop using the store, so that its file can be closed and rewritten.
        The draft is written first; if that fails it raises, nothing changed.
        Returns the session that was open, for `reattach_repository`."""
        self.save_draft_now()
        session, self.session = self.session, None
        self._enable_patient_actions(False)
        return session

    def reattach_repository(
        self, repository: Repository, label: str, before: ExamSession | None
    ) -> None:
        """Work on the reopened store: like `attach_repository`, but the clinician,
        patient and visit of `before` come back (the visit with its draft) instead
        of the offer of drafts left from last time."""
        self._use_repository(repository, label)
        clinician = before.repository.clinician if before else ""
        self._show_clinician(clinician or self.settings.preferences.clinician)
        if before is not None and before.patient_id is not None:
            self.open_patient(before.patient_id, before.visit_id)
            self.patient_list.select_patient(before.patient_id)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        # Nothing to ask: unsaved changes are in the draft, offered back next time.
        self._leave_visit()
        self.settings.window_geometry = self.saveGeometry()
        self.settings.sync()
        event.accept()
