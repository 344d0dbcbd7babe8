"""The grown Visit: equal exams compare equal, whatever order they were entered in."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sijoint_exam.domain.alignment import (
    Alignment,
    Landmark,
    Pattern,
    PatternFinding,
    Position,
    Sided,
)
from sijoint_exam.domain.block import Block, BlockSide, Reading
from sijoint_exam.domain.catalogue import Agent, Side
from sijoint_exam.domain.outcomes import Answer, Odi, Pain
from sijoint_exam.domain.visit import History, Referral, Urgency, Visit
from sijoint_exam.domain.visit_file import visit_from_dict, visit_to_dict

DAY = dt.date(2026, 11, 20)


def full_visit(**overrides) -> Visit:
    base = Visit(
        date=DAY,
        history=History(onset=dt.date(2026, 6, 1), mechanism="fall", pregnant=False),
        referral=Referral("Dr A", "block?", Urgency.URGENT, ["GP"]),
        pain=Pain(now=6, regions=["left_foot", "left_buttock"]),
        red_flags={"bowel": Answer.NO, "bladder": Answer.YES},
        alignment=Alignment(
            patterns=[PatternFinding(Pattern.UPSLIP, Side.LEFT)],
            landmarks={Landmark.PSIS: Sided(Position.HIGHER)},
        ),
        blocks=[
            Block(
                date=dt.date(2026, 10, 2),
                number=1,
                side=BlockSide.LEFT,
                agent=Agent.LIDOCAINE,
                pre=7,
                readings=[Reading(30, 1)],
            )
        ],
        odi=Odi(answers=[1] * 10),
    )
    return replace(base, **overrides)


def test_lists_become_tuples_so_equal_exams_compare_equal():
    a, b = full_visit(), full_visit()
    assert a == b
    assert isinstance(a.blocks, tuple) and isinstance(a.blocks[0].readings, tuple)
    assert isinstance(a.referral.copies, tuple) and isinstance(a.odi.answers, tuple)


def test_entry_order_and_not_asked_do_not_matter():
    reordered = full_visit(
        red_flags={
            "bladder": Answer.YES,
            "sexual": Answer.NOT_ASKED,
            "bowel": Answer.NO,
        },
        pain=Pain(now=6, regions=["left_buttock", "left_foot"]),
    )
    assert reordered == full_visit()
    assert list(reordered.red_flags) == ["bladder", "bowel"]
    assert reordered.red_flag("sexual") is Answer.NOT_ASKED


def test_every_new_section_makes_a_difference():
    base = full_visit()
    for change in (
        {"history": History()},
        {"referral": Referral()},
        {"pain": Pain(now=5, regions=["left_foot", "left_buttock"])},
        {"red_flags": {}},
        {"alignment": Alignment()},
        {"blocks": ()},
        {"odi": Odi()},
    ):
        assert replace(base, **change) != base, change


def test_replace_carries_the_sections_a_form_does_not_show():
    # ExamForm.visit() builds its Visit with dataclasses.replace on the loaded one.
    edited = replace(full_visit(), clinician="J. Doe", plan="review")
    assert edited.blocks == full_visit().blocks
    assert edited.alignment == full_visit().alignment
    assert visit_from_dict(visit_to_dict(edited)) == edited


def test_a_new_visit_has_empty_sections():
    visit = Visit(date=DAY)
    assert visit.history == History() and visit.referral == Referral()
    assert visit.pain == Pain() and visit.red_flags == {}
    assert visit.alignment.is_empty and visit.blocks == ()
    assert visit.odi.is_empty and visit.aslr.total is None
