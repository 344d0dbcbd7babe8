"""The visit being edited, from the main window: patients and visits opened,
a new visit, save and revert, and what the window shows of the visit as it
stands (tally, problems, header, the actions that fit). A mixin of MainWindow,
which owns the state named below; `exam_session.py` keeps the rules of what is
saved, `window_state.py` what is shown."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

from sijoint_exam.ui import window_state
from sijoint_exam.ui.window_commands import WindowCommands

if TYPE_CHECKING:
    import datetime as dt

    from sijoint_exam.domain.visit import Visit
    from sijoint_exam.ui.autosave import Autosave
    from sijoint_exam.ui.exam_form import ExamForm
    from sijoint_exam.ui.exam_session import Opened
    from sijoint_exam.ui.patient_list import PatientList
    from sijoint_exam.ui.tally_panel import TallyPanel
    from sijoint_exam.ui.visit_list import VisitList
    from sijoint_exam.ui.window_actions import WindowActions

log = logging.getLogger(__name__)


class WindowVisits(WindowCommands):
    """Opening, editing, saving and reverting the visit in the form."""

    # Owned by MainWindow.
    menu_actions: WindowActions
    _autosave: Autosave
    _form: ExamForm | None
    _lists: tuple[PatientList, VisitList] | None
    _today: Callable[[], dt.date]

    if TYPE_CHECKING:

        @property
        def tally(self) -> TallyPanel: ...

        @property
        def visit_list(self) -> VisitList: ...

        def _leave_visit(self) -> None: ...

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

    # --- patients and visits ------------------------------------------------

    @Slot()
    def new_patient(self) -> None:
        """Ask for a new patient, add them and select them."""
        from sijoint_exam.ui import visit_operations

        visit_operations.add_patient(
            self, self.repository, self._today, self._show_added
        )

    def _show_added(self, patient_id: int) -> None:
        self._leave_visit()
        self.patient_list.show_added(patient_id)

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
        self._start_visit(self._new_visit_template(), focus_form=True)

    @Slot()
    def new_visit_from_last(self) -> None:
        """A new visit that keeps the last visit's history, not its findings."""
        from sijoint_exam.ui import operations

        self._start_visit(
            operations.template_from_last(
                self.session, self._new_visit_template(), self.statusBar()
            )
        )

    def _start_visit(self, template: Visit | None, focus_form: bool = False) -> None:
        """A new visit from `template` for the patient open (None: none)."""
        if template is None or self.session is None or self.session.patient_id is None:
            return
        self._leave_visit()
        self.show_opened(self.session.new_visit(template))
        if focus_form:
            self.form.setFocus()

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
        from sijoint_exam.ui import visit_operations

        return visit_operations.save_visit(
            self.session,
            self.form,
            self.settings,
            self._today(),
            self.show_error,
            self._show_saved,
        )

    def _show_saved(self) -> None:
        self._refresh_visits()
        self._on_form_changed()
        self._autosave.cancel()
        self.widgets.draft_label.setText(f"Saved {time.strftime('%H:%M:%S')}")

    @Slot()
    def revert_visit(self) -> None:
        """Drop the unsaved changes and show the visit as last saved, once the
        clinician confirms (Ctrl+Shift+Z is Redo in many programs)."""
        from sijoint_exam.ui import visit_operations

        visit_operations.revert_visit(
            self.session, self.confirm_revert, self._show_reverted
        )

    def _show_reverted(self, saved: Visit) -> None:
        self._autosave.cancel()
        self.form.load(saved)
        self._autosave.cancel()
        self.widgets.draft_label.setText("Reverted to the saved visit")
