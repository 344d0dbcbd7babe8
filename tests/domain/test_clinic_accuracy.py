"""The clinic's own accuracy: which visits count, the 2×2, and the figures.

A clinic whose patients reproduce van der Wurff's table (TP 23, FN 4, FP 7, TN 26)
must see his figures: Sn 23/27 = 0.85 (0.68–0.94 Wilson), Sp 26/33 = 0.79
(0.62–0.89), LR+ 4.02 (2.04–7.90), LR− 0.19 (0.07–0.47) (Wilson intervals; the
LRs' by the log method, Simel 1991).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sijoint_exam.domain.accuracy import (
    Reference,
    accuracy_lines,
    accuracy_to_json,
    clinic_accuracy,
    verify,
)
from sijoint_exam.domain.block import Block, BlockSide, Guidance, Reading
from sijoint_exam.domain.catalogue import Agent, Result, SymptomaticSide
from sijoint_exam.domain.catalogue_accuracy import (
    PARTIAL_VERIFICATION_CAUTION,
    SINGLE_BLOCK_REFERENCE_CAUTION,
)
from sijoint_exam.domain.visit import ProvocationFinding, Visit

VDW = "vanderwurff_2006"
DAY = dt.date(2026, 10, 1)
FIVE = ("distraction", "thigh_thrust", "compression", "faber", "gaenslen")


def _visit(cluster_positive: bool, *blocks: Block, **changes) -> Visit:
    """A left-sided visit: all five of van der Wurff's tests positive, or all
    negative, on the left."""
    result = Result.POSITIVE if cluster_positive else Result.NEGATIVE
    findings = {}
    for test in FIVE:
        if test in ("distraction", "compression"):
            findings[test] = ProvocationFinding(result=result)
        else:
            findings[test] = ProvocationFinding(left=result, right=Result.NEGATIVE)
    visit = Visit(
        date=DAY,
        symptomatic_side=SymptomaticSide.LEFT,
        centralised=False,
        provocation=findings,
        blocks=blocks,
    )
    return replace(visit, **changes)


def _block(
    relief_positive: bool, number: int = 1, agent=Agent.LIDOCAINE, **kw
) -> Block:
    """A fluoroscopy-guided left block: NRS 8 → 1 (88%) or 8 → 6 (25%) at 30 min."""
    values = {
        "date": DAY,
        "number": number,
        "side": BlockSide.LEFT,
        "agent": agent,
        "pre": 8,
        "guidance": Guidance.FLUOROSCOPY,
        "steroid": False,
        "readings": (Reading(30, 1 if relief_positive else 6),),
        **kw,
    }
    return Block(**values)


def _clinic(tp: int, fn: int, fp: int, tn: int) -> list[tuple[int, Visit]]:
    cells = [(True, True)] * tp + [(False, True)] * fn
    cells += [(True, False)] * fp + [(False, False)] * tn
    return [
        (patient, _visit(cluster, _block(block)))
        for patient, (cluster, block) in enumerate(cells)
    ]


def test_van_der_wurff_table_gives_his_figures() -> None:
    result = clinic_accuracy(_clinic(23, 4, 7, 26), VDW)
    table = (
        result.true_positive,
        result.false_negative,
        result.false_positive,
        result.true_negative,
    )
    assert table == (23, 4, 7, 26)

    def shown(interval):
        return tuple(round(x, 2) for x in interval)

    assert shown(result.sensitivity) == (0.85, 0.68, 0.94)
    assert shown(result.specificity) == (0.79, 0.62, 0.89)
    assert shown(result.lr_positive) == (4.02, 2.04, 7.90)
    assert shown(result.lr_negative) == (0.19, 0.07, 0.47)
    assert result.single == 60 and result.comparative == 0
    assert PARTIAL_VERIFICATION_CAUTION in result.cautions
    assert SINGLE_BLOCK_REFERENCE_CAUTION in result.cautions


def test_no_figures_below_ten_verified_patients() -> None:
    nine = clinic_accuracy(_clinic(3, 2, 2, 2), VDW)
    assert nine.verified == 9 and not nine.enough
    assert (nine.sensitivity, nine.specificity) == (None, None)
    assert (nine.lr_positive, nine.lr_negative) == (None, None)
    as_json = accuracy_to_json(nine)
    assert as_json["table"] is None
    assert all(v is None for v in as_json["clinic"].values())
    text = "\n".join(accuracy_lines(nine))
    assert "No figures yet" in text and "Sensitivity" not in text
    ten = clinic_accuracy(_clinic(3, 2, 3, 2), VDW)
    assert ten.enough and ten.sensitivity is not None


def test_published_figures_stand_beside_the_clinic_figures() -> None:
    result = clinic_accuracy(_clinic(10, 0, 2, 8), VDW)
    as_json = accuracy_to_json(result)
    assert as_json["published"]["sensitivity"] == 0.85  # the catalogue's, untouched
    assert as_json["published"]["lr_positive"] == 4.02
    assert as_json["clinic"]["sensitivity"]["value"] == 1.0
    # No false negatives: LR− by Haldane's correction, 0.5/10.5 ÷ 8.5/10.5, finite.
    assert as_json["clinic"]["lr_negative"]["value"] == pytest.approx(
        0.5 / 8.5, abs=1e-3
    )
    lines = accuracy_lines(result)
    (row,) = [line for line in lines if line.startswith("Sensitivity")]
    assert "1.00 (" in row and row.rstrip().endswith("0.85")


def test_one_patient_counts_once_by_the_latest_verified_visit() -> None:
    earlier = _visit(True, _block(False), date=DAY - dt.timedelta(days=30))
    later = _visit(True, _block(True))
    visits = [("A-1", later), ("A-1", earlier), *_clinic(4, 2, 1, 2)]
    result = clinic_accuracy(visits, VDW)
    assert result.verified == 10
    assert result.true_positive == 5  # A-1 by its later visit (TP), not the FP
    assert result.false_positive == 1


@pytest.mark.parametrize(
    "visit",
    [
        _visit(True),  # no block
        _visit(True, _block(True, guidance=Guidance.NONE)),  # blind: not a block
        _visit(True, _block(True), centralised=True),  # cluster not read
        _visit(True, _block(True, side=BlockSide.RIGHT)),  # the other joint
        _visit(True, _block(True, readings=(Reading(600, 1),))),  # past the window
        replace(_visit(True, _block(True)), provocation={}),  # cluster incomplete
    ],
    ids=["no-block", "unguided", "centralised", "other-side", "incomplete", "untested"],
)
def test_visits_without_two_definite_results_are_not_verified(visit: Visit) -> None:
    assert verify(visit, VDW) is None


def test_comparative_pair_is_labelled_and_preferred() -> None:
    pair = (
        _block(True, 1, Agent.LIDOCAINE, relief_hours=1.5),
        _block(False, 2, Agent.BUPIVACAINE),
    )
    found = verify(_visit(True, *pair), VDW)
    assert found is not None
    assert found.reference is Reference.COMPARATIVE
    # The screening block alone was positive; the pair did not confirm it.
    assert found.block_positive is False
    assert verify(_visit(True, _block(True)), VDW).reference is Reference.SINGLE


def test_a_rule_other_than_the_visits_own() -> None:
    visit = _visit(True, _block(True))
    # Laslett's two of four: distraction, thigh thrust, compression, sacral thrust.
    assert verify(visit, "laslett_2005_four").cluster_positive is True
    result = clinic_accuracy(_clinic(6, 1, 2, 3), "cms_lcd_2023")
    assert accuracy_to_json(result)["published"]["sensitivity"] is None
