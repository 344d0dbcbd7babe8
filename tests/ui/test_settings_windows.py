"""Block agent windows as preferences: stored typed and sanitised, edited in the
settings dialog, given to new visits, and kept by the form as the visit has them."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QSpinBox

from sijoint_exam.domain.block import AgentWindows
from sijoint_exam.domain.visit import Scoring
from sijoint_exam.ui.exam_form import ExamForm
from sijoint_exam.ui.preferences import Preferences
from sijoint_exam.ui.sections import BlocksSection
from sijoint_exam.ui.sections.provocation import ProvocationSection
from sijoint_exam.ui.settings import Settings
from sijoint_exam.ui.settings_dialog import SettingsDialog
from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX
from tests.domain.test_agent_windows import LATE_RELIEF
from tests.ui.sections.conftest import find

WIDE = AgentWindows(lidocaine=3, bupivacaine=6, ropivacaine=12)


def spin(dialog: SettingsDialog, agent: str) -> QSpinBox:
    found = dialog.findChild(QSpinBox, f"settings.agent_window.{agent}")
    assert found is not None, agent
    return found


def test_windows_round_trip_through_the_ini_file(tmp_path):
    chosen = Preferences(
        lidocaine_window_hours=3,
        bupivacaine_window_hours=6,
        ropivacaine_window_hours=12,
    )
    Settings(tmp_path / "s.ini").preferences = chosen
    stored = Settings(tmp_path / "s.ini").preferences
    assert stored == chosen
    assert stored.agent_windows() == WIDE


def test_windows_default_to_the_catalogue(tmp_path):
    assert Settings(tmp_path / "s.ini").preferences.agent_windows() == AgentWindows()


def test_hand_edited_windows_fall_back_to_the_defaults(tmp_path):
    path = tmp_path / "s.ini"
    path.write_text(
        "[preferences]\nlidocaine_window_hours=30\nbupivacaine_window_hours=0\n"
        "ropivacaine_window_hours=2.5\nclinician=A\n"
    )
    assert Settings(path).preferences == Preferences(clinician="A")
    path.write_text("[preferences]\nlidocaine_window_hours=abc\n")
    assert Settings(path).preferences.agent_windows() == AgentWindows()
    path.write_text("[preferences]\nropivacaine_window_hours=24\n")
    assert Settings(path).preferences.agent_windows() == AgentWindows(ropivacaine=24)


def test_preferences_give_a_new_visit_its_scoring():
    preferences = Preferences(
        rule_id="laslett_2005_six",
        pretest_probability=0.3,
        block_threshold_percent=90,
        lidocaine_window_hours=3,
        bupivacaine_window_hours=6,
        ropivacaine_window_hours=12,
    )
    assert preferences.scoring() == Scoring(
        rule="laslett_2005_six",
        pretest_probability=0.3,
        block_threshold_percent=90,
        agent_window_hours=WIDE,
    )
    assert Preferences().scoring() == Scoring()


def test_dialog_has_a_named_touch_sized_spin_box_per_agent(qtbot):
    dialog = SettingsDialog(Preferences())
    qtbot.addWidget(dialog)
    for agent, hours in (("lidocaine", 2), ("bupivacaine", 8), ("ropivacaine", 8)):
        box = spin(dialog, agent)
        assert box.value() == hours
        assert (box.minimum(), box.maximum(), box.suffix()) == (1, 24, " h")
        assert box.minimumHeight() >= MIN_TOUCH_PX
        assert agent in box.accessibleName()
        tip = box.toolTip()
        assert agent in tip and "peak relief" in tip
        assert f"default {hours} h, a typical duration of action" in tip
    assert dialog.findChild(QSpinBox, "settings.agent_window.other") is None


def test_dialog_loads_and_returns_the_windows(qtbot):
    chosen = Preferences(clinician="J. Doe", lidocaine_window_hours=4)
    dialog = SettingsDialog(chosen)
    qtbot.addWidget(dialog)
    assert spin(dialog, "lidocaine").value() == 4
    assert dialog.preferences() == chosen
    spin(dialog, "ropivacaine").setValue(10)
    assert dialog.preferences() == replace(chosen, ropivacaine_window_hours=10)


def test_dialog_edits_persist_through_the_settings_file(
    make_main_window, settings, monkeypatch, qtbot
):
    window = make_main_window()

    def ask(preferences, parent=None):
        # What OK returns after the clinician edits the spin boxes (no exec).
        dialog = SettingsDialog(preferences, parent)
        qtbot.addWidget(dialog)
        spin(dialog, "lidocaine").setValue(3)
        spin(dialog, "bupivacaine").setValue(6)
        return dialog.preferences()

    monkeypatch.setattr(SettingsDialog, "ask", staticmethod(ask))
    window.edit_settings()
    reopened = Settings(settings.path).preferences  # read back from the file
    assert reopened.agent_windows() == AgentWindows(lidocaine=3, bupivacaine=6)
    text = settings.path.read_text()
    assert "lidocaine_window_hours=3" in text and "bupivacaine_window_hours=6" in text


def test_new_visit_is_read_with_the_preference_windows(
    make_main_window, repo, sample_patient, settings
):
    # Needs MainWindow._new_visit_template to use `preferences.scoring()`.
    settings.preferences = Preferences(
        lidocaine_window_hours=3,
        bupivacaine_window_hours=6,
        ropivacaine_window_hours=12,
    )
    window = make_main_window()
    window.open_patient(repo.add_patient(sample_patient()))
    assert window.form.visit().scoring.agent_window_hours == WIDE


def test_the_form_keeps_the_visits_windows(qtbot, sample_visit):
    form = ExamForm()
    qtbot.addWidget(form)
    visit = sample_visit(scoring=Scoring(agent_window_hours=WIDE))
    form.load(visit)
    assert form.visit() == visit


def test_changing_the_rule_keeps_the_windows_and_threshold(qtbot, sample_visit):
    section = ProvocationSection()
    qtbot.addWidget(section)
    visit = sample_visit(
        scoring=Scoring(block_threshold_percent=90, agent_window_hours=WIDE)
    )
    section.load(visit)
    section.rule_combo.setCurrentIndex(section.rule_combo.findData("cms_lcd_2023"))
    scoring = section.apply(visit).scoring
    assert scoring == replace(visit.scoring, rule="cms_lcd_2023")


def test_the_blocks_section_reads_with_the_visits_window(qtbot, sample_visit):
    block = LATE_RELIEF
    section = BlocksSection()
    qtbot.addWidget(section)
    section.load(sample_visit(blocks=(block,)))
    assert find(section, "block.1.peak").text() == "Peak: 50% relief"
    assert find(section, "block.1.result").text().startswith("Result: negative")
    three = Scoring(agent_window_hours=AgentWindows(lidocaine=3))
    section.load(sample_visit(blocks=(block,), scoring=three))
    assert find(section, "block.1.peak").text() == "Peak: 88% relief"
    assert find(section, "block.1.result").text().startswith("Result: positive")


def test_the_block_editor_names_the_visits_window(qtbot, sample_visit):
    # The window label and the "outside the window" marks follow the visit's
    # windows, not the catalogue's defaults.
    block = LATE_RELIEF
    section = BlocksSection()
    qtbot.addWidget(section)
    section.load(sample_visit(blocks=(block,)))
    assert find(section, "block.1.window").text() == (
        "Readings count within 2 h (lidocaine)"
    )
    assert find(section, "block.1.reading.2.relief").text() == (
        "88% relief (outside the window)"
    )
    three = Scoring(agent_window_hours=AgentWindows(lidocaine=3))
    section.load(sample_visit(blocks=(block,), scoring=three))
    assert find(section, "block.1.window").text() == (
        "Readings count within 3 h (lidocaine)"
    )
    assert find(section, "block.1.reading.2.relief").text() == "88% relief"
