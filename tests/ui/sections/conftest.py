"""Section fixtures: a rich visit read from the sample visit file, and helpers."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from sijoint_exam.domain.alignment import Pattern, PatternFinding
from sijoint_exam.domain.block import Block, BlockSide, Guidance, Reading
from sijoint_exam.domain.catalogue import Agent
from sijoint_exam.domain.screens import (
    GradedFinding,
    HipScreen,
    NeuroScreen,
    PerSide,
    SidedFinding,
)
from sijoint_exam.domain.visit import Visit
from sijoint_exam.domain.visit_file import parse_document

SAMPLE = Path(__file__).resolve().parents[3] / "resources" / "sample-visit.json"


@pytest.fixture
def file_visit(today) -> Visit:
    """The visit of resources/sample-visit.json, through the domain's parser."""
    parsed = parse_document(json.loads(SAMPLE.read_text(encoding="utf-8")), today)
    assert not isinstance(parsed, list), parsed
    return parsed[1]


@pytest.fixture
def rich_visit(file_visit) -> Visit:
    """The sample visit plus a confirmatory bupivacaine block, a torsion, the weeks
    of conservative care, and neuro and hip screens with every kind of answer."""
    confirmatory = Block(
        date=dt.date(2026, 10, 16),
        number=2,
        side=BlockSide.LEFT,
        agent=Agent.BUPIVACAINE,
        pre=6,
        concentration="0.5%",
        volume="2 mL",
        steroid=True,
        guidance=Guidance.CT,
        readings=(Reading(30, 1), Reading(240, 2, 70), Reading(600, 5)),
        relief_hours=6.25,
    )
    alignment = replace(
        file_visit.alignment,
        patterns=(*file_visit.alignment.patterns, PatternFinding(Pattern.LEFT_ON_LEFT)),
    )
    neuro = NeuroScreen(
        slr=PerSide(SidedFinding.POSITIVE, SidedFinding.NEGATIVE),
        slump=PerSide(right=SidedFinding.NEGATIVE),
        myotomes=GradedFinding.NORMAL,
        reflexes=GradedFinding.ABNORMAL,
    )
    hip = HipScreen(fadir=PerSide(left=SidedFinding.POSITIVE))
    return replace(
        file_visit,
        blocks=(*file_visit.blocks, confirmatory),
        alignment=alignment,
        history=replace(file_visit.history, conservative_care_weeks=6),
        neuro_screen=neuro,
        hip_screen=hip,
    )


def find(parent: QWidget, name: str) -> QWidget:
    """The child called `name` (fails the test when there is none)."""
    found = parent.findChild(QWidget, name)
    assert found is not None, f"no widget named {name!r}"
    return found


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(qtbot, parent: QWidget, name: str, value: str) -> None:
    """Click the `value` button of the ChoiceButtons called `name`."""
    click(qtbot, find(parent, name).button(value))


class Emissions:
    """Counts a signal's emissions."""

    def __init__(self, signal) -> None:
        self.count = 0
        signal.connect(self._hit)

    def _hit(self, *_args) -> None:
        self.count += 1
