"""Reading the findings together: clinical-rules.md §2 (side clusters, centralisation,
post-test range), §3 (guidance, steroid pair, agreement), §8 (headline, checks, CMS
checklist) and §9 (neuro and hip screens). Every expected value is worked by hand in
the comment beside it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import pytest

from sijoint_exam.domain.block import Block, BlockSide, Guidance, Reading
from sijoint_exam.domain.catalogue import (
    Agent,
    PainSide,
    Result,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.catalogue_together import CHECKS
from sijoint_exam.domain.likelihood import (
    likelihood_ratio_interval,
    percent_text,
    range_text,
)
from sijoint_exam.domain.outcomes import Answer, Pain
from sijoint_exam.domain.score import score_to_json, score_visit
from sijoint_exam.domain.screens import (
    GradedFinding,
    HipScreen,
    NeuroReading,
    NeuroScreen,
    PerSide,
    SidedFinding,
    read_neuro_screen,
)
from sijoint_exam.domain.visit import (
    History,
    ProvocationFinding,
    Referral,
    Scoring,
    Urgency,
    Visit,
)

P, N, T = Result.POSITIVE, Result.NEGATIVE, Result.NOT_TESTED
OTHER = Result.POSITIVE_OTHER
DAY = dt.date(2026, 11, 20)
F = ProvocationFinding


def visit(**fields) -> Visit:
    return Visit(date=DAY, **fields)


def block(**fields) -> Block:
    base = Block(
        date=dt.date(2026, 10, 2),
        number=1,
        side=BlockSide.LEFT,
        agent=Agent.LIDOCAINE,
        pre=8,
        guidance=Guidance.FLUOROSCOPY,
        readings=(Reading(30, 1),),  # (8 − 1) / 8 = 87.5 → 88% relief: positive
    )
    return replace(base, **fields)


# Positives on two different joints: distraction (pain left) and thigh thrust left
# for the left joint; compression (pain right) and FABER right for the right one.
TWO_JOINTS = {
    "distraction": F(result=P, pain_side=PainSide.LEFT),
    "thigh_thrust": F(left=P, right=N),
    "compression": F(result=P, pain_side=PainSide.RIGHT),
    "faber": F(left=N, right=P),
    "gaenslen": F(left=N, right=N),
}


# ---------------------------------------------------------------------------
# §2: side clusters.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("side", [SymptomaticSide.BILATERAL, SymptomaticSide.UNKNOWN])
def test_positives_on_different_joints_are_never_added(side):
    score = score_visit(visit(symptomatic_side=side, provocation=TWO_JOINTS))
    tally = score.cluster
    # Left: distraction P, thigh P, compression (pain right) other, FABER N,
    # Gaenslen N → 2 positive, 3 negative → negative. Right: distraction (pain
    # left) other, thigh N, compression P, FABER P, Gaenslen N → 2 → negative.
    assert tally.sides[Side.LEFT].positive == 2
    assert tally.sides[Side.RIGHT].positive == 2
    assert tally.decision.value == "negative"  # never "4 of 5 — cluster positive"
    assert (tally.positive, tally.negative, tally.untested) == (2, 3, 0)
    assert tally.side is Side.LEFT  # both negative, a tie: left
    assert score.headline.kind.value == "cluster_negative"
    out = score_to_json(score)
    assert out["cluster"]["per_side"] == {"left": 2, "right": 2}
    assert out["headline"] == {"kind": "cluster_negative", "sides": []}
    unknown_caution = "symptomatic side not recorded — each side read on its own"
    assert (unknown_caution in tally.cautions) is (side is SymptomaticSide.UNKNOWN)


def test_bilateral_with_one_joint_incomplete_is_incomplete():
    # Gaenslen left not tested: left joint 2 positive, 1 untested → incomplete;
    # right joint 2 positive, none untested → negative. Not positive, not negative.
    findings = {**TWO_JOINTS, "gaenslen": F(left=T, right=N)}
    tally = score_visit(
        visit(symptomatic_side=SymptomaticSide.BILATERAL, provocation=findings)
    ).cluster
    assert tally.decision.value == "incomplete"
    assert tally.side is Side.LEFT
    assert (tally.positive, tally.negative, tally.untested) == (2, 2, 1)


def test_both_joints_positive_headline_names_both_sides():
    findings = {
        "distraction": F(result=P),  # pain side not recorded: counts for both
        "thigh_thrust": F(left=P, right=P),
        "compression": F(result=N),
        "faber": F(left=N, right=P),
        "gaenslen": F(left=P, right=P),
    }
    score = score_visit(
        visit(symptomatic_side=SymptomaticSide.BILATERAL, provocation=findings)
    )
    # Left 3 of 5, right 4 of 5: both positive; counts from the right (more).
    assert score.cluster.side is Side.RIGHT
    assert score.cluster.positive == 4
    assert score.headline.sides == (Side.LEFT, Side.RIGHT)
    assert score.headline.text.startswith(
        "3 of 5 positive on the left and 4 of 5 positive on the right — "
        "cluster positive — consistent with SIJ pain"
    )


# ---------------------------------------------------------------------------
# §2: the post-test range (Simel 1991 log method on each rule's 2×2).
# ---------------------------------------------------------------------------


def test_vanderwurff_interval_by_hand():
    # LR+ = (23/27) / (7/33) = 4.016; se = √(1/23 − 1/27 + 1/7 − 1/33) = 0.3450;
    # 4.016 · e^(±1.96·0.3450) = 2.042 … 7.896 (published 2.04–7.90).
    point, low, high = likelihood_ratio_interval(23, 4, 7, 26, positive=True)
    assert (round(point, 2), round(low, 2), round(high, 2)) == (4.02, 2.04, 7.90)
    # LR− = (4/27) / (26/33) = 0.188; se = √(1/4 − 1/27 + 1/26 − 1/33) = 0.4706;
    # bounds 0.075 … 0.473 (published 0.07–0.47).
    point, low, high = likelihood_ratio_interval(23, 4, 7, 26, positive=False)
    assert (round(point, 3), round(low, 3), round(high, 3)) == (0.188, 0.075, 0.473)


def test_a_zero_cell_has_no_interval():
    with pytest.raises(ValueError, match="zero cell"):
        likelihood_ratio_interval(10, 0, 0, 10, positive=False)


# (rule, decision code, pretest, shown figure) — post = p·LR / (p·LR + 1 − p) with
# the catalogued LR; the range from the table's LR bounds.
FIGURES = [
    # vdW +: 0.01·4.02/(0.0402+0.99) = 3.9% → 4%; 2.042 → 2.0%, 7.896 → 7.4%
    ("vanderwurff_2006", "P", 0.01, "4% (2–7%)"),
    ("vanderwurff_2006", "P", 0.20, "50% (34–66%)"),
    # 0.99·4.02/(3.98+0.01) = 99.75% → ">99%"; both bounds above 99.4% too
    ("vanderwurff_2006", "P", 0.99, ">99% (>99%)"),
    # vdW −: 0.01·0.19/(0.0019+0.99) = 0.19% → "<1%"
    ("vanderwurff_2006", "N", 0.01, "<1% (<1%)"),
    ("vanderwurff_2006", "N", 0.20, "5% (2–11%)"),
    # 0.99·0.19/(0.1881+0.01) = 94.95% → 95%; 0.075 → 88.1%, 0.473 → 97.9%
    ("vanderwurff_2006", "N", 0.99, "95% (88–98%)"),
    # Laslett six, table 15/1/6/21 [D]: LR+ bounds 2.06–8.64 → 34–68% at 20%;
    # point with the catalogued 4.27: 0.854/1.654 = 51.6% → 52%
    ("laslett_2005_six", "P", 0.20, "52% (34–68%)"),
    # LR− 0.08: 0.016/0.816 = 2.0%; bounds 0.012 → 0.3% "<1%", 0.542 → 11.9%
    ("laslett_2005_six", "N", 0.20, "2% (<1%–12%)"),
    ("laslett_2005_six", "N", 0.99, "89% (54–98%)"),
    # Laslett four, 14/2/6/21 [D]: LR+ 1.90–8.17 → 32–67%
    ("laslett_2005_four", "P", 0.20, "50% (32–67%)"),
    ("laslett_2005_four", "N", 0.01, "<1% (<1%–1%)"),
]


def _all(rule: str, code: str, pretest: float) -> Visit:
    result = {"P": P, "N": N}[code]
    findings = {
        test: F(result=result) if test in ("distraction", "compression",
                                           "sacral_thrust") else F(left=result,
                                                                   right=result)
        for test in ("distraction", "thigh_thrust", "compression", "sacral_thrust",
                     "faber", "gaenslen", "yeoman")
    }  # fmt: skip
    return visit(
        symptomatic_side=SymptomaticSide.LEFT,
        provocation=findings,
        scoring=Scoring(rule=rule, pretest_probability=pretest),
    )


@pytest.mark.parametrize(("rule", "code", "pretest", "figure"), FIGURES)
def test_post_test_figure_and_range(rule, code, pretest, figure):
    tally = score_visit(_all(rule, code, pretest)).cluster
    assert tally.post_test_figure == figure
    text = tally.post_test_line
    assert not re.search(r"(?<![\d.])(0|100)%", text)
    assert (
        "2×2 table inferred from the published percentages" in text
    ) is rule.startswith("laslett")


def test_cms_has_no_range():
    tally = score_visit(_all("cms_lcd_2023", "P", 0.2)).cluster
    assert tally.post_test_probability is None and tally.post_test_range is None
    assert (
        score_to_json(score_visit(_all("cms_lcd_2023", "P", 0.2)))["cluster"][
            "post_test_interval"
        ]
        is None
    )


@pytest.mark.parametrize(
    ("probability", "text"),
    [(0.004, "<1%"), (0.005, "1%"), (0.994, "99%"), (0.995, ">99%"), (0.0, "<1%"),
     (1.0, ">99%"), (0.5, "50%")],
)  # fmt: skip
def test_percent_text_never_says_0_or_100(probability, text):
    assert percent_text(probability) == text


def test_range_text():
    assert range_text(0.338, 0.664) == "34–66%"
    assert range_text(0.003, 0.119) == "<1%–12%"
    assert range_text(0.996, 0.999) == ">99%"


def test_pretest_is_labelled_as_assumed():
    tally = score_visit(_all("vanderwurff_2006", "P", 0.2)).cluster
    assert "pretest 20% (assumed; clinic setting)" in tally.post_test_line


def test_pooled_caution_states_its_meaning_at_the_pretest():
    (pooled,) = [
        c
        for c in score_visit(_all("vanderwurff_2006", "P", 0.2)).cluster.cautions
        if "Saueressig" in c
    ]
    # 0.2·2.13/(0.426+0.8) = 34.7% → 35%; 0.2·0.33/(0.066+0.8) = 7.6% → 8%
    assert pooled.endswith("at the same pretest 20%: positive → 35%, negative → 8%")


# ---------------------------------------------------------------------------
# §2 centralisation gate and §8 headline precedence.
# ---------------------------------------------------------------------------

POSITIVE_LEFT = {
    "distraction": F(result=P),
    "thigh_thrust": F(left=P, right=N),
    "compression": F(result=P),
    "faber": F(left=N, right=N),
    "gaenslen": F(left=N, right=N),
}


def test_centralised_cluster_is_not_interpretable():
    score = score_visit(
        visit(
            symptomatic_side=SymptomaticSide.LEFT,
            provocation=POSITIVE_LEFT,
            centralised=True,
        )
    )
    assert score.headline.kind.value == "centralised"
    assert score.headline.text == (
        "Pain centralised — SIJ tests not interpretable (Laslett 2003)"
    )
    assert score.cluster.positive == 3  # counts still shown
    assert score.cluster.post_test_probability is None
    assert "consistent with SIJ pain" not in score.cluster.summary
    assert "centralised_positive_cluster" in score.checks
    out = score_to_json(score)
    assert out["cluster"]["post_test_probability"] is None
    assert out["cluster"]["post_test_interval"] is None


def test_cauda_equina_comes_before_everything():
    score = score_visit(
        visit(
            symptomatic_side=SymptomaticSide.LEFT,
            provocation=POSITIVE_LEFT,
            centralised=True,
            red_flags={"saddle_anaesthesia": Answer.YES},
        )
    )
    assert score.headline.kind.value == "cauda_equina"
    assert score.headline.is_emergency
    assert score.headline.text == (
        "Cauda equina red flag — same-day emergency assessment"
    )


def test_no_test_recorded_is_cluster_incomplete():
    score = score_visit(visit())
    assert score.headline.kind.value == "cluster_incomplete"


# ---------------------------------------------------------------------------
# §8 checks before signing: each id, on and off.
# ---------------------------------------------------------------------------

CES = {"bladder": Answer.YES}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # cauda_equina_urgency: a flag yes and a referral recorded, not emergency.
        ({"red_flags": CES, "referral": Referral(recipient="Spine clinic")},
         "cauda_equina_urgency"),
        ({"red_flags": CES, "referral": Referral(question="block?",
                                                 urgency=Urgency.ROUTINE)},
         "cauda_equina_urgency"),
        ({"red_flags": CES, "referral": Referral(recipient="ED",
                                                 urgency=Urgency.EMERGENCY)}, None),
        ({"red_flags": CES}, None),  # no referral recorded
        ({"referral": Referral(recipient="Spine clinic")}, None),  # no flag
        # block_side_mismatch: a right block beside left symptoms.
        ({"blocks": (block(side=BlockSide.RIGHT),)}, "block_side_mismatch"),
        ({"blocks": (block(side=BlockSide.BILATERAL),)}, None),
        ({"blocks": (block(),)}, None),
        # unguided_block
        ({"blocks": (block(guidance=Guidance.NONE),)}, "unguided_block"),
        ({"blocks": (block(guidance=None),)}, None),
        # steroid_comparative: a positive lidocaine/bupivacaine pair with a steroid.
        ({"blocks": (block(relief_hours=1.0),
                     block(number=2, agent=Agent.BUPIVACAINE, steroid=True,
                           relief_hours=6.0))}, "steroid_comparative"),
        ({"blocks": (block(relief_hours=1.0),
                     block(number=2, agent=Agent.BUPIVACAINE, relief_hours=6.0))},
         None),
        # radiculopathy_screen_missing: pain below the knee, no neuro result.
        ({"pain": Pain(regions=("left_lower_leg",))}, "radiculopathy_screen_missing"),
        ({"pain": Pain(regions=("left_knee",))}, "radiculopathy_screen_missing"),
        ({"pain": Pain(regions=("left_posterior_thigh",))}, None),
        ({"pain": Pain(regions=("left_foot",)),
          "neuro_screen": NeuroScreen(slr=PerSide(left=SidedFinding.POSITIVE))}, None),
    ],
)  # fmt: skip
def test_each_check(fields, expected):
    score = score_visit(visit(symptomatic_side=SymptomaticSide.LEFT, **fields))
    assert score.checks == ((expected,) if expected else ())


def test_centralised_negative_cluster_has_no_check():
    negative = {k: F(result=N) if k in ("distraction", "compression")
                else F(left=N, right=N) for k in POSITIVE_LEFT}  # fmt: skip
    score = score_visit(
        visit(symptomatic_side=SymptomaticSide.LEFT, provocation=negative,
              centralised=True)
    )  # fmt: skip
    assert "centralised_positive_cluster" not in score.checks


def test_checks_keep_their_order():
    score = score_visit(
        visit(
            symptomatic_side=SymptomaticSide.LEFT,
            provocation=POSITIVE_LEFT,
            centralised=True,
            red_flags=CES,
            referral=Referral(recipient="Spine clinic", urgency=Urgency.URGENT),
            blocks=(block(side=BlockSide.RIGHT, guidance=Guidance.NONE),
                    block(date=dt.date(2026, 9, 1), side=BlockSide.RIGHT)),
            pain=Pain(regions=("left_foot",)),
        )
    )  # fmt: skip
    assert score.checks == tuple(c.id for c in CHECKS if c.id != "steroid_comparative")


# ---------------------------------------------------------------------------
# §3 agreement of the block beside the cluster.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "block_side", "expected"),
    [
        (SymptomaticSide.LEFT, BlockSide.LEFT, "agree"),
        (SymptomaticSide.LEFT, BlockSide.RIGHT, "not_comparable"),
        (SymptomaticSide.LEFT, BlockSide.BILATERAL, "agree"),
        (SymptomaticSide.BILATERAL, BlockSide.RIGHT, "agree"),
    ],
)
def test_block_agreement_with_the_side(side, block_side, expected):
    findings = {**POSITIVE_LEFT, "thigh_thrust": F(left=P, right=P)}
    score = score_visit(
        visit(symptomatic_side=side, provocation=findings,
              blocks=(block(side=block_side),))
    )  # fmt: skip
    assert score.agreement is not None and score.agreement.value == expected


def test_no_agreement_when_centralised_or_unguided():
    centralised = score_visit(
        visit(symptomatic_side=SymptomaticSide.LEFT, provocation=POSITIVE_LEFT,
              centralised=True, blocks=(block(),))
    )  # fmt: skip
    assert centralised.agreement is None
    blind = score_visit(
        visit(symptomatic_side=SymptomaticSide.LEFT, provocation=POSITIVE_LEFT,
              blocks=(block(guidance=Guidance.NONE, readings=(Reading(30, 8),)),))
    )  # fmt: skip
    assert blind.blocks.overall is None and blind.agreement is None


# ---------------------------------------------------------------------------
# §8 CMS checklist: each criterion true, false and null.
# ---------------------------------------------------------------------------


def cms(**fields) -> dict[str, bool | None]:
    return score_visit(
        visit(symptomatic_side=SymptomaticSide.LEFT, **fields)
    ).cms_criteria


@pytest.mark.parametrize(
    ("onset", "expected"),
    [(None, None), (DAY - dt.timedelta(days=91), True),
     (DAY - dt.timedelta(days=90), False)],
)  # fmt: skip
def test_cms_duration(onset, expected):
    assert cms(history=History(onset=onset))["duration_3_months"] is expected


@pytest.mark.parametrize(("weeks", "expected"), [(None, None), (4, True), (3, False)])
def test_cms_conservative_care(weeks, expected):
    history = History(conservative_care_weeks=weeks)
    assert cms(history=history)["conservative_care_4_weeks"] is expected


NORMAL = NeuroScreen(slr=PerSide(left=SidedFinding.NEGATIVE),
                     reflexes=GradedFinding.NORMAL)  # fmt: skip


@pytest.mark.parametrize(
    ("screen", "expected"),
    [(NeuroScreen(), None), (NORMAL, True),
     (replace(NORMAL, sensation=GradedFinding.ABNORMAL), False),
     # an SLR alone, without myotomes, reflexes or sensation: not recorded
     (NeuroScreen(slr=PerSide(left=SidedFinding.NEGATIVE)), None)],
)  # fmt: skip
def test_cms_no_radiculopathy(screen, expected):
    assert cms(neuro_screen=screen)["no_radiculopathy"] is expected


def test_cms_provocation_reads_the_cms_rule_whatever_the_visits_rule():
    # vdW five with Yeoman not tested: CMS items FABER N, Gaenslen N, thigh P,
    # compression P, distraction P, Yeoman untested → 3 of 6: met.
    assert cms(provocation=POSITIVE_LEFT)["provocation_3_of_6"] is True
    negative = {**POSITIVE_LEFT, "compression": F(result=N), "yeoman": F(left=N)}
    assert cms(provocation=negative)["provocation_3_of_6"] is False  # 2, none left
    two = {**POSITIVE_LEFT, "compression": F(result=N)}
    assert cms(provocation=two)["provocation_3_of_6"] is None  # 2 + Yeoman untested


@pytest.mark.parametrize(
    ("guidances", "history", "expected"),
    [
        ((), History(), None),
        ((Guidance.FLUOROSCOPY,), History(), True),
        ((Guidance.CT, Guidance.FLUOROSCOPY), History(), True),
        ((Guidance.NONE,), History(), False),
        ((Guidance.ULTRASOUND,), History(), False),
        ((Guidance.ULTRASOUND,), History(contrast_allergy=True), True),
        ((Guidance.ULTRASOUND,), History(pregnant=True), True),
        ((Guidance.ULTRASOUND,), History(contrast_allergy=False, pregnant=False),
         False),
        ((None,), History(), None),
        ((None, Guidance.NONE), History(), False),
    ],
)  # fmt: skip
def test_cms_image_guidance(guidances, history, expected):
    blocks = tuple(
        block(guidance=g, date=dt.date(2026, 10, 1 + i))
        for i, g in enumerate(guidances)
    )
    assert cms(blocks=blocks, history=history)["image_guided_block"] is expected


@pytest.mark.parametrize(
    ("blocks", "threshold", "expected"),
    [
        ((), 75, None),
        ((block(),), 75, True),
        ((block(),), 50, False),  # positive, but read at a threshold below 75%
        ((block(readings=(Reading(30, 6),)),), 75, False),  # 25% relief
        ((block(readings=(Reading(600, 0),)),), 75, None),  # outside the window
        ((block(guidance=Guidance.NONE),), 75, None),  # not a diagnostic block
    ],
)
def test_cms_block_relief(blocks, threshold, expected):
    scoring = Scoring(block_threshold_percent=threshold)
    assert cms(blocks=blocks, scoring=scoring)["block_relief_75"] is expected


# ---------------------------------------------------------------------------
# §9 neuro and hip screens.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("screen", "expected"),
    [
        (NeuroScreen(), None),
        (NeuroScreen(slump=PerSide(right=SidedFinding.POSITIVE)),
         NeuroReading.SUGGESTS_RADICULOPATHY),
        (NeuroScreen(myotomes=GradedFinding.ABNORMAL),
         NeuroReading.SUGGESTS_RADICULOPATHY),
        (NORMAL, NeuroReading.SUGGESTS_NONE),
        (NeuroScreen(reflexes=GradedFinding.NORMAL), None),  # no SLR recorded
    ],
)  # fmt: skip
def test_neuro_screen_reading(screen, expected):
    assert read_neuro_screen(screen) is expected


def test_hip_not_excluded_beside_a_positive_faber():
    hip = HipScreen(fadir=PerSide(left=SidedFinding.POSITIVE))
    score = score_visit(
        visit(provocation={"faber": F(left=P, right=P)}, hip_screen=hip)
    )
    assert score.hip_not_excluded == (Side.LEFT,)
    groin = score_visit(visit(provocation={"faber": F(left=OTHER)}, hip_screen=hip))
    assert groin.hip_not_excluded == ()
