"""Pain: NRS buttons and the body chart (mouse, keyboard, region buttons)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from sijoint_exam.domain.catalogue_measures import PAIN_REGIONS
from sijoint_exam.domain.outcomes import Pain
from sijoint_exam.ui.sections import PainSection
from sijoint_exam.ui.widgets.body_chart import BodyChart
from tests.ui.sections.conftest import Emissions, choose, click, find


@pytest.fixture
def section(qtbot):
    widget = PainSection()
    qtbot.addWidget(widget)
    widget.resize(900, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def chart(section) -> BodyChart:
    return section.chart


def test_nrs_not_recorded_round_trips(section, file_visit):
    visit = replace(file_visit, pain=Pain(now=0, best_24h=None, worst_24h=10))
    section.load(visit)
    assert section.apply(visit) == visit


def test_clicking_an_nrs_records_it(section, file_visit, qtbot):
    section.load(file_visit)
    emitted = Emissions(section.changed)
    choose(qtbot, section, "pain.now", "9")
    assert section.apply(file_visit).pain.now == 9
    choose(qtbot, section, "pain.worst_24h", "")
    assert section.apply(file_visit).pain.worst_24h is None
    assert emitted.count == 2


def test_digit_keys_and_delete_on_a_focused_nrs(section, file_visit, qtbot):
    section.load(file_visit)
    best = find(section, "pain.best_24h")
    qtbot.keyClick(best, Qt.Key.Key_4)
    assert section.apply(file_visit).pain.best_24h == 4
    qtbot.keyClick(best, Qt.Key.Key_Delete)
    assert section.apply(file_visit).pain.best_24h is None


def test_the_chart_has_every_catalogue_region(chart):
    assert "left_foot" in PAIN_REGIONS and "right_foot" in PAIN_REGIONS
    for region in PAIN_REGIONS:
        assert chart.region_at(chart.region_center(region)) == region, region


@pytest.mark.parametrize("region", ["left_foot", "right_foot", "midline_sacrum"])
def test_clicking_a_region_toggles_it(section, chart, file_visit, qtbot, region):
    section.load(file_visit)
    before = region in file_visit.pain.regions
    with qtbot.waitSignal(section.changed):
        qtbot.mouseClick(
            chart, Qt.MouseButton.LeftButton, pos=chart.region_center(region)
        )
    assert (region in section.apply(file_visit).pain.regions) is not before
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.region_center(region))
    assert (region in section.apply(file_visit).pain.regions) is before


def test_the_left_foot_click_records_left_foot(section, chart, qtbot, file_visit):
    empty = replace(file_visit, pain=Pain())
    section.load(empty)
    qtbot.mouseClick(
        chart, Qt.MouseButton.LeftButton, pos=chart.region_center("left_foot")
    )
    assert section.apply(empty).pain.regions == ("left_foot",)
    assert find(section, "pain.region.left_foot").isChecked()


def test_a_click_outside_the_figure_changes_nothing(section, chart, file_visit, qtbot):
    section.load(file_visit)
    emitted = Emissions(section.changed)
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.rect().topLeft())
    assert emitted.count == 0


def test_arrows_and_space_toggle_regions(section, chart, qtbot, file_visit):
    empty = replace(file_visit, pain=Pain())
    section.load(empty)
    chart.setFocus()
    # From the left low back: Down to the sacrum, Space.
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert section.apply(empty).pain.regions == ("midline_sacrum",)
    # Down to the buttock, Right to the other side, Enter.
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert section.apply(empty).pain.regions == ("right_buttock", "midline_sacrum")
    assert "right buttock, selected" in chart.accessibleDescription()


def test_region_buttons_and_chart_agree(section, chart, qtbot, file_visit):
    section.load(file_visit)
    for region in PAIN_REGIONS:
        button = find(section, f"pain.region.{region}")
        assert button.isChecked() is (region in file_visit.pain.regions)
        assert region.replace("_", " ") in button.accessibleName()
    click(qtbot, find(section, "pain.region.right_knee"))
    assert "right_knee" in chart.regions()
    assert "right_knee" in section.apply(file_visit).pain.regions
    assert "right knee" in find(section, "pain.regions").text()


def test_arrows_step_a_focused_nrs(section, file_visit, qtbot):
    section.load(file_visit)  # now 6
    now = find(section, "pain.now")
    qtbot.keyClick(now, Qt.Key.Key_Right)
    assert section.apply(file_visit).pain.now == 7
    qtbot.keyClick(now, Qt.Key.Key_Left)
    qtbot.keyClick(now, Qt.Key.Key_Left)
    assert section.apply(file_visit).pain.now == 5
