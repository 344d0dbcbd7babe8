"""At the table, what is typed is what is stored: numbers, dates, new patients and
the clinician working, driven by keys on the focused widget and read back from
the saved visit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from sijoint_exam.domain.visit import Sex
from sijoint_exam.ui.patient_dialog import PatientDialog
from sijoint_exam.ui.widgets import choice_buttons
from sijoint_exam.ui.widgets.choice_buttons import ChoiceButtons
from tests.conftest import TODAY
from tests.ui.keyboard import Alt, Ctrl, Keys, focus, saved

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
    assert "Onset: 2026-02-30 is not a date" in window.widgets.problems_label.text()
    assert not window.menu_actions.save.isEnabled()
    assert not window.save_visit()
    assert "Onset: 2026-02-30 is not a date" in errors[-1]
    assert repo.list_visits(patient_id) == []


def test_the_date_of_birth_is_typed_as_shown(
    make_main_window, repo, monkeypatch, qtbot
):
    def type_in(dialog: PatientDialog) -> int:
        """The clinician at the dialog: keys only, then Enter (OK)."""
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
        keys.press(Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(PatientDialog, "exec", type_in)
    window = make_main_window()
    window.new_patient()
    stored = repo.search_patients("A-77")[0].patient
    assert (stored.date_of_birth, stored.sex) == (dt.date(1962, 7, 30), Sex.FEMALE)
    assert (stored.family_name, stored.given_names) == ("Nunez", "Jo")


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
