"""Pain NRS, ODI, ASLR, body chart and red flags against clinical-rules.md §5–§6."""

from __future__ import annotations

import pytest

from sijoint_exam.domain.catalogue_measures import (
    CAUDA_EQUINA_EMERGENCY,
    ODI_VERSIONS,
    PAIN_REGIONS,
    RED_FLAGS,
)
from sijoint_exam.domain.outcomes import (
    Answer,
    Aslr,
    Odi,
    Pain,
    nrs_change_is_important,
    odi_band,
    odi_change_is_important,
    odi_score,
    screen_red_flags,
)

# ---------------------------------------------------------------------------
# ODI (Fairbank & Pynsent 2000).
# ---------------------------------------------------------------------------


def test_odi_all_answered_is_sum_over_fifty():
    score = odi_score(Odi(answers=(3, 1, 4, 2, 3, 3, 2, 2, 2, 3)))  # 25/50
    assert (score.percent, score.band, score.answered) == (50.0, "severe", 10)
    assert score.text == "50.0% — severe disability (10 of 10 sections answered)"


def test_odi_one_missing_is_over_forty_five():
    # 16/45 = 35.555…%: half-up to one decimal is 35.6 (the evidence file's
    # "35.5" truncates; clinical-rules.md §5 says half-up).
    score = odi_score(Odi(answers=(2, 2, 2, 2, 2, 2, 2, None, 1, 1)))
    assert (score.percent, score.band, score.answered) == (35.6, "moderate", 9)


def test_odi_of_the_visit_format_sample():
    score = odi_score(Odi(answers=(3, 1, 4, 2, 3, 3, 2, None, 2, 3)))  # 23/45
    assert (score.percent, score.band, score.answered) == (51.1, "severe", 9)


def test_odi_two_missing_is_over_forty():
    score = odi_score(Odi(answers=(5, 5, 5, 5, 5, 5, 5, 5, None, None)))
    assert (score.percent, score.band, score.answered) == (100.0, "bed_bound", 8)


@pytest.mark.parametrize(
    "answers",
    [
        (1, 1, 1, 1, 1, 1, 1, None, None, None),
        (None,) * 10,
        (0,) + (None,) * 9,
    ],
)
def test_odi_three_missing_gives_no_score(answers):
    score = odi_score(Odi(answers=answers))
    assert score.percent is None and score.band is None
    assert score.reason == "too many sections missing"
    assert score.text.startswith("no score — too many sections missing")


@pytest.mark.parametrize(
    ("answers", "percent"),
    [
        ((1, 0, 0, 0, 0, 0, 0, 0, 0, None), 2.2),  # 1/45 = 2.222
        ((1, 0, 0, 0, 0, 0, 0, 0, None, None), 2.5),  # 1/40 exactly
        ((4, 0, 0, 0, 0, 0, 0, 0, 0, None), 8.9),  # 4/45 = 8.888
        ((1, 1, 1, 1, 1, 1, 1, 1, 1, None), 20.0),
        ((0,) * 10, 0.0),
    ],
)
def test_odi_rounding(answers, percent):
    assert odi_score(Odi(answers=answers)).percent == percent


@pytest.mark.parametrize(
    ("percent", "band"),
    [
        (0, "minimal"),
        (20.0, "minimal"),
        (20.1, "moderate"),
        (40.0, "moderate"),
        (40.1, "severe"),
        (60.0, "severe"),
        (60.1, "crippling"),
        (80.0, "crippling"),
        (80.1, "bed_bound"),
        (100.0, "bed_bound"),
    ],
)
def test_odi_bands(percent, band):
    assert odi_band(percent)[0] == band


def test_odi_band_upper_bounds_are_inclusive():
    # 18/45 = 40.0 exactly: moderate, not severe.
    score = odi_score(Odi(answers=(2, 2, 2, 2, 2, 2, 2, 2, 2, None)))
    assert (score.percent, score.band) == (40.0, "moderate")


def test_odi_version_default_and_choices():
    assert Odi().version == "2.1a"
    assert "2.1a" in ODI_VERSIONS
    assert Odi().is_empty and not Odi(answers=(0,) + (None,) * 9).is_empty


@pytest.mark.parametrize(
    ("before", "after", "important"),
    [(40, 30, True), (40, 31, False), (20.5, 31.0, True), (50, 50, False)],
)
def test_odi_change(before, after, important):
    assert odi_change_is_important(before, after) is important


