"""Positional findings: patterns, landmarks, and suggestions (clinical-rules.md §4)."""

from __future__ import annotations

import pytest

from sijoint_exam.domain.alignment import (
    LANDMARK_POSITIONS,
    SIGNATURES,
    UNSIDED_PATTERNS,
    Alignment,
    FlexionSide,
    Landmark,
    LongSit,
    Outcome,
    Pattern,
    PatternFinding,
    Position,
    Screening,
    Sided,
    Sphinx,
    suggest_patterns,
)
from sijoint_exam.domain.catalogue import Side
from sijoint_exam.domain.catalogue_measures import POSITIONAL_RELIABILITY_CAUTION

L, R = Side.LEFT, Side.RIGHT
HIGH, LOW, LEVEL = Position.HIGHER, Position.LOWER, Position.LEVEL
DEEP, POST, ANT, SHALLOW = (
    Position.DEEP,
    Position.POSTERIOR,
    Position.ANTERIOR,
    Position.SHALLOW,
)


def suggested(alignment: Alignment) -> list[tuple[Pattern, Side | None]]:
    return [(s.pattern, s.side) for s in suggest_patterns(alignment)]


def marks(**found: Sided[Position]) -> dict[Landmark, Sided[Position]]:
    return {Landmark(k): v for k, v in found.items()}


def test_the_sixteen_patterns_of_clinical_rules():
    assert [p.value for p in Pattern] == [
        "anterior_rotation",
        "posterior_rotation",
        "upslip",
        "downslip",
        "inflare",
        "outflare",
        "pubic_superior_shear",
        "pubic_inferior_shear",
        "bilateral_flexion",
        "bilateral_extension",
        "unilateral_flexion",
        "unilateral_extension",
        "left_on_left",
        "right_on_right",
        "right_on_left",
        "left_on_right",
    ]
    assert set(SIGNATURES) == set(Pattern)


def test_landmark_vocabulary():
    assert LANDMARK_POSITIONS[Landmark.ASIS] == (HIGH, LOW, LEVEL)
    assert LANDMARK_POSITIONS[Landmark.MEDIAL_MALLEOLUS] == (HIGH, LOW, LEVEL)
    assert LANDMARK_POSITIONS[Landmark.SACRAL_SULCUS] == (DEEP, SHALLOW, LEVEL)
    assert LANDMARK_POSITIONS[Landmark.ILA] == (POST, ANT, LEVEL)
    assert len(LANDMARK_POSITIONS) == 8


def test_unsided_patterns_are_the_bilateral_sacral_ones_and_torsions():
    assert {p.value for p in UNSIDED_PATTERNS} == {
        "bilateral_flexion",
        "bilateral_extension",
        "left_on_left",
        "right_on_right",
        "right_on_left",
        "left_on_right",
    }


def test_the_visit_format_sample_suggests_a_left_upslip_only():
    alignment = Alignment(
        patterns=(PatternFinding(Pattern.UPSLIP, L),),
        landmarks=marks(
            asis=Sided(HIGH),
            psis=Sided(HIGH),
            iliac_crest=Sided(HIGH),
            medial_malleolus=Sided(HIGH),
        ),
        screening=Screening(
            standing_flexion=FlexionSide.LEFT, gillet=Sided(Outcome.POSITIVE)
        ),
    )
    (only,) = suggest_patterns(alignment)
    assert (only.pattern, only.side, only.matches, only.of) == (Pattern.UPSLIP, L, 5, 7)
    assert "the clinician chooses" in only.text


def test_heights_are_relative_so_the_flexion_test_names_the_side():
    # Right lower is left higher: a left upslip, or a right downslip.
    landmarks = marks(asis=Sided(right=LOW), psis=Sided(right=LOW))
    assert suggested(Alignment(landmarks=landmarks)) == [
        (Pattern.UPSLIP, L),
        (Pattern.DOWNSLIP, R),
    ]
    for side, pattern in ((L, Pattern.UPSLIP), (R, Pattern.DOWNSLIP)):
        screening = Screening(standing_flexion=FlexionSide(side.value))
        alignment = Alignment(landmarks=landmarks, screening=screening)
        assert suggested(alignment) == [(pattern, side)]


