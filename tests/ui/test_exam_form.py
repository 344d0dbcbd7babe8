"""The exam form: load/visit round trip, keyboard entry, rule membership."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from sijoint_exam.domain.catalogue import (
    PROVOCATION_TESTS,
    Result,
    SymptomaticSide,
)
from sijoint_exam.domain.visit import ProvocationFinding
from sijoint_exam.ui.exam_form import ExamForm
from sijoint_exam.ui.sections.provocation import ProvocationSection
from sijoint_exam.ui.widgets.finding_selector import FindingSelector


@pytest.fixture
def form(qtbot):
    widget = ExamForm()
    qtbot.addWidget(widget)
    return widget


def selector(form: ExamForm, name: str) -> FindingSelector:
    found = form.findChild(FindingSelector, name)
    assert found is not None, name
    return found


def test_load_then_visit_gives_the_same_visit(form, sample_visit):
    visit = sample_visit(plan="Review in 2 weeks", centralised=True)
    form.load(visit)
    assert form.visit() == visit


def test_every_catalogue_test_has_its_selectors(form):
    for test in PROVOCATION_TESTS:
        sides = ("left", "right") if test.lateral else ("result",)
        for side in sides:
            assert selector(form, f"provocation.{test.id}.{side}").accessibleName()


def test_single_key_entry_records_each_result(form, qtbot):
    thrust = selector(form, "provocation.thigh_thrust.left")
    expected = {
        Qt.Key.Key_P: Result.POSITIVE,
        Qt.Key.Key_O: Result.POSITIVE_OTHER,
        Qt.Key.Key_N: Result.NEGATIVE,
        Qt.Key.Key_U: Result.UNABLE,
        Qt.Key.Key_T: Result.NOT_TESTED,
    }
    for key, result in expected.items():
        with qtbot.waitSignal(form.changed):
            qtbot.keyClick(thrust, key)
        assert form.visit().finding("thigh_thrust").left is result


def test_arrow_keys_step_through_results(form, qtbot):
    distraction = selector(form, "provocation.distraction.result")
    qtbot.keyClick(distraction, Qt.Key.Key_Right)  # not tested -> unable
    assert distraction.result is Result.UNABLE
    qtbot.keyClick(distraction, Qt.Key.Key_Right)  # wraps to positive
    assert distraction.result is Result.POSITIVE


def test_clicking_a_button_records_the_result(form, qtbot):
    gaenslen = selector(form, "provocation.gaenslen.right")
    qtbot.mouseClick(gaenslen.findChild(object, "negative"), Qt.MouseButton.LeftButton)
    assert form.visit().finding("gaenslen").right is Result.NEGATIVE


def test_load_emits_changed_once(form, sample_visit, qtbot):
    emitted = []
    form.changed.connect(lambda: emitted.append(True))
    form.load(sample_visit())
    assert emitted == [True]


def test_fields_not_shown_are_kept(form, sample_visit):
    visit = sample_visit(
        provocation={"faber": ProvocationFinding(left=Result.POSITIVE, note="groin")}
    )
    form.load(visit)
    assert form.visit().finding("faber").note == "groin"


def test_rule_membership_is_shown(form, sample_visit):
    from dataclasses import replace

    visit = sample_visit()
    form.load(visit)
    assert form.test_rows["sacral_thrust"].counts_label.text() == "not in this rule"
    assert form.test_rows["faber"].counts_label.text() == "counts"
    form.load(replace(visit, scoring=replace(visit.scoring, rule="laslett_2005_four")))
    assert form.test_rows["sacral_thrust"].counts_label.text() == "counts"
    assert form.test_rows["faber"].counts_label.text() == "not in this rule"


def test_symptomatic_side_round_trips_as_enum(form, sample_visit):
    form.load(sample_visit(symptomatic_side=SymptomaticSide.BILATERAL))
    assert form.visit().symptomatic_side is SymptomaticSide.BILATERAL


def test_the_whole_sample_visit_round_trips_through_every_section(form):
    import json
    from importlib.resources import files

    from sijoint_exam.domain.visit_file import parse_document

    document = json.loads(
        (files("sijoint_exam.resources") / "sample-visit.json").read_text("utf-8")
    )
    parsed = parse_document(document, dt.date(2026, 11, 22))
    assert not isinstance(parsed, list), parsed
    _, visit = parsed
    assert visit.blocks and visit.alignment.patterns and visit.pain.regions
    form.load(visit)
    assert form.visit() == visit


def test_alt_number_jumps_to_a_section(form, qtbot):
    form.resize(900, 600)
    form.show()
    qtbot.waitExposed(form)
    form.findChild(QToolButton, "form.jump.6").click()  # the provocation tests
    bar = form.scroll_area.verticalScrollBar()
    tests_box = form.section(ProvocationSection).parentWidget()
    assert bar.value() == min(tests_box.y(), bar.maximum()) > 0
    assert tests_box.isAncestorOf(form.focusWidget())
