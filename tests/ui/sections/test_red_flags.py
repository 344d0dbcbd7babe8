"""Red flags: answers, the emergency banner, the undocumented cauda equina line."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from sijoint_exam.domain.catalogue_measures import CAUDA_EQUINA_EMERGENCY, RED_FLAGS
from sijoint_exam.domain.outcomes import Answer, screen_red_flags
from sijoint_exam.ui.sections import RedFlagsSection
from sijoint_exam.ui.sections.red_flags import UNANSWERED_MARK
from tests.ui.sections.conftest import Emissions, choose, find


@pytest.fixture
def section(qtbot):
    widget = RedFlagsSection()
    qtbot.addWidget(widget)
    return widget


def test_every_catalogue_flag_has_its_row(section):
    for flag in RED_FLAGS:
        assert find(section, f"redflags.{flag.id}").accessibleName()


def test_cauda_equina_yes_raises_the_banner_until_cleared(section, file_visit, qtbot):
    section.load(file_visit)
    banner = find(section, "redflags.emergency")
    assert banner.isHidden()
    emitted = Emissions(section.changed)
    choose(qtbot, section, "redflags.bladder", "yes")
    assert not banner.isHidden()
    assert CAUDA_EQUINA_EMERGENCY in banner.text()
    assert emitted.count == 1
    assert section.apply(file_visit).red_flag("bladder") is Answer.YES
    # A second yes, then the first cleared: the banner stays for the second.
    choose(qtbot, section, "redflags.bowel", "yes")
    choose(qtbot, section, "redflags.bladder", "no")
    assert not banner.isHidden()
    choose(qtbot, section, "redflags.bowel", "no")
    assert banner.isHidden()


def test_a_loaded_emergency_shows_the_banner(section, file_visit):
    flags = {**file_visit.red_flags, "saddle_anaesthesia": Answer.YES}
    section.load(replace(file_visit, red_flags=flags))
    assert not find(section, "redflags.emergency").isHidden()
    section.load(file_visit)
    assert find(section, "redflags.emergency").isHidden()


def test_other_yes_answers_raise_no_banner(section, file_visit, qtbot):
    section.load(file_visit)
    choose(qtbot, section, "redflags.fever", "yes")
    assert find(section, "redflags.emergency").isHidden()


def test_the_undocumented_line_is_the_domains(section, file_visit, qtbot):
    section.load(file_visit)
    line = find(section, "redflags.undocumented")
    expected = screen_red_flags(file_visit.red_flags).undocumented_text
    assert expected and line.text() == expected
    choose(qtbot, section, "redflags.sexual", "no")
    assert line.isHidden()


def test_unanswered_items_are_marked(section, file_visit, qtbot):
    section.load(file_visit)
    assert find(section, "redflags.sexual.mark").text() == UNANSWERED_MARK
    assert find(section, "redflags.bladder.mark").text() != UNANSWERED_MARK
    assert find(section, "redflags.unanswered").text() == "1 of 12 not asked"
    qtbot.keyClick(find(section, "redflags.sexual"), Qt.Key.Key_N)
    assert find(section, "redflags.sexual.mark").text() == ""
    assert find(section, "redflags.unanswered").isHidden()


def test_keys_answer_the_focused_question(section, file_visit, qtbot):
    section.load(file_visit)
    bowel = find(section, "redflags.bowel")
    qtbot.keyClick(bowel, Qt.Key.Key_Y)
    assert section.apply(file_visit).red_flag("bowel") is Answer.YES
    qtbot.keyClick(bowel, Qt.Key.Key_A)
    assert section.apply(file_visit).red_flag("bowel") is Answer.NOT_ASKED
    assert "bowel" not in section.apply(file_visit).red_flags
