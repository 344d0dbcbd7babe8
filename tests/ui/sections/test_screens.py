"""Neuro and hip screens: every item by click and key, read by the domain."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from sijoint_exam.domain.catalogue_together import (
    HIP_ITEMS,
    NEURO_GRADED_ITEMS,
    NEURO_SIDED_ITEMS,
)
from sijoint_exam.domain.screens import (
    GradedFinding,
    HipScreen,
    NeuroScreen,
    PerSide,
    SidedFinding,
)
from sijoint_exam.ui.sections import ScreensSection
from tests.ui.sections.conftest import Emissions, choose, find


@pytest.fixture
def section(qtbot):
    widget = ScreensSection()
    qtbot.addWidget(widget)
    return widget


def test_every_catalogue_item_has_its_controls_named_by_its_label(section):
    for key, label in NEURO_SIDED_ITEMS.items():
        for side in ("left", "right"):
            assert find(section, f"neuro.{key}.{side}").accessibleName() == (
                f"{label} — {side}"
            )
    for key, label in NEURO_GRADED_ITEMS.items():
        assert find(section, f"neuro.{key}").accessibleName() == label
    for key, label in HIP_ITEMS.items():
        assert find(section, f"hip.{key}.right").accessibleName() == f"{label} — right"


def test_clicks_build_the_screens(section, file_visit, qtbot):
    section.load(file_visit)
    emitted = Emissions(section.changed)
    choose(qtbot, section, "neuro.slr.right", "negative")
    choose(qtbot, section, "neuro.slump.left", "positive")
    choose(qtbot, section, "neuro.sensation", "abnormal")
    choose(qtbot, section, "hip.painful_range.left", "positive")
    applied = section.apply(file_visit)
    assert emitted.count == 4
    assert applied.neuro_screen == NeuroScreen(
        slr=PerSide(right=SidedFinding.NEGATIVE),
        slump=PerSide(left=SidedFinding.POSITIVE),
        sensation=GradedFinding.ABNORMAL,
    )
    assert applied.hip_screen == HipScreen(
        painful_range=PerSide(left=SidedFinding.POSITIVE)
    )


def test_keys_record_and_delete_clears_to_not_tested(section, file_visit, qtbot):
    section.load(file_visit)
    slr = find(section, "neuro.slr.left")
    qtbot.keyClick(slr, Qt.Key.Key_P)
    reflexes = find(section, "neuro.reflexes")
    qtbot.keyClick(reflexes, Qt.Key.Key_N)
    screen = section.apply(file_visit).neuro_screen
    assert (screen.slr.left, screen.reflexes) == (
        SidedFinding.POSITIVE,
        GradedFinding.NORMAL,
    )
    qtbot.keyClick(slr, Qt.Key.Key_Delete)
    qtbot.keyClick(reflexes, Qt.Key.Key_T)
    assert section.apply(file_visit).neuro_screen == NeuroScreen()


def test_the_reading_is_the_domains(section, file_visit, qtbot):
    section.load(file_visit)
    reading = find(section, "neuro.reading")
    assert reading.text().startswith("Neuro screen not recorded")
    choose(qtbot, section, "neuro.slr.left", "negative")
    assert reading.text().startswith("Neuro screen not recorded")  # SLR alone
    choose(qtbot, section, "neuro.myotomes", "normal")
    assert reading.text() == "Neuro screen suggests no radiculopathy"
    choose(qtbot, section, "neuro.slump.right", "positive")
    assert reading.text() == "Neuro screen suggests radiculopathy"


def test_a_loaded_screen_shows_on_its_buttons(section, rich_visit):
    section.load(rich_visit)
    assert find(section, "neuro.slr.left").value == "positive"
    assert find(section, "neuro.slump.left").value == ""  # not tested
    assert find(section, "neuro.reflexes").value == "abnormal"
    assert find(section, "hip.fadir.left").value == "positive"
    assert find(section, "neuro.reading").text() == (
        "Neuro screen suggests radiculopathy"
    )
