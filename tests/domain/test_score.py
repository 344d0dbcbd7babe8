"""The score of a visit: the visit-format.md sample scores exactly as printed there."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sijoint_exam.domain.block import Block, BlockSide, Reading
from sijoint_exam.domain.catalogue import (
    CENTRALISATION_CAUTION,
    SINGLE_BLOCK_CAUTION,
    Agent,
)
from sijoint_exam.domain.catalogue_measures import (
    CAUDA_EQUINA_EMERGENCY,
    POSITIONAL_RELIABILITY_CAUTION,
)
from sijoint_exam.domain.outcomes import Answer, Aslr, Odi
from sijoint_exam.domain.score import score_to_json, score_to_text, score_visit
from sijoint_exam.domain.visit_file import parse_document

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-visit.json"
POOLED = (
    "Pooled evidence is weaker: LR+ 2.13 / LR− 0.33 "
    "(Saueressig 2021, JOSPT 51(9):422–431); at the same pretest 20%: "
    "positive → 35%, negative → 8%"
)


def sample():
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    return parse_document(doc, dt.date(2026, 11, 22))


def test_the_sample_scores_exactly_as_printed_in_visit_format():
    _, visit = sample()
    out = score_to_json(score_visit(visit))
    assert list(out) == [
        "headline",
        "cluster",
        "blocks",
        "comparative",
        "odi",
        "aslr_total",
        "red_flags",
        "block_agreement",
        "checks",
        "cms_criteria",
        "neuro_screen",
    ]
    assert out["headline"] == {"kind": "cluster_positive", "sides": ["left"]}
    assert out["cluster"] == {
        "rule": "vanderwurff_2006",
        "threshold": 3,
        "positive": 3,
        "negative": 2,
        "untested": 0,
        "result": "positive",
        # distraction and thigh thrust (left) positive; compression negative;
        # FABER left is groin pain (positive_other): negative; Gaenslen left positive
        "items": {
            "distraction": "positive",
            "thigh_thrust": "positive",
            "compression": "negative",
            "faber": "negative",
            "gaenslen": "positive",
        },
        # distraction's pain was on the left, so it counts for the left only
        "per_side": {"left": 3, "right": 0},
        "sides": {
            "left": {"positive": 3, "negative": 2, "untested": 0, "result": "positive"},
            # thigh thrust, FABER right negative; distraction's pain was left
            # (tested, not positive here); compression negative; Gaenslen right
            # not tested: 0 positive, 1 untested, so it can no longer reach 3.
            "right": {
                "positive": 0,
                "negative": 4,
                "untested": 1,
                "result": "negative",
            },
        },
        "post_test_probability": 0.501,  # 0.2×4.02 / (0.2×4.02 + 0.8) = 0.50125
        # LR+ 2.04–7.90 from 23/4/7/26 (Simel 1991) → 0.3377–0.6637
        "post_test_interval": [0.338, 0.664],
        "likelihood_ratio": 4.02,
        "cautions": [POOLED],
    }
    assert list(out["cluster"]) == [
        "rule",
        "threshold",
        "positive",
        "negative",
        "untested",
        "result",
        "items",
        "per_side",
        "sides",
        "post_test_probability",
        "post_test_interval",
        "likelihood_ratio",
        "cautions",
    ]
    # pre 7; 30 min NRS 1 → 6/7 = 85.7 → 86; 60 min NRS 2 → 71; both within 2 h
    assert out["blocks"] == [
        {
            "number": 1,
            "peak_relief_percent": 86,
            "threshold_percent": 75,
            "result": "positive",
            "cautions": [SINGLE_BLOCK_CAUTION],
        }
    ]
    assert out["blocks"][0]["cautions"][0].startswith("a single positive block ")
    assert out["block_agreement"] == "agree"
    # The sample marks the left foot and records no neuro screen (§8).
    assert out["checks"] == ["radiculopathy_screen_missing"]
    # onset 2026-06-01 → 172 days; no conservative-care weeks, no neuro screen;
    # CMS provocation: the five of vdW positive 3 (Yeoman not tested) → met;
    # the block by fluoroscopy at 75%, positive.
    assert out["cms_criteria"] == {
        "duration_3_months": True,
        "conservative_care_4_weeks": None,
        "no_radiculopathy": None,
        "provocation_3_of_6": True,
        "image_guided_block": True,
        "block_relief_75": True,
    }
    assert out["neuro_screen"] is None
    assert out["comparative"] is None
    # 23 / (5 × 9) = 51.11% → 51.1, severe (41–60)
    assert out["odi"] == {"percent": 51.1, "band": "severe", "answered": 9}
    assert out["aslr_total"] == 2
    assert out["red_flags"] == {"emergency": False, "undocumented": ["sexual"]}


def test_the_sample_in_words():
    patient, visit = sample()
    text = score_to_text(score_visit(visit), patient)
    assert text.startswith("Visit 2026-11-20 — Kim, Sungae (A-1001)\n")
    for line in [
        "Headline: 3 of 5 positive on the left — cluster positive — consistent "
        "with SIJ pain (van der Wurff 2006)",
        "Per side: left: 3 of 5 positive (Distraction, Thigh thrust (P4), "
        "Gaenslen) — positive; right: 0 of 5 positive — negative",
        "Post-test probability 50% (34–66%) (pretest 20% (assumed; clinic setting); "
        "LR+ 4.02;",
        "CMS 2023 checklist (CMS LCD L39402 et al., 2023):",
        "  Pain for at least 3 months: met",
        "  At least 4 weeks of conservative care: not documented",
        "Block 1, 2026-10-02, left, lidocaine: peak 86% relief (within 2 h) — positive",
        "Comparative blocks: no pair",
        "Block and cluster: agree",
        "Pain NRS: now 6, best 3, worst 8 (last 24 h); regions: left buttock, "
        "left posterior thigh, left foot",
        "ODI 2.1a: 51.1% — severe disability (9 of 10 sections answered)",
        "ASLR: left 2, right 0, total 2",
        "cauda equina screen not documented: new sexual dysfunction",
        "Also answered yes: significant trauma",
        "Positional findings: upslip (left)",
        "upslip (left): fits 5 of 7 defining findings",
        POSITIONAL_RELIABILITY_CAUTION,
        SINGLE_BLOCK_CAUTION,
    ]:
        assert line in text, line
    assert "EMERGENCY" not in text
    assert "diagnos" not in text.replace("diagnostic SIJ block", "").lower()


def test_an_emergency_comes_first():
    _, visit = sample()
    visit = replace(visit, red_flags={**visit.red_flags, "bladder": Answer.YES})
    score = score_visit(visit)
    assert score_to_json(score)["red_flags"]["emergency"] is True
    assert score_to_text(score).startswith(CAUDA_EQUINA_EMERGENCY + "\n")
    assert "Headline: Cauda equina red flag — same-day emergency assessment" in (
        score_to_text(score)
    )
    assert score_to_json(score)["headline"]["kind"] == "cauda_equina"
    assert "Red flags: cauda equina items answered yes: new bladder dysfunction" in (
        score_to_text(score)
    )


def test_incomplete_and_missing_parts():
    _, visit = sample()
    visit = replace(
        visit,
        provocation={},
        blocks=(
            Block(
                date=dt.date(2026, 10, 2),
                number=1,
                side=BlockSide.LEFT,
                agent=Agent.LIDOCAINE,
                pre=7,
                readings=(Reading(180, 0),),  # outside lidocaine's 2 h
            ),
        ),
        odi=Odi(answers=(1, 1, 1, 1, 1, 1, 1, None, None, None)),
        aslr=Aslr(left=2),
        red_flags={},
    )
    score = score_visit(visit)
    out = score_to_json(score)
    assert out["cluster"]["result"] == "incomplete"
    assert out["cluster"]["post_test_probability"] is None
    assert out["cluster"]["likelihood_ratio"] is None
    assert out["blocks"][0]["peak_relief_percent"] is None
    assert out["blocks"][0]["result"] == "incomplete"
    assert out["blocks"][0]["cautions"] == ["image guidance not recorded"]
    assert out["odi"] == {"percent": None, "band": None, "answered": 7}
    assert out["aslr_total"] is None
    assert out["red_flags"]["undocumented"] == [
        "bladder",
        "saddle_anaesthesia",
        "bowel",
        "sexual",
        "progressive_weakness",
    ]
    text = score_to_text(score)
    assert "no reading in the window — incomplete" in text
    assert "Block and cluster: no comparison" in text
    assert "no score — too many sections missing (7 of 10 sections answered)" in text


def test_nothing_recorded_but_the_date():
    visit = replace(sample()[1], blocks=(), odi=Odi())
    out = score_to_json(score_visit(visit))
    assert out["blocks"] == [] and out["odi"] is None


@pytest.mark.parametrize("centralised", [True, False])
def test_centralisation_caution_reaches_the_output(centralised):
    visit = replace(sample()[1], centralised=centralised)
    out = score_to_json(score_visit(visit))
    # Centralised: the Laslett 2003 caution instead of the pooled probabilities.
    assert out["cluster"]["cautions"] == [
        CENTRALISATION_CAUTION if centralised else POOLED
    ]
    assert (out["headline"]["kind"] == "centralised") is centralised


def test_laslett_six_items_are_keyed_by_side():
    _, visit = sample()
    visit = replace(visit, scoring=replace(visit.scoring, rule="laslett_2005_six"))
    out = score_to_json(score_visit(visit))
    assert list(out["cluster"]["items"]) == [
        "distraction",
        "thigh_thrust",
        "compression",
        "sacral_thrust",
        "gaenslen.right",
        "gaenslen.left",
    ]
    # distraction, thigh thrust, Gaenslen left positive; sacral thrust and
    # Gaenslen right untested: the rule is met.
    assert out["cluster"]["result"] == "positive"
    # Laslett at 20%: 0.2×4.27 / (0.854 + 0.8) = 0.5163
    assert out["cluster"]["post_test_probability"] == 0.516


def test_disagreement_is_said():
    _, visit = sample()
    visit = replace(
        visit, scoring=replace(visit.scoring, block_threshold_percent=90)
    )  # 86% < 90%
    score = score_visit(visit)
    assert score_to_json(score)["blocks"][0]["result"] == "negative"
    assert "Block and cluster: disagree" in score_to_text(score)
