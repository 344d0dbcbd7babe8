"""At the table, what is typed is what is stored: the ODI, blocks, addenda, the
five tests by keyboard alone, screen-reader names, and the window on its screen."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from sijoint_exam.domain.catalogue import Result
from sijoint_exam.ui.sections import BlocksSection
from sijoint_exam.ui.widgets.choice_buttons import ChoiceButtons
from sijoint_exam.ui.widgets.finding_selector import FindingSelector
from sijoint_exam.ui.widgets.odi_dialog import OdiDialog
from tests.conftest import TODAY
from tests.ui.keyboard import Alt, Ctrl, Keys, focus, saved

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
    assert "Block 1 pre-block NRS" in window.widgets.problems_label.text()
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
