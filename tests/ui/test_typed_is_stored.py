"""At the table, what is typed is what is stored: each keyboard path that once
recorded a value nobody typed, driven by keys on the focused widget and read back
from the saved visit."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget

from sijoint_exam.domain.catalogue import Result
from sijoint_exam.domain.visit import Sex
from sijoint_exam.ui.patient_dialog import PatientDialog
from sijoint_exam.ui.sections import BlocksSection
from sijoint_exam.ui.widgets import choice_buttons
from sijoint_exam.ui.widgets.choice_buttons import ChoiceButtons
from sijoint_exam.ui.widgets.finding_selector import FindingSelector
from sijoint_exam.ui.widgets.odi_dialog import OdiDialog
from tests.conftest import TODAY

Ctrl = Qt.KeyboardModifier.ControlModifier
Alt = Qt.KeyboardModifier.AltModifier


class Keys:
    """Presses keys on whichever widget has the focus, and counts them."""

    def __init__(self, qtbot, window: QWidget) -> None:
        self.qtbot = qtbot
        self.window = window
        self.count = 0

    def focused(self) -> QWidget:
        return QApplication.focusWidget() or self.window

    def press(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.count += 1
        self.qtbot.keyClick(self.focused(), key, modifier)

    def type(self, text: str) -> None:
        self.count += len(text)
        self.qtbot.keyClicks(self.focused(), text)

    def name(self) -> str:
        return self.focused().objectName()


@pytest.fixture
def open_visit(make_main_window, repo, sample_patient, qtbot):
    """The window shown and active, a new visit open for a left-sided patient."""
    patient_id = repo.add_patient(sample_patient())
    window = make_main_window()
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.open_patient(patient_id)
    return window, patient_id, Keys(qtbot, window)


def saved(repo, patient_id):
    return repo.get_visit(repo.list_visits(patient_id)[0].id)


def focus(qtbot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


# --- 1. numbers ---------------------------------------------------------------


def test_pain_10_is_typed_as_1_then_0(open_visit, repo, qtbot):
    window, patient_id, keys = open_visit
    for name, typed, _stored in (("now", "10", 10), ("best_24h", "7", 7)):
        focus(qtbot, window.form.findChild(ChoiceButtons, f"pain.{name}"))
        keys.type(typed)
    keys.press(Qt.Key.Key_S, Ctrl)
    pain = saved(repo, patient_id).pain
    assert (pain.now, pain.best_24h) == (10, 7)


def test_a_digit_after_a_pause_starts_a_new_number(qtbot, monkeypatch):
    row = ChoiceButtons("Pain", choice_buttons.number_choices(0, 10))
    qtbot.addWidget(row)
    now = [100.0]
    monkeypatch.setattr(ChoiceButtons, "clock", staticmethod(lambda: now[0]))
    qtbot.keyClick(row, Qt.Key.Key_1)
    now[0] += choice_buttons.TYPING_SECONDS + 0.5
    qtbot.keyClick(row, Qt.Key.Key_0)
    assert row.value == "0"  # the 1 was a mistake put right, not 10
    qtbot.keyClick(row, Qt.Key.Key_1)
    qtbot.keyClick(row, Qt.Key.Key_0)
    assert row.value == "10"
    qtbot.keyClick(row, Qt.Key.Key_5)
    assert row.value == "5"  # "105" is no choice: a new number


# --- 2. dates -----------------------------------------------------------------


def test_dates_typed_as_shown_are_stored_and_tab_leaves_them(open_visit, repo, qtbot):
    window, patient_id, keys = open_visit
    date = window.form.date_edit
    focus(qtbot, date)
    date.selectAll()
    keys.type("2026-11-19")
    keys.press(Qt.Key.Key_Tab)
    assert keys.name() == "visit.clinician"  # one Tab leaves the date
    keys.press(Qt.Key.Key_Tab)
    keys.press(Qt.Key.Key_Tab)
    assert keys.name() == "visit.chief_complaint"
    keys.type("Buttock pain")
    onset = window.form.findChild(QWidget, "history.onset")
    focus(qtbot, onset)
    keys.type("2026-08-01")
    keys.press(Qt.Key.Key_Tab)
    assert keys.name() == "history.mechanism"
    keys.press(Qt.Key.Key_S, Ctrl)
    visit = saved(repo, patient_id)
    assert visit.date == dt.date(2026, 11, 19)
    assert visit.history.onset == dt.date(2026, 8, 1)
    assert visit.chief_complaint == "Buttock pain"


def test_an_impossible_date_is_refused_with_a_message_never_changed(
    open_visit, repo, qtbot, monkeypatch
):
    window, patient_id, keys = open_visit
    errors: list[str] = []
    monkeypatch.setattr(window, "show_error", lambda title, text: errors.append(text))
    onset = window.form.findChild(QWidget, "history.onset")
    focus(qtbot, onset)
    keys.type("2026-02-30")
    keys.press(Qt.Key.Key_Tab)
    assert onset.text() == "2026-02-30"  # as typed, not moved to a real day
    assert "Onset: 2026-02-30 is not a date" in window.problems_label.text()
    assert not window.menu_actions.save.isEnabled()
    assert not window.save_visit()
    assert "Onset: 2026-02-30 is not a date" in errors[-1]
    assert repo.list_visits(patient_id) == []


def test_the_date_of_birth_is_typed_as_shown(qtbot):
    dialog = PatientDialog(lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    focus(qtbot, dialog.mrn_edit)
    keys = Keys(qtbot, dialog)
    keys.type("A-77")
    keys.press(Qt.Key.Key_Tab)
    keys.type("Nunez")
    keys.press(Qt.Key.Key_Tab)
    keys.type("Jo")
    keys.press(Qt.Key.Key_Tab)
    assert keys.name() == "patient.date_of_birth"
    keys.type("1962-07-30")
    keys.press(Qt.Key.Key_Tab)
    assert keys.name() == "patient.sex"
    keys.press(Qt.Key.Key_F)  # typing picks "Female"
    patient = dialog.patient
    assert patient is not None
    assert (patient.date_of_birth, patient.sex) == (dt.date(1962, 7, 30), Sex.FEMALE)


# --- 6. no silent defaults in the new-patient dialog ------------------------------


def test_a_new_patient_gets_no_date_of_birth_or_sex_nobody_chose(qtbot):
    dialog = PatientDialog(lambda: TODAY)
    qtbot.addWidget(dialog)
    assert dialog.dob_edit.text() == ""
    assert dialog.sex_combo.currentText() == "Not recorded"
    assert dialog.problems_label.text() == ""  # nothing typed, nothing wrong yet
    dialog.mrn_edit.setText("A-78")
    dialog.family_edit.setText("Park")
    dialog.accept()  # OK without a date of birth: refused, and said why
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.problems_label.text() == "Date of birth is required"
    dialog.dob_edit.set_date(dt.date(1980, 5, 6))
    assert dialog.patient.sex is Sex.UNKNOWN  # "Not recorded" until chosen


def test_a_fields_problem_shows_once_it_is_left(qtbot):
    dialog = PatientDialog(lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    focus(qtbot, dialog.mrn_edit)
    qtbot.keyClicks(dialog.mrn_edit, "A")
    assert dialog.problems_label.text() == ""  # still typing: nothing said
    qtbot.keyClick(dialog.mrn_edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(dialog.mrn_edit, Qt.Key.Key_Tab)  # left empty
    assert dialog.problems_label.text() == "MRN is required"


# --- 3. the clinician working changes only on purpose -----------------------------


def test_typing_at_start_searches_and_never_reaches_working_as(
    make_main_window, repo, sample_patient, qtbot
):
    repo.add_patient(sample_patient())
    window = make_main_window()
    window.switch_clinician("Dana Park PT")
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.waitUntil(window.patient_list.search_edit.hasFocus)
    keys = Keys(qtbot, window)
    keys.type("kim")
    assert window.patient_list.search_edit.text() == "kim"
    assert repo.clinician == "Dana Park PT"
    assert window.clinician_button.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_tab_through_the_whole_form_never_leaves_it(open_visit, repo, qtbot):
    window, _, keys = open_visit
    focus(qtbot, window.form.date_edit)
    seen = set()
    for _ in range(400):
        widget = keys.focused()
        if widget in seen:
            break
        seen.add(widget)
        assert widget is not window.clinician_button
        if not window.form.isAncestorOf(widget):
            break
        keys.press(Qt.Key.Key_Tab)
    assert window.form.plan_edit in seen


def test_after_signing_alt_1_types_nothing_into_the_clinician(
    open_visit, repo, qtbot, monkeypatch
):
    from sijoint_exam.ui import signing

    window, patient_id, keys = open_visit
    window.switch_clinician("Dana Park PT")
    keys.press(Qt.Key.Key_S, Ctrl)
    monkeypatch.setattr(signing, "ask_clinician", lambda parent, current: "D. Park")
    monkeypatch.setattr(signing, "confirm_signing", lambda parent, who: True)
    assert window.sign_visit()
    keys.press(Qt.Key.Key_1, Alt)
    keys.type("1 ")
    assert repo.clinician == "Dana Park PT"
    assert window.clinician_button.text() == "Working as: Dana Park PT"


def test_ctrl_f_finds_from_anywhere(open_visit, qtbot):
    window, _, keys = open_visit
    focus(qtbot, window.form.plan_edit)
    keys.press(Qt.Key.Key_F, Ctrl)
    assert keys.focused() is window.patient_list.search_edit


# --- 4. ODI ---------------------------------------------------------------------


def test_enter_after_the_last_odi_section_keeps_the_answers(qtbot):
    dialog = OdiDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    focus(qtbot, dialog.answers[0])
    keys = Keys(qtbot, dialog)
    for answer in "3142332123":
        keys.type(answer)
        keys.press(Qt.Key.Key_Tab)
    assert keys.name() != "odi.clear"  # Clear is never reached by Tab
    keys.press(Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.odi.answers == (3, 1, 4, 2, 3, 3, 2, 1, 2, 3)


def test_clearing_the_odi_asks_and_sections_name_their_topic(qtbot):
    dialog = OdiDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClick(dialog.answers[2], Qt.Key.Key_4)
    asked = []
    dialog.confirm_clear = lambda parent: asked.append(True) or False
    clear = dialog.findChild(QWidget, "odi.clear")
    clear.click()
    assert asked and dialog.odi.answers[2] == 4  # "No" kept the answers
    labels = [dialog.findChild(QWidget, "odi.3")]
    assert labels[0].accessibleName().startswith("ODI section 3, lifting")
    assert "3 Lifting" in [label.text() for label in dialog._labels]


# --- 5. the block editor --------------------------------------------------------


def test_a_block_is_entered_in_the_order_it_is_seen(open_visit, repo, qtbot):
    window, patient_id, keys = open_visit
    details = window.form.sections[0]
    details.side_combo.setCurrentIndex(details.side_combo.findData("right"))
    blocks = window.form.section(BlocksSection)
    focus(qtbot, blocks.add_block)
    keys.press(Qt.Key.Key_Space)
    editor = blocks.editors[0]
    assert editor.side.currentData() == "right"  # the symptomatic side, as chosen
    assert keys.focused() is editor.date
    order = []
    for _ in range(12):
        order.append(keys.name())
        keys.press(Qt.Key.Key_Tab)
    assert order[order.index("block.1.guidance") + 1 :][:3] == [
        "block.1.relief_hours",
        "block.1.pre",
        "block.1.add_reading",
    ]
    assert "block.1.remove" not in order
    focus(qtbot, editor.pre)
    keys.type("7")
    focus(qtbot, editor.add_reading)
    keys.press(Qt.Key.Key_Space)
    assert keys.name() == "block.1.reading.1.minutes"
    keys.type("30")
    keys.press(Qt.Key.Key_Tab)
    keys.type("1")
    keys.press(Qt.Key.Key_Tab)
    assert keys.name() == "block.1.reading.1.patient_percent"
    keys.press(Qt.Key.Key_Tab)
    assert keys.name() == "block.1.add_reading"  # Remove is not in the way
    keys.press(Qt.Key.Key_S, Ctrl)
    block = saved(repo, patient_id).blocks[0]
    assert (block.side.value, block.pre) == ("right", 7)
    assert [(r.minutes, r.nrs) for r in block.readings] == [(30, 1)]


def test_the_chosen_pre_block_nrs_keeps_its_look_after_a_problem(open_visit, qtbot):
    window, _, keys = open_visit
    blocks = window.form.section(BlocksSection)
    blocks.add_block.click()
    pre = blocks.editors[0].pre
    # Not entered yet: outlined as a problem, and still drawn as a choice row.
    assert "Block 1 pre-block NRS" in window.problems_label.text()
    assert "border: 2px solid #" in pre.styleSheet()
    assert "QToolButton:checked" in pre.styleSheet()
    focus(qtbot, pre)
    keys.type("7")
    # The problem is gone and the chosen 7 is drawn filled, as before it.
    assert "border: 2px solid #" not in pre.styleSheet()
    assert "QToolButton:checked" in pre.styleSheet()
    assert pre.button("7").isChecked()


# --- 7. addendum -----------------------------------------------------------------


def test_the_addendum_dialog_is_no_keyboard_trap(qtbot):
    from sijoint_exam.ui.addendum_dialog import AddendumDialog

    dialog = AddendumDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    focus(qtbot, dialog.edit)
    keys = Keys(qtbot, dialog)
    keys.type("FABER was left")
    keys.press(Qt.Key.Key_Tab)
    assert "\t" not in dialog.edit.toPlainText()
    assert keys.focused() is not dialog.edit  # Tab moved on
    focus(qtbot, dialog.edit)
    keys.press(Qt.Key.Key_Return, Ctrl)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.text() == "FABER was left"


# --- the five tests by keyboard alone --------------------------------------------


def test_the_five_tests_of_the_rule_in_at_most_15_key_presses(open_visit, repo):
    window, patient_id, keys = open_visit
    keys.press(Qt.Key.Key_6, Alt)  # to the first test of the rule
    assert keys.name() == "provocation.distraction.result"
    # distraction, thigh thrust L/R, compression, FABER L/R, Gaenslen L/R
    for key in "PPNNNNPN":
        assert isinstance(keys.focused(), FindingSelector)
        keys.press(getattr(Qt.Key, f"Key_{key}"))
    keys.press(Qt.Key.Key_S, Ctrl)
    assert keys.count <= 15, keys.count
    visit = saved(repo, patient_id)
    assert visit.finding("distraction").result is Result.POSITIVE
    assert visit.finding("thigh_thrust").left is Result.POSITIVE
    assert visit.finding("thigh_thrust").right is Result.NEGATIVE
    assert visit.finding("compression").result is Result.NEGATIVE
    assert visit.finding("faber").left is Result.NEGATIVE
    assert visit.finding("faber").right is Result.NEGATIVE
    assert visit.finding("gaenslen").left is Result.POSITIVE
    assert visit.finding("gaenslen").right is Result.NEGATIVE
    assert window.tally.summary_label.text().startswith("3 of 5 positive")


# --- screen-reader names -----------------------------------------------------------


def test_every_control_of_the_exam_has_a_screen_reader_name_and_description(
    make_main_window, repo, sample_patient, sample_visit, qtbot
):
    """Walks every widget of the form (whatever sections it has), with a block,
    a reading and a pattern open, through Qt's accessibility interface."""
    from dataclasses import replace

    from PySide6.QtGui import QAccessible

    from sijoint_exam.domain.alignment import Pattern, PatternFinding
    from sijoint_exam.domain.block import Block, BlockSide, Reading
    from sijoint_exam.domain.catalogue import Agent

    patient_id = repo.add_patient(sample_patient())
    visit = sample_visit()
    block = Block(
        TODAY, 1, BlockSide.LEFT, Agent.LIDOCAINE, 7, readings=(Reading(30, 1),)
    )
    alignment = replace(
        visit.alignment, patterns=(PatternFinding(Pattern.LEFT_ON_LEFT),)
    )
    repo.save_visit(patient_id, replace(visit, blocks=(block,), alignment=alignment))
    window = make_main_window()
    window.open_patient(patient_id)
    checked = 0
    missing: list[str] = []
    for widget in window.form.findChildren(QWidget):
        takes_focus = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        clicked = isinstance(widget.parent(), ChoiceButtons | FindingSelector)
        if not (takes_focus or clicked) or not widget.isVisibleTo(window.form):
            continue
        if widget.parent() is not None and "QAbstractSpinBox" in [
            c.__name__ for c in type(widget.parent()).__mro__
        ]:
            continue  # the line edit Qt builds inside a spin box
        accessible = QAccessible.queryAccessibleInterface(widget)
        label = f"{type(widget).__name__} {widget.objectName()!r}"
        if not accessible.text(QAccessible.Text.Name).strip():
            missing.append(f"{label}: no name")
        if takes_focus and not accessible.text(QAccessible.Text.Description).strip():
            missing.append(f"{label}: no description")
        checked += 1
    assert missing == []
    assert checked > 100


