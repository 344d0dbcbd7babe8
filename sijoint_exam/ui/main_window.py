"""MainWindow: patients and visits on the left, the exam in the middle, the tally.

Nothing typed is ever lost: edits are autosaved as a draft about a second after the
clinician pauses, and on leaving a visit or closing. "Save" turns the draft into the
visit record; a draft left behind (a crash, a power cut) is offered back on start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from sijoint_exam.ui.autosave import Autosave
from sijoint_exam.ui.settings import Settings
from sijoint_exam.ui.window_access import WindowAccess
from sijoint_exam.ui.window_actions import build_actions
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

    from sijoint_exam.domain.visit import Visit
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.clinic_sync import ClinicSync
    from sijoint_exam.ui.exam_form import ExamForm
    from sijoint_exam.ui.exam_session import ExamSession
    from sijoint_exam.ui.patient_list import PatientList, PatientSearch
    from sijoint_exam.ui.privacy import LockScreen, PassphraseCheck
    from sijoint_exam.ui.shortcut_help import ShortcutHelp
    from sijoint_exam.ui.tally_panel import TallyPanel
    from sijoint_exam.ui.visit_list import VisitList

log = logging.getLogger(__name__)


def _system_today() -> dt.date:
    """Today by the system clock; `datetime` is imported on first use, not at
    start (tests pass their own day instead)."""
    import datetime

    return datetime.date.today()


class MainWindow(WindowAccess):
    """The program's window. Everything it needs is passed in (no singletons).

    Here: building it, the database attached and let go of, the parts built on
    first use, drafts, closing. Its widgets are in `widgets`; the rest, by what
    it does: `WindowAccess` (clinician, lock, encryption), `WindowVisits` (the
    visit edited), `WindowCommands` (menu commands beyond editing) and
    `WindowQuestions` (the questions its dialogs ask).
    """

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
        # Set by app.py when a clinic server is configured.
        self.clinic_sync: ClinicSync | None = None
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

    def list_patients_before_open(self, directory: PatientSearch) -> None:
        """List and search the patients while the store is still being opened
        (checked): what the clinician does first is look for the patient."""
        self.patient_list.set_repository(directory)
        self.statusBar().showMessage("Checking the database…")
        self.widgets.welcome.show_checking()
        self._focus_search_first()

    def attach_repository(self, repository: Repository, label: str = "") -> None:
        """Start working on a store (opened after the window is shown)."""
        from sijoint_exam.ui import window_drafts

        # A patient chosen in the list while the store was being opened is
        # opened now that it is.
        chosen = self.patient_list.current_patient_id()
        self._use_repository(repository, label)
        self.widgets.welcome.show_database(
            opening=False, empty=self.patient_list.model.rowCount() == 0
        )
        self._show_clinician(self.settings.preferences.clinician)
        window_drafts.offer_drafts(repository, self.ask_restore_draft, self._restore)
        if chosen is not None and self.session is not None:
            if self.session.patient_id is None:
                self.patient_list.select_patient(chosen)
        self._focus_search_first()

    def _restore(self, patient_id: int, visit_id: int | None) -> None:
        """Open a draft's patient and visit, the patient selected in the list."""
        self.patient_list.select_patient(patient_id)
        self.open_patient(patient_id, visit_id)

    def _focus_search_first(self) -> None:
        """What is typed first is a search for the patient at the table."""
        if self._lists is None:
            return
        opened = self.session is not None and self.session.patient_id is not None
        if not opened and self.focusWidget() is None:
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

    # --- clinician and lock (window_privacy.py does the work) ------------------

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

    # --- the database let go of and taken back (encryption) ------------------

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
