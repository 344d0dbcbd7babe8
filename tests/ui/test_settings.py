"""Preferences: stored typed, sanitised, edited by the dialog, used by new visits."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sijoint_exam.ui.preferences import Preferences
from sijoint_exam.ui.settings import Settings
from sijoint_exam.ui.settings_dialog import SettingsDialog
from sijoint_exam.ui.shortcut_help import ShortcutHelp, shortcut_rows


def test_preferences_round_trip_through_the_ini_file(tmp_path):
    chosen = Preferences(
        clinician="Zoë Łukasz, PT",
        clinic_name="Spine Clinic",
        clinic_address="1 Main St\nTown",
        rule_id="laslett_2005_six",
        pretest_probability=0.3,
        block_threshold_percent=80,
    )
    Settings(tmp_path / "s.ini").preferences = chosen
    assert Settings(tmp_path / "s.ini").preferences == chosen


def test_hand_edited_nonsense_falls_back_to_defaults(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text(
        "[preferences]\nrule_id=nonsense\npretest_probability=7\n"
        "block_threshold_percent=abc\nclinician=A\n"
    )
    preferences = Settings(path).preferences
    assert preferences == Preferences(clinician="A")


def test_dialog_loads_and_returns_preferences(qtbot):
    chosen = Preferences(
        clinician="J. Doe", rule_id="cms_lcd_2023", pretest_probability=0.13
    )
    dialog = SettingsDialog(chosen)
    qtbot.addWidget(dialog)
    assert dialog.preferences() == chosen
    dialog.clinic_phone_edit.setText(" 555 0100 ")
    assert dialog.preferences().clinic_phone == "555 0100"


def test_new_visit_starts_from_the_preferences(
    make_main_window, repo, sample_patient, settings
):
    settings.preferences = Preferences(
        clinician="J. Doe, PT", rule_id="laslett_2005_four", pretest_probability=0.25
    )
    window = make_main_window()
    window.open_patient(repo.add_patient(sample_patient()))
    visit = window.form.visit()
    assert visit.clinician == "J. Doe, PT"
    assert visit.scoring.rule == "laslett_2005_four"
    assert visit.scoring.pretest_probability == 0.25
    assert "Two of four" in window.tally.rule_label.text()


def test_f1_lists_every_shortcut_and_the_result_keys(make_main_window, qtbot):
    window = make_main_window()
    window.show()
    window.patient_list.search_edit.setFocus()
    qtbot.waitUntil(window.patient_list.search_edit.hasFocus)
    qtbot.keyClick(window.patient_list.search_edit, Qt.Key.Key_F1)
    sheet = window.findChild(ShortcutHelp)
    assert sheet is not None and sheet.isVisible()
    text = " ".join(f"{k} {t}" for k, t in shortcut_rows(window.actions()))
    for expected in ("Ctrl+S", "Ctrl+N", "Ctrl+P", "Save visit", "Positive (familiar"):
        assert expected in text
    for expected in ("Alt+1 … Alt+9, Alt+0", "Ctrl+F", "1 then 0", "Ctrl+Shift+W"):
        assert expected in text


def test_the_clinic_server_is_kept_through_the_dialog(qtbot):
    chosen = Preferences(clinic_server="postgresql://room_2@server/clinic")
    dialog = SettingsDialog(chosen)
    qtbot.addWidget(dialog)
    assert dialog.preferences() == chosen  # saving other settings keeps it
    dialog.server_edit.setText("  ")
    assert dialog.preferences().clinic_server == ""