# --- 8. the window fits the screen it is on ------------------------------------------


def test_a_window_left_too_small_or_off_screen_is_fitted_again(
    make_main_window, settings, qtbot
):
    from sijoint_exam.ui.main_window import MainWindow

    first = MainWindow(settings)
    qtbot.addWidget(first)
    available = first.screen().availableGeometry()
    first.setGeometry(available.x() + 10, available.y() + 40, 251, 378)
    settings.window_geometry = first.saveGeometry()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.width() > 251 and again.height() > 378
    assert again.width() <= available.width()
    assert again.height() <= available.height()
    wide = min(available.width() - 40, 900), min(available.height() - 80, 560)
    first.setGeometry(available.x() + 10, available.y() + 40, *wide)
    settings.window_geometry = first.saveGeometry()
    kept = MainWindow(settings)
    qtbot.addWidget(kept)
    assert (kept.width(), kept.height()) == wide  # fits: put back as it was left


def test_the_period_of_a_batch_export_is_typed_as_shown(qtbot, tmp_path):
    from sijoint_exam.ui.export import PeriodDialog

    dialog = PeriodDialog(TODAY, tmp_path)
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    for edit, typed in (
        (dialog.first_edit, "2026-10-01"),
        (dialog.last_edit, "2026-10-31"),
    ):
        edit.selectAll()
        qtbot.keyClicks(edit, typed)
    assert dialog.period() == (dt.date(2026, 10, 1), dt.date(2026, 10, 31), tmp_path)
    dialog.last_edit.selectAll()
    qtbot.keyClicks(dialog.last_edit, "2026-09-31")
    assert not ok.isEnabled()
    assert "To: 2026-09-31 is not a date" in dialog.problem_label.text()


