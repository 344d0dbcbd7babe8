"""Positional findings: round trip, the domain's suggestion (never applied unasked)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sijoint_exam.domain.alignment import (
    Alignment,
    Landmark,
    Pattern,
    PatternFinding,
    Position,
    Sided,
    suggest_patterns,
)
from sijoint_exam.domain.catalogue import Side
from sijoint_exam.domain.catalogue_measures import POSITIONAL_RELIABILITY_CAUTION
from sijoint_exam.ui.sections import AlignmentSection
from tests.ui.sections.conftest import Emissions, click, find

UPSLIP_FINDINGS = Alignment(
    landmarks={
        Landmark.ASIS: Sided(left=Position.HIGHER),
        Landmark.PSIS: Sided(left=Position.HIGHER),
        Landmark.ILIAC_CREST: Sided(left=Position.HIGHER),
    },
)


@pytest.fixture
def section(qtbot):
    widget = AlignmentSection()
    qtbot.addWidget(widget)
    return widget


def test_the_caution_is_always_shown(section, file_visit):
    caution = find(section, "alignment.caution")
    assert POSITIONAL_RELIABILITY_CAUTION in caution.text()
    section.load(replace(file_visit, alignment=Alignment()))
    assert not caution.isHidden()
    section.load(file_visit)
    assert not caution.isHidden()


def test_the_suggestion_is_the_domains_and_is_not_applied(section, file_visit, qtbot):
    visit = replace(file_visit, alignment=UPSLIP_FINDINGS)
    section.load(visit)
    best = suggest_patterns(UPSLIP_FINDINGS)[0]
    assert find(section, "alignment.suggestion.1").text() == best.text
    assert section.apply(visit).alignment.patterns == ()  # never chosen for them
    emitted = Emissions(section.changed)
    click(qtbot, find(section, "alignment.use_suggestion.1"))
    assert emitted.count == 1
    chosen = section.apply(visit).alignment.patterns
    assert chosen == (PatternFinding(best.pattern, best.side),)


def test_a_chosen_suggestion_cannot_be_added_twice(section, file_visit):
    section.load(file_visit)  # upslip (left) suggested and already chosen
    button = find(section, "alignment.use_suggestion.1")
    assert not button.isEnabled()


def test_no_suggestion_without_findings(section, file_visit):
    section.load(replace(file_visit, alignment=Alignment()))
    assert not find(section, "alignment.suggestions").isHidden()
    assert section.findChild(object, "alignment.use_suggestion.1") is None


def test_editing_a_landmark_updates_the_suggestion(section, file_visit, qtbot):
    visit = replace(file_visit, alignment=Alignment())
    section.load(visit)
    for landmark in ("asis", "psis"):
        box = find(section, f"alignment.{landmark}.right")
        with qtbot.waitSignal(section.changed):
            box.setCurrentIndex(box.findData("lower"))
    landmarks = section.apply(visit).alignment.landmarks
    assert landmarks[Landmark.ASIS] == Sided(right=Position.LOWER)
    found = suggest_patterns(section.apply(visit).alignment)
    assert found and find(section, "alignment.suggestion.1").text() == found[0].text


def test_patterns_are_added_edited_and_removed(section, file_visit, qtbot):
    section.load(file_visit)
    click(qtbot, find(section, "alignment.add_pattern"))
    pattern = find(section, "alignment.pattern.2")
    pattern.setCurrentIndex(pattern.findData(Pattern.BILATERAL_FLEXION.value))
    assert not find(section, "alignment.pattern.2.side").isEnabled()
    assert section.apply(file_visit).alignment.patterns == (
        PatternFinding(Pattern.UPSLIP, Side.LEFT),
        PatternFinding(Pattern.BILATERAL_FLEXION),
    )
    click(qtbot, find(section, "alignment.pattern.1.remove"))
    assert section.apply(file_visit).alignment.patterns == (
        PatternFinding(Pattern.BILATERAL_FLEXION),
    )


def test_screening_tests_reach_the_visit(section, file_visit, qtbot):
    section.load(file_visit)
    spring = find(section, "alignment.sacral_spring")
    spring.setCurrentIndex(spring.findData("positive"))
    long_sit = find(section, "alignment.supine_to_long_sit.right")
    long_sit.setCurrentIndex(long_sit.findData("short_to_long"))
    screening = section.apply(file_visit).alignment.screening
    assert screening.sacral_spring.value == "positive"
    assert screening.supine_to_long_sit.right.value == "short_to_long"
    assert screening.gillet == file_visit.alignment.screening.gillet
