"""Every section keeps the protocol: round trip, quiet load, named touch inputs."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections import SECTION_TYPES, ExamSection
from sijoint_exam.ui.widgets.body_chart import BodyChart
from sijoint_exam.ui.widgets.choice_buttons import ChoiceButtons
from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX
from tests.ui.sections.conftest import Emissions

INPUTS = (
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QAbstractSpinBox,
    ChoiceButtons,
    BodyChart,
)


def _inputs(section: QWidget) -> list[QWidget]:
    """The section's own inputs (not the parts Qt builds inside a spin box)."""
    found = [
        w
        for w in section.findChildren(QWidget)
        if isinstance(w, INPUTS) and not isinstance(w.parent(), QAbstractSpinBox)
    ]
    found += [
        b
        for b in section.findChildren(QAbstractButton)
        # a date field's calendar button is Qt's part of the line edit
        if not isinstance(b.parent(), ChoiceButtons | QLineEdit)
    ]
    return found


NAME = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")


@pytest.fixture(params=SECTION_TYPES, ids=lambda t: t.__name__)
def section(request, qtbot):
    widget = request.param()
    qtbot.addWidget(widget)
    return widget


def test_each_section_follows_the_protocol(section):
    assert isinstance(section, ExamSection)
    assert isinstance(section, QWidget)
    assert section.title


def test_load_then_apply_gives_the_same_visit(section, rich_visit):
    section.load(rich_visit)
    assert section.apply(rich_visit) == rich_visit


def test_an_empty_visit_round_trips(section):
    empty = Visit(date=dt.date(2026, 11, 20))
    section.load(empty)
    assert section.apply(empty) == empty


def test_load_emits_nothing(section, rich_visit):
    emitted = Emissions(section.changed)
    section.load(rich_visit)
    section.load(Visit(date=dt.date(2026, 11, 20)))
    section.load(rich_visit)
    assert emitted.count == 0


def test_apply_keeps_the_fields_of_other_sections(section, rich_visit):
    section.load(rich_visit)
    other = replace(
        rich_visit, clinician="Someone else", plan="Review", chief_complaint="x"
    )
    applied = section.apply(other)
    assert (applied.clinician, applied.plan, applied.chief_complaint) == (
        "Someone else",
        "Review",
        "x",
    )


def test_every_input_is_named_described_and_touch_sized(section, rich_visit):
    section.load(rich_visit)
    inputs = _inputs(section)
    assert inputs
    for widget in inputs:
        name = widget.objectName()
        assert NAME.match(name), f"{type(widget).__name__} named {name!r}"
        assert widget.accessibleName(), name
        assert widget.toolTip(), name
        assert widget.minimumSizeHint().height() >= MIN_TOUCH_PX or (
            widget.minimumHeight() >= MIN_TOUCH_PX
        ), name
    for choice in section.findChildren(ChoiceButtons):
        for button in choice.findChildren(QAbstractButton):
            assert button.minimumHeight() >= MIN_TOUCH_PX
            assert button.accessibleName()


def test_object_names_are_unique(section, rich_visit):
    section.load(rich_visit)
    names = [w.objectName() for w in _inputs(section)]
    assert len(names) == len(set(names))
