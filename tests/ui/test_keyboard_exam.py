"""A whole exam entered with the keyboard alone: Tab from field to field through
every section, one key per answer, typed text, then Ctrl+S. A test's result key
moves on by itself (to the next test of the rule), so no Tab follows it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from sijoint_exam.domain.catalogue import Result
from sijoint_exam.domain.outcomes import Answer
from sijoint_exam.ui.widgets.choice_buttons import ChoiceButtons
from sijoint_exam.ui.widgets.finding_selector import FindingSelector

POSITIVE = {
    "provocation.distraction.result",
    "provocation.thigh_thrust.left",
    "provocation.gaenslen.left",
}


def answer(qtbot, widget: QWidget) -> None:
    """What a clinician types on each kind of field."""
    name = widget.objectName()
    if isinstance(widget, FindingSelector):
        positive = name in POSITIVE  # the rest negative
        qtbot.keyClick(widget, Qt.Key.Key_P if positive else Qt.Key.Key_N)
    elif isinstance(widget, ChoiceButtons):
        if name.startswith("redflags."):
            qtbot.keyClick(widget, Qt.Key.Key_N)
        elif name.startswith("pain."):
            qtbot.keyClick(widget, Qt.Key.Key_6)
    elif isinstance(widget, QLineEdit) and name == "visit.chief_complaint":
        qtbot.keyClicks(widget, "Left buttock pain")
    elif isinstance(widget, QPlainTextEdit) and name == "visit.plan":
        qtbot.keyClicks(widget, "Review in two weeks")


def test_a_whole_exam_by_keyboard(make_main_window, repo, sample_patient, qtbot):
    patient_id = repo.add_patient(sample_patient())
    window = make_main_window()
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.open_patient(patient_id)
    first = window.form.date_edit
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    seen: list[str] = []
    for _ in range(600):
        focused = QApplication.focusWidget()
        if focused is None or not window.form.isAncestorOf(focused):
            break
        name = focused.objectName()
        if seen and name == seen[-1]:
            # Tab steps through a date's year, month and day before moving on.
            qtbot.keyClick(focused, Qt.Key.Key_Tab)
            continue
        if name in seen:
            break  # came round again
        seen.append(name)
        if not isinstance(focused, QComboBox | QAbstractSpinBox):
            answer(qtbot, focused)
        if isinstance(focused, FindingSelector):
            assert QApplication.focusWidget() is not focused  # moved on by itself
            continue
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert "visit.plan" in seen, seen[-5:]  # Tab reached the last section
    for expected in ("redflags.bladder", "pain.now", "provocation.gaenslen.right"):
        assert expected in seen
    qtbot.keyClick(
        QApplication.focusWidget() or window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier,
    )
    saved = repo.get_visit(repo.list_visits(patient_id)[0].id)
    assert saved.chief_complaint == "Left buttock pain"
    assert saved.plan == "Review in two weeks"
    assert saved.pain.now == 6
    assert saved.red_flag("bladder") is Answer.NO
    assert saved.finding("thigh_thrust").left is Result.POSITIVE
    assert saved.finding("thigh_thrust").right is Result.NEGATIVE
    assert saved.finding("distraction").result is Result.POSITIVE
    assert saved.finding("compression").result is Result.NEGATIVE
    assert window.tally.summary_label.text().startswith("3 of 5 positive")