@pytest.mark.parametrize(
    ("landmarks", "screening", "expected"),
    [
        # Anterior rotation, right: ASIS lower, PSIS higher, long→short.
        (
            marks(asis=Sided(right=LOW), psis=Sided(right=HIGH)),
            Screening(
                standing_flexion=FlexionSide.RIGHT,
                supine_to_long_sit=Sided(right=LongSit.LONG_TO_SHORT),
            ),
            [(Pattern.ANTERIOR_ROTATION, R)],
        ),
        # Posterior rotation, left.
        (
            marks(asis=Sided(HIGH), psis=Sided(LOW), medial_malleolus=Sided(HIGH)),
            Screening(standing_flexion=FlexionSide.LEFT),
            [(Pattern.POSTERIOR_ROTATION, L)],
        ),
        # Without the flexion test, its mirror fits as well.
        (
            marks(asis=Sided(HIGH), psis=Sided(LOW), medial_malleolus=Sided(HIGH)),
            Screening(),
            [(Pattern.ANTERIOR_ROTATION, R), (Pattern.POSTERIOR_ROTATION, L)],
        ),
        # Downslip, right: every landmark lower.
        (
            marks(iliac_crest=Sided(right=LOW), ischial_tuberosity=Sided(right=LOW)),
            Screening(standing_flexion=FlexionSide.RIGHT),
            [(Pattern.DOWNSLIP, R)],
        ),
        # Pubic shear: only the tubercle is displaced; the table gives no test
        # that names the side, so a left superior is also a right inferior shear.
        (
            marks(pubic_tubercle=Sided(HIGH), asis=Sided(LEVEL), psis=Sided(LEVEL)),
            Screening(),
            [(Pattern.PUBIC_SUPERIOR_SHEAR, L), (Pattern.PUBIC_INFERIOR_SHEAR, R)],
        ),
        # Bilateral flexion: both sulci deep, both ILAs posterior.
        (
            marks(sacral_sulcus=Sided(DEEP, DEEP), ila=Sided(POST, POST)),
            Screening(sacral_spring=Outcome.NEGATIVE),
            [(Pattern.BILATERAL_FLEXION, None)],
        ),
        # Left-on-left: deep right sulcus, posterior left ILA, seated flexion right,
        # spring negative, sphinx improves.
        (
            marks(sacral_sulcus=Sided(right=DEEP), ila=Sided(left=POST)),
            Screening(
                seated_flexion=FlexionSide.RIGHT,
                sacral_spring=Outcome.NEGATIVE,
                sphinx=Sphinx.IMPROVES,
            ),
            [(Pattern.LEFT_ON_LEFT, None)],
        ),
        # Left-on-right: the same landmarks, seated flexion left, spring positive.
        (
            marks(sacral_sulcus=Sided(right=DEEP), ila=Sided(left=POST)),
            Screening(
                seated_flexion=FlexionSide.LEFT,
                sacral_spring=Outcome.POSITIVE,
                sphinx=Sphinx.WORSENS,
            ),
            [(Pattern.LEFT_ON_RIGHT, None)],
        ),
        # Unilateral flexion, left: deep sulcus and posterior ILA on the same side.
        (
            marks(sacral_sulcus=Sided(left=DEEP), ila=Sided(left=POST)),
            Screening(seated_flexion=FlexionSide.LEFT),
            [(Pattern.UNILATERAL_FLEXION, L)],
        ),
    ],
)
def test_suggestions_follow_the_evidence_table(landmarks, screening, expected):
    alignment = Alignment(landmarks=landmarks, screening=screening)
    assert suggested(alignment) == expected


def test_landmarks_alone_cannot_tell_forward_from_backward_torsion():
    alignment = Alignment(
        landmarks=marks(sacral_sulcus=Sided(right=DEEP), ila=Sided(left=POST))
    )
    assert set(suggested(alignment)) == {
        (Pattern.LEFT_ON_LEFT, None),
        (Pattern.LEFT_ON_RIGHT, None),
    }


def test_one_finding_is_not_enough_and_a_contradiction_rules_out():
    assert suggested(Alignment(landmarks=marks(asis=Sided(HIGH)))) == []
    contradicted = Alignment(
        landmarks=marks(asis=Sided(HIGH), psis=Sided(HIGH), iliac_crest=Sided(HIGH)),
        screening=Screening(standing_flexion=FlexionSide.NEGATIVE),
    )
    assert suggested(contradicted) == []


def test_flares_are_never_suggested():
    # The landmark vocabulary cannot say "toward the midline".
    alignment = Alignment(screening=Screening(standing_flexion=FlexionSide.LEFT))
    assert suggested(alignment) == []


def test_a_suggestion_is_never_chosen_for_the_clinician():
    alignment = Alignment(
        landmarks=marks(asis=Sided(HIGH), psis=Sided(HIGH), iliac_crest=Sided(HIGH)),
        screening=Screening(standing_flexion=FlexionSide.LEFT),
    )
    assert suggested(alignment) == [(Pattern.UPSLIP, L)]
    assert alignment.patterns == ()


def test_best_fit_first():
    alignment = Alignment(
        landmarks=marks(asis=Sided(HIGH), psis=Sided(HIGH), iliac_crest=Sided(HIGH)),
        screening=Screening(standing_flexion=FlexionSide.LEFT),
    )
    found = suggest_patterns(alignment)
    assert [s.matches for s in found] == sorted(
        (s.matches for s in found), reverse=True
    )


def test_empty_landmarks_are_dropped_and_order_does_not_matter():
    a = Alignment(landmarks={Landmark.PSIS: Sided(HIGH), Landmark.ASIS: Sided()})
    b = Alignment(landmarks={Landmark.PSIS: Sided(HIGH)})
    assert a == b
    assert list(a.landmarks) == [Landmark.PSIS]
    assert Alignment().is_empty and not b.is_empty


def test_reliability_caution_names_kappa_and_its_sources():
    text = POSITIONAL_RELIABILITY_CAUTION
    assert "κ typically < 0.3" in text
    assert "no reference standard" in text
    for source in ("Vleeming 2008", "Riddle & Freburger 2002", "Holmgren & Waling"):
        assert source in text
    assert "diagnos" not in text.lower()