# ---------------------------------------------------------------------------
# Pain NRS and the body chart.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "important"),
    [
        (6, 4, True),  # 2 points
        (6, 5, False),  # 1 point, 17%
        (3, 2, True),  # 1 point but 33%
        (10, 8, True),
        (10, 9, False),
        (0, 1, False),
        (0, 2, True),
        (4, 6, True),  # worse counts too
    ],
)
def test_nrs_minimal_important_change(before, after, important):
    assert nrs_change_is_important(before, after) is important


def test_body_chart_reaches_the_foot_on_both_sides_and_the_sacrum():
    assert len(PAIN_REGIONS) == 19
    for side in ("left", "right"):
        for area in (
            "low_back",
            "buttock",
            "groin",
            "hip",
            "posterior_thigh",
            "anterior_thigh",
            "knee",
            "lower_leg",
            "foot",
        ):
            assert f"{side}_{area}" in PAIN_REGIONS
    assert "midline_sacrum" in PAIN_REGIONS


def test_regions_are_kept_in_chart_order_once():
    pain = Pain(regions=("left_foot", "left_buttock", "left_foot", "midline_sacrum"))
    assert pain.regions == ("left_buttock", "left_foot", "midline_sacrum")
    assert pain == Pain(regions=("midline_sacrum", "left_buttock", "left_foot"))


# ---------------------------------------------------------------------------
# ASLR (Mens 2001).
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "total", "positive"),
    [
        (2, 0, 2, True),
        (0, 0, 0, False),
        (0, 1, 1, True),
        (5, 5, 10, True),
        (3, None, None, None),
        (None, None, None, None),
    ],
)
def test_aslr(left, right, total, positive):
    aslr = Aslr(left, right)
    assert aslr.total == total
    assert aslr.positive is positive


# ---------------------------------------------------------------------------
# Red flags.
# ---------------------------------------------------------------------------

CAUDA = ["bladder", "saddle_anaesthesia", "bowel", "sexual", "progressive_weakness"]


def test_the_twelve_screen_items_and_the_five_cauda_equina_items():
    assert [f.id for f in RED_FLAGS] == [
        *CAUDA,
        "fever",
        "cancer_history",
        "weight_loss",
        "trauma",
        "osteoporosis_steroids",
        "inflammatory_back_pain",
        "pregnancy_postpartum",
    ]
    assert [f.id for f in RED_FLAGS if f.cauda_equina] == CAUDA


@pytest.mark.parametrize("item", CAUDA)
def test_any_cauda_equina_yes_is_an_emergency(item):
    answers = dict.fromkeys(CAUDA, Answer.NO) | {item: Answer.YES}
    screen = screen_red_flags(answers)
    assert screen.emergency
    assert screen.cauda_equina_yes == (item,)
    assert screen.undocumented == ()


def test_other_yes_is_not_an_emergency():
    answers = dict.fromkeys(CAUDA, Answer.NO) | {"trauma": Answer.YES}
    screen = screen_red_flags(answers)
    assert not screen.emergency
    assert screen.other_yes == ("trauma",)


def test_not_asked_and_absent_cauda_equina_items_are_undocumented():
    screen = screen_red_flags(
        {"bladder": Answer.NO, "bowel": Answer.NOT_ASKED, "fever": Answer.NOT_ASKED}
    )
    assert screen.undocumented == (
        "saddle_anaesthesia",
        "bowel",
        "sexual",
        "progressive_weakness",
    )
    assert screen.undocumented_text == (
        "cauda equina screen not documented: new saddle anaesthesia, "
        "new bowel dysfunction, "
        "new sexual dysfunction, new or worsening leg weakness/numbness "
        "(bilateral or progressive)"
    )


def test_a_full_screen_has_nothing_undocumented():
    screen = screen_red_flags({f.id: Answer.NO for f in RED_FLAGS})
    assert screen.undocumented == () and screen.undocumented_text is None
    assert not screen.emergency


def test_emergency_banner_names_its_source():
    assert CAUDA_EQUINA_EMERGENCY.startswith("EMERGENCY")
    assert "GIRFT" in CAUDA_EQUINA_EMERGENCY and "Finucane 2020" in (
        CAUDA_EQUINA_EMERGENCY
    )
