"""History and referral: every field round-trips and each edit reaches the visit."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from sijoint_exam.domain.visit import History, Referral, Urgency
from sijoint_exam.ui.sections import HistorySection
from tests.ui.sections.conftest import Emissions, choose, find


@pytest.fixture
def section(qtbot):
    widget = HistorySection()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize(
    ("history", "referral"),
    [
        (History(), Referral()),
        (
            History(onset=dt.date(2025, 1, 31), anticoagulation=True, pregnant=None),
            Referral(urgency=Urgency.EMERGENCY, copies=("Dr B, Practice, Town",)),
        ),
    ],
)
def test_other_values_round_trip(section, file_visit, history, referral):
    visit = replace(file_visit, history=history, referral=referral)
    section.load(visit)
    assert section.apply(visit) == visit


def test_typing_the_mechanism_emits_changed(section, file_visit, qtbot):
    section.load(file_visit)
    emitted = Emissions(section.changed)
    mechanism = find(section, "history.mechanism")
    mechanism.clear()
    qtbot.keyClicks(mechanism, "lifting")
    assert emitted.count > 0
    assert section.apply(file_visit).history.mechanism == "lifting"


def test_onset_blank_is_not_recorded_and_typed_is_stored(section, file_visit, qtbot):
    section.load(file_visit)
    onset = find(section, "history.onset")
    onset.selectAll()
    qtbot.keyClick(onset, Qt.Key.Key_Delete)
    assert section.apply(file_visit).history.onset is None
    qtbot.keyClicks(onset, "2026-08-01")
    assert section.apply(file_visit).history.onset == dt.date(2026, 8, 1)


def test_yes_no_answers_by_click_and_key(section, file_visit, qtbot):
    section.load(file_visit)
    with qtbot.waitSignal(section.changed):
        choose(qtbot, section, "history.anticoagulation", "yes")
    assert section.apply(file_visit).history.anticoagulation is True
    with qtbot.waitSignal(section.changed):
        qtbot.keyClick(find(section, "history.pregnant"), Qt.Key.Key_R)
    assert section.apply(file_visit).history.pregnant is None


def test_referral_fields_reach_the_visit(section, file_visit, qtbot):
    section.load(file_visit)
    urgency = find(section, "referral.urgency")
    with qtbot.waitSignal(section.changed):
        urgency.setCurrentIndex(urgency.findData("urgent"))
    copies = find(section, "referral.copies")
    copies.setPlainText("GP\n\npatient\nDr C, Clinic")
    referral = section.apply(file_visit).referral
    assert referral.urgency is Urgency.URGENT
    assert referral.copies == ("GP", "patient", "Dr C, Clinic")


def test_conservative_care_weeks_typed_blank_and_out_of_range(
    section, file_visit, qtbot
):
    visit = replace(
        file_visit, history=replace(file_visit.history, conservative_care_weeks=6)
    )
    section.load(visit)
    weeks = find(section, "history.conservative_care_weeks")
    assert weeks.text() == "6"
    weeks.clear()
    assert section.apply(visit).history.conservative_care_weeks is None  # blank
    with qtbot.waitSignal(section.changed):
        qtbot.keyClicks(weeks, "12")
    assert section.apply(visit).history.conservative_care_weeks == 12
    weeks.clear()
    qtbot.keyClicks(weeks, "600")  # above 520: the last key is refused
    assert weeks.text() == "60"
    qtbot.keyClicks(weeks, "x")
    assert section.apply(visit).history.conservative_care_weeks == 60
    weeks.clear()
    qtbot.keyClicks(weeks, "0")  # none tried: recorded, not blank
    assert section.apply(visit).history.conservative_care_weeks == 0
