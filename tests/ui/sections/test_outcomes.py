"""Outcomes: the ODI dialog's live score, the section's ODI and ASLR."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sijoint_exam.domain.catalogue_measures import ODI_SECTIONS, ODI_TOO_MANY_MISSING
from sijoint_exam.domain.outcomes import Aslr, Odi, odi_score
from sijoint_exam.ui.sections import OutcomesSection
from sijoint_exam.ui.widgets.odi_dialog import OdiDialog
from tests.ui.sections.conftest import Emissions, choose, click, find


@pytest.fixture
def dialog(qtbot):
    widget = OdiDialog()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def section(qtbot):
    widget = OutcomesSection()
    qtbot.addWidget(widget)
    return widget


def answer(qtbot, dialog: OdiDialog, answers) -> None:
    for number, value in enumerate(answers, start=1):
        choose(qtbot, dialog, f"odi.{number}", "" if value is None else str(value))


def test_live_score_is_the_domains(dialog, qtbot):
    answers = (3, 1, 4, 2, 3, 3, 2, None, 2, 3)
    answer(qtbot, dialog, answers)
    expected = odi_score(Odi(answers=answers))
    assert expected.percent == 51.1  # 23 of 45
    assert dialog.score_label.text() == f"Score: {expected.text}"
    assert dialog.odi == Odi(answers=answers)


def test_one_section_skipped_scores_out_of_45(dialog, qtbot):
    answer(qtbot, dialog, (5, 5, 5, 5, 5, 5, 5, 5, 5, None))
    assert "100.0%" in dialog.score_label.text()
    choose(qtbot, dialog, "odi.1", "0")  # 40 of 45
    assert "88.9%" in dialog.score_label.text()


def test_three_unanswered_is_too_many(dialog, qtbot):
    answer(qtbot, dialog, (1, 2, 3, 4, 5, 0, 1, None, None, None))
    assert ODI_TOO_MANY_MISSING in dialog.score_label.text()
    choose(qtbot, dialog, "odi.10", "2")
    assert ODI_TOO_MANY_MISSING not in dialog.score_label.text()


def test_the_score_updates_on_every_answer(dialog, qtbot):
    with qtbot.waitSignal(dialog.odi_changed):
        choose(qtbot, dialog, "odi.3", "4")
    assert dialog.odi.answers[2] == 4


def test_version_and_answers_are_kept(dialog):
    odi = Odi(version="modified", answers=(0,) * ODI_SECTIONS)
    dialog.set_odi(odi)
    assert dialog.odi == odi
    assert find(dialog, "odi.version").currentData() == "modified"


def test_clear_marks_every_section_unanswered_once_confirmed(dialog, qtbot):
    dialog.set_odi(Odi(version="2.0", answers=(1,) * ODI_SECTIONS))
    dialog.confirm_clear = lambda parent: True
    click(qtbot, find(dialog, "odi.clear"))
    assert dialog.odi == Odi(version="2.0")


def test_the_section_shows_the_score_and_takes_the_dialogs_answers(
    section, file_visit, qtbot, monkeypatch
):
    section.load(file_visit)
    label = find(section, "odi.summary")
    assert odi_score(file_visit.odi).text in label.text()
    new = Odi(answers=(0, 0, 0, 0, 0, 0, 0, 0, 0, 1))
    asked = []

    def fake_ask(cls, odi, parent=None):
        asked.append(odi)
        return new

    monkeypatch.setattr(OdiDialog, "ask", classmethod(fake_ask))
    emitted = Emissions(section.changed)
    click(qtbot, find(section, "odi.open"))
    assert asked == [file_visit.odi]
    assert emitted.count == 1
    assert section.apply(file_visit).odi == new
    assert odi_score(new).text in label.text()


def test_cancelling_the_dialog_changes_nothing(section, file_visit, qtbot, monkeypatch):
    section.load(file_visit)
    monkeypatch.setattr(
        OdiDialog, "ask", classmethod(lambda cls, odi, parent=None: None)
    )
    emitted = Emissions(section.changed)
    click(qtbot, find(section, "odi.open"))
    assert emitted.count == 0
    assert section.apply(file_visit) == file_visit


def test_an_empty_odi_reads_not_recorded(section, file_visit):
    section.load(replace(file_visit, odi=Odi()))
    assert find(section, "odi.summary").text() == "not recorded"


def test_aslr_per_leg_and_total(section, file_visit, qtbot):
    section.load(file_visit)
    total = find(section, "aslr.total")
    assert total.text().startswith("2 of 10")
    with qtbot.waitSignal(section.changed):
        choose(qtbot, section, "aslr.right", "3")
    assert section.apply(file_visit).aslr == Aslr(left=2, right=3)
    assert total.text().startswith("5 of 10")
    choose(qtbot, section, "aslr.left", "")
    assert section.apply(file_visit).aslr == Aslr(left=None, right=3)
    assert "both legs" in total.text()