def test_enter_in_the_lock_screens_name_unlocks(
    make_main_window, repo, sample_patient, qtbot
):
    window = make_main_window()
    window.open_patient(repo.add_patient(sample_patient()))
    window.lock()
    assert window.locked
    name = window.lock_screen.clinician_combo
    name.setCurrentText("A. Lee, PT")
    qtbot.keyClick(name.lineEdit(), Qt.Key.Key_Return)
    assert not window.locked
    assert repo.clinician == "A. Lee, PT"


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("patient.mrn", "MRN"),
        ("visit.blocks[0].pre", "Block 1 pre-block NRS"),
        ("block.2.date", "Block 2 date"),
        ("visit.blocks[1].readings[0].nrs", "Block 2 reading 1 NRS"),
        ("visit.odi.answers[2]", "ODI section 3 (Lifting)"),
        ("visit.provocation.thigh_thrust.left", "Thigh thrust (P4) left"),
        ("history.onset", "Onset"),
    ],
)
def test_problems_are_named_as_the_form_names_them(field, words):
    from sijoint_exam.domain.validation import Problem
    from sijoint_exam.ui.problem_text import describe, field_label

    assert field_label(field) == words
    assert describe(Problem(field, "is required")) == f"{words} is required"
    assert (
        describe(Problem(field, "11 is outside 0–10")) == f"{words}: 11 is outside 0–10"
    )


def test_a_pattern_added_is_in_the_tab_order_where_it_is_seen(open_visit, qtbot):
    from sijoint_exam.ui.sections import AlignmentSection

    window, _, keys = open_visit
    alignment = window.form.section(AlignmentSection)
    focus(qtbot, alignment.add_pattern)
    keys.press(Qt.Key.Key_Space)
    assert keys.name() == "alignment.pattern.1"
    keys.press(Qt.Key.Key_Tab)
    assert keys.name() == "alignment.pattern.1.side"
    keys.press(Qt.Key.Key_Tab)
    assert keys.name() == "alignment.add_pattern"  # Remove is not in the way
    keys.press(Qt.Key.Key_Tab)
    assert keys.name().startswith(("alignment.use_suggestion", "alignment.asis"))
