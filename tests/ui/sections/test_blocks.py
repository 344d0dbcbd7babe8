"""Diagnostic blocks: relief, peak, result and comparison as the domain reads them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sijoint_exam.domain.block import (
    Block,
    BlockSide,
    Comparative,
    Guidance,
    Reading,
    read_blocks,
    relief_percent,
    relief_text,
)
from sijoint_exam.domain.catalogue import SINGLE_BLOCK_CAUTION, Agent
from sijoint_exam.domain.catalogue_together import (
    GUIDANCE_NOT_RECORDED_CAUTION,
    STEROID_CONFOUNDED_CAUTION,
    UNGUIDED_BLOCK_CAUTION,
)
from sijoint_exam.ui.sections import BlocksSection
from tests.ui.sections.conftest import Emissions, choose, click, find

LIDOCAINE_7_TO_1 = Block(
    date=dt.date(2026, 10, 2),
    number=1,
    side=BlockSide.LEFT,
    agent=Agent.LIDOCAINE,
    pre=7,
    readings=(Reading(30, 1),),
)


@pytest.fixture
def section(qtbot):
    widget = BlocksSection()
    qtbot.addWidget(widget)
    return widget


def test_pre_7_post_1_at_30_minutes_reads_86_percent_positive(section, file_visit):
    visit = replace(file_visit, blocks=(LIDOCAINE_7_TO_1,))
    section.load(visit)
    assert find(section, "block.1.reading.1.relief").text() == "86% relief"
    assert find(section, "block.1.peak").text() == "Peak: 86% relief"
    assert find(section, "block.1.result").text().startswith("Result: positive")
    assert SINGLE_BLOCK_CAUTION in find(section, "block.1.cautions").text()


def test_shown_figures_are_the_domains(section, rich_visit):
    section.load(rich_visit)
    threshold = rich_visit.scoring.block_threshold_percent
    windows = rich_visit.scoring.agent_window_hours
    read = read_blocks(rich_visit.blocks, threshold, windows)
    for number, (block, block_read) in enumerate(
        zip(rich_visit.blocks, read.blocks, strict=True), start=1
    ):
        for index, reading in enumerate(block.readings, start=1):
            relief = find(section, f"block.{number}.reading.{index}.relief").text()
            assert relief.startswith(
                relief_text(relief_percent(block.pre, reading.nrs))
            )
        assert (
            f"Result: {block_read.result.value}"
            in find(section, f"block.{number}.result").text()
        )
    # The rich visit's pair has a steroid added: read as a single positive block.
    assert read.comparative is Comparative.STEROID_CONFOUNDED
    comparative = find(section, "blocks.comparative").text()
    assert comparative == "Comparative blocks: steroid confounded"
    assert (
        STEROID_CONFOUNDED_CAUTION
        in find(section, "blocks.comparative_cautions").text()
    )
    assert f"threshold {threshold}%" in find(section, "block.1.result").text()


def test_a_reading_outside_the_window_is_marked(section, rich_visit):
    section.load(rich_visit)  # bupivacaine: 600 min is outside 8 h
    assert "outside the window" in find(section, "block.2.reading.3.relief").text()
    assert "outside" not in find(section, "block.2.reading.2.relief").text()


def test_editing_a_reading_updates_relief_live(section, file_visit, qtbot):
    visit = replace(file_visit, blocks=(LIDOCAINE_7_TO_1,))
    section.load(visit)
    emitted = Emissions(section.changed)
    find(section, "block.1.reading.1.nrs").setValue(4)
    assert emitted.count == 1
    assert find(section, "block.1.reading.1.relief").text() == "43% relief"
    assert find(section, "block.1.result").text().startswith("Result: negative")
    assert section.apply(visit).blocks[0].readings == (Reading(30, 4),)


def test_changing_pre_updates_the_result(section, file_visit, qtbot):
    visit = replace(file_visit, blocks=(LIDOCAINE_7_TO_1,))
    section.load(visit)
    with qtbot.waitSignal(section.changed):
        choose(qtbot, section, "block.1.pre", "2")
    assert find(section, "block.1.reading.1.relief").text() == "50% relief"
    assert section.apply(visit).blocks[0].pre == 2


def test_a_new_reading_counts_once_minutes_and_nrs_are_entered(
    section, file_visit, qtbot
):
    visit = replace(file_visit, blocks=(LIDOCAINE_7_TO_1,))
    section.load(visit)
    click(qtbot, find(section, "block.1.add_reading"))
    assert section.apply(visit).blocks[0].readings == (Reading(30, 1),)
    assert "enter minutes and NRS" in find(section, "block.1.reading.2.relief").text()
    find(section, "block.1.reading.2.minutes").setValue(90)
    find(section, "block.1.reading.2.nrs").setValue(0)
    find(section, "block.1.reading.2.patient_percent").setValue(100)
    assert section.apply(visit).blocks[0].readings == (
        Reading(30, 1),
        Reading(90, 0, 100),
    )
    assert find(section, "block.1.peak").text() == "Peak: 100% relief"
    click(qtbot, find(section, "block.1.reading.1.remove"))
    assert section.apply(visit).blocks[0].readings == (Reading(90, 0, 100),)


def test_added_blocks_wait_for_their_pre_block_nrs(section, file_visit, qtbot):
    visit = replace(file_visit, blocks=())
    section.load(visit)
    assert not find(section, "blocks.add").isHidden()
    emitted = Emissions(section.changed)
    click(qtbot, find(section, "blocks.add"))
    assert emitted.count == 1
    (block,) = section.apply(visit).blocks
    assert (block.number, block.side, block.date, block.pre) == (
        1,
        BlockSide.LEFT,  # the visit's symptomatic side
        visit.date,
        0,  # not entered: validation names it
    )
    click(qtbot, find(section, "block.1.add_reading"))
    find(section, "block.1.reading.1.minutes").setValue(30)
    find(section, "block.1.reading.1.nrs").setValue(2)  # no crash without pre
    assert "pre-block NRS" in find(section, "block.1.reading.1.relief").text()
    assert "incomplete" in find(section, "block.1.result").text()
    click(qtbot, find(section, "blocks.add"))
    assert section.apply(visit).blocks[1].number == 2


def test_blocks_are_removed_and_renumbered(section, rich_visit, qtbot):
    section.load(rich_visit)
    asked = []
    section.confirm_remove = lambda parent, number: asked.append(number) or False
    click(qtbot, find(section, "block.1.remove"))
    assert asked == [1]  # removing asks first; "No" keeps the block
    assert section.apply(rich_visit).blocks == rich_visit.blocks
    section.confirm_remove = lambda parent, number: True
    click(qtbot, find(section, "block.1.remove"))
    assert section.apply(rich_visit).blocks == rich_visit.blocks[1:]
    assert find(section, "block.1.agent").currentData() == "bupivacaine"
    assert section.findChild(object, "block.2.agent") is None


def test_the_fields_of_a_block_reach_the_visit(section, rich_visit, qtbot):
    section.load(rich_visit)
    agent = find(section, "block.1.agent")
    agent.setCurrentIndex(agent.findData("ropivacaine"))
    find(section, "block.1.relief_hours").setText("3.5")
    find(section, "block.1.concentration").setText("2%")
    choose(qtbot, section, "block.1.steroid", "yes")
    guidance = find(section, "block.1.guidance")
    guidance.setCurrentIndex(guidance.findData("ultrasound"))
    block = section.apply(rich_visit).blocks[0]
    assert (block.agent, block.relief_hours, block.concentration, block.steroid) == (
        Agent.ROPIVACAINE,
        3.5,
        "2%",
        True,
    )
    assert block.guidance.value == "ultrasound"


def test_the_threshold_is_the_visits(section, file_visit):
    visit = replace(
        file_visit,
        blocks=(LIDOCAINE_7_TO_1,),
        scoring=replace(file_visit.scoring, block_threshold_percent=90),
    )
    section.load(visit)
    assert "90%" in find(section, "blocks.threshold").text()
    assert find(section, "block.1.result").text().startswith("Result: negative")


def test_guidance_not_recorded_is_apart_from_unguided(section, file_visit):
    visit = replace(
        file_visit, blocks=(replace(LIDOCAINE_7_TO_1, guidance=Guidance.FLUOROSCOPY),)
    )
    section.load(visit)
    guidance = find(section, "block.1.guidance")
    texts = [guidance.itemText(i) for i in range(guidance.count())]
    assert texts == [
        "Not recorded",
        "Fluoroscopy",
        "CT",
        "Ultrasound",
        "None — unguided (blind)",
    ]
    guidance.setCurrentIndex(guidance.findText("Not recorded"))
    assert section.apply(visit).blocks[0].guidance is None
    assert GUIDANCE_NOT_RECORDED_CAUTION in find(section, "block.1.cautions").text()
    guidance.setCurrentIndex(guidance.findData(Guidance.NONE.value))
    assert section.apply(visit).blocks[0].guidance is Guidance.NONE
    assert find(section, "block.1.result").text().startswith("Result: unguided")
    assert UNGUIDED_BLOCK_CAUTION in find(section, "block.1.cautions").text()
