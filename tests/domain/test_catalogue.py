"""The catalogue against clinical-rules.md §1–§2 and the papers behind it.

Accuracy figures are recomputed here from the published counts and Sn/Sp with the
usual formulas (Sn = TP/(TP+FN), Sp = TN/(TN+FP), LR+ = Sn/(1−Sp),
LR− = (1−Sn)/Sp), then compared with the catalogue.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from sijoint_exam.domain.catalogue import (
    BLOCK_THRESHOLD_CHOICES,
    CENTRALISATION_CAUTION,
    CLUSTER_POSITIVE_STATEMENT,
    DEFAULT_BLOCK_THRESHOLD_PERCENT,
    DEFAULT_PRETEST_PROBABILITY,
    DEFAULT_RULE_ID,
    POOLED_CLUSTER_EVIDENCE,
    PRETEST_PROBABILITY_RANGE,
    PROVOCATION_TESTS,
    RESULT_LABELS,
    RESULT_SHORT_LABELS,
    RULE_SETS,
    RULES_BY_ID,
    TESTS_BY_ID,
    ClusterItem,
    PainSide,
    Result,
    Side,
    SymptomaticSide,
)


def two_places(x: float) -> Decimal:
    """Round half-up to 2 decimals, as the papers print."""
    return Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------
# van der Wurff 2006 from its 2×2 table (Arch Phys Med Rehabil 2006;87:10–14).
# ---------------------------------------------------------------------------

TP, FN, FP, TN = 23, 4, 7, 26


def test_vanderwurff_two_by_two_has_the_published_margins():
    assert TP + FN == 27  # block responders
    assert FP + TN == 33  # non-responders
    assert TP + FN + FP + TN == 60


def test_vanderwurff_figures_from_the_two_by_two_table():
    sn = TP / (TP + FN)  # 23/27 = 0.85185…
    sp = TN / (TN + FP)  # 26/33 = 0.78788…
    ppv = TP / (TP + FP)  # 23/30 = 0.76667…
    npv = TN / (TN + FN)  # 26/30 = 0.86667…
    lr_pos = sn / (1 - sp)  # 0.85185 / 0.21212 = 4.0159…
    lr_neg = (1 - sn) / sp  # 0.14815 / 0.78788 = 0.18803…
    assert two_places(sn) == Decimal("0.85")
    assert two_places(sp) == Decimal("0.79")
    assert two_places(ppv) == Decimal("0.77")
    assert two_places(npv) == Decimal("0.87")
    assert two_places(lr_pos) == Decimal("4.02")
    assert two_places(lr_neg) == Decimal("0.19")

    rule = RULES_BY_ID["vanderwurff_2006"]
    assert rule.sensitivity == 0.85 == float(two_places(sn))
    assert rule.specificity == 0.79 == float(two_places(sp))
    assert rule.lr_positive == 4.02 == float(two_places(lr_pos))
    assert rule.lr_negative == 0.19 == float(two_places(lr_neg))


def test_vanderwurff_lr_needs_the_unrounded_sn_sp():
    # From the rounded 0.85 / 0.79 the LR+ would print 4.05, not the published 4.02.
    assert two_places(0.85 / (1 - 0.79)) == Decimal("4.05")


# ---------------------------------------------------------------------------
# Laslett 2005 (Man Ther 10:207–218): LRs from the published Sn/Sp.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "sn", "sp", "lr_pos", "lr_neg"),
    [
        # 0.94 / 0.22 = 4.2727…, 0.06 / 0.78 = 0.0769…
        ("laslett_2005_six", 0.94, 0.78, "4.27", "0.08"),
        # 0.88 / 0.22 = 4.0000…, 0.12 / 0.78 = 0.1538…
        ("laslett_2005_four", 0.88, 0.78, "4.00", "0.15"),
    ],
)
def test_laslett_likelihood_ratios(rule_id, sn, sp, lr_pos, lr_neg):
    assert two_places(sn / (1 - sp)) == Decimal(lr_pos)
    assert two_places((1 - sn) / sp) == Decimal(lr_neg)
    rule = RULES_BY_ID[rule_id]
    assert (rule.sensitivity, rule.specificity) == (sn, sp)
    assert rule.lr_positive == float(lr_pos)
    assert rule.lr_negative == float(lr_neg)


@pytest.mark.parametrize("rule", [r for r in RULE_SETS if r.sensitivity is not None])
def test_every_likelihood_ratio_agrees_with_its_sn_sp_to_within_rounding(rule):
    # The catalogue's Sn/Sp are themselves rounded to 2 places, so the LR they give
    # may drift a little from the published one (vdW: 4.05 vs 4.02).
    assert rule.lr_positive == pytest.approx(
        rule.sensitivity / (1 - rule.specificity), abs=0.05
    )
    assert rule.lr_negative == pytest.approx(
        (1 - rule.sensitivity) / rule.specificity, abs=0.01
    )
    assert rule.lr_positive > 1 > rule.lr_negative > 0


def test_cms_is_a_coverage_criterion_without_accuracy_figures():
    rule = RULES_BY_ID["cms_lcd_2023"]
    assert rule.sensitivity is None
    assert rule.specificity is None
    assert rule.lr_positive is None
    assert rule.lr_negative is None


# ---------------------------------------------------------------------------
# The rule sets of clinical-rules.md §2.
# ---------------------------------------------------------------------------

RULE_TABLE = [
    (
        "vanderwurff_2006",
        ("distraction", "thigh_thrust", "compression", "faber", "gaenslen"),
        3,
        "van der Wurff 2006, Arch Phys Med Rehabil 87:10–14",
    ),
    (
        "laslett_2005_six",
        (
            "distraction",
            "thigh_thrust",
            "compression",
            "sacral_thrust",
            "gaenslen.right",
            "gaenslen.left",
        ),
        3,
        "Laslett 2005, Man Ther 10:207–218",
    ),
    (
        "laslett_2005_four",
        ("distraction", "thigh_thrust", "compression", "sacral_thrust"),
        2,
        "Laslett 2005, Man Ther 10:207–218",
    ),
    (
        "cms_lcd_2023",
        ("faber", "gaenslen", "thigh_thrust", "compression", "distraction", "yeoman"),
        3,
        "CMS LCD L39402 et al., 2023",
    ),
]


def test_exactly_the_four_rule_sets():
    assert [r.id for r in RULE_SETS] == [row[0] for row in RULE_TABLE]
    assert set(RULES_BY_ID) == {row[0] for row in RULE_TABLE}
    for rule in RULE_SETS:
        assert RULES_BY_ID[rule.id] is rule


@pytest.mark.parametrize(("rule_id", "keys", "threshold", "citation"), RULE_TABLE)
def test_rule_set_items_threshold_and_citation(rule_id, keys, threshold, citation):
    rule = RULES_BY_ID[rule_id]
    assert tuple(item.key for item in rule.items) == keys
    assert rule.threshold == threshold
    assert rule.citation == citation
    assert 0 < rule.threshold <= len(rule.items)


def test_default_rule_is_three_of_five():
    assert DEFAULT_RULE_ID == "vanderwurff_2006"
    assert DEFAULT_RULE_ID in RULES_BY_ID


@pytest.mark.parametrize("rule", RULE_SETS, ids=lambda r: r.id)
def test_every_rule_has_a_citation_with_a_year(rule):
    assert rule.citation.strip()
    assert any(str(year) in rule.citation for year in range(2000, 2030))
    assert rule.short_citation
    assert rule.citation.startswith(rule.short_citation)
    assert rule.name.strip()


@pytest.mark.parametrize(
    ("rule_id", "short"),
    [
        ("vanderwurff_2006", "van der Wurff 2006"),
        ("laslett_2005_six", "Laslett 2005"),
        ("laslett_2005_four", "Laslett 2005"),
    ],
)
def test_short_citation(rule_id, short):
    assert RULES_BY_ID[rule_id].short_citation == short


@pytest.mark.parametrize("rule", RULE_SETS, ids=lambda r: r.id)
def test_every_item_names_a_catalogue_test(rule):
    keys = [item.key for item in rule.items]
    assert len(keys) == len(set(keys))
    for item in rule.items:
        assert item.test_id in TESTS_BY_ID
        if item.side is not None:
            # Only a lateral test can be split by side.
            assert TESTS_BY_ID[item.test_id].lateral


def test_only_laslett_six_has_an_all_negative_statement():
    statements = {r.id: r.all_negative_statement for r in RULE_SETS}
    assert statements == {
        "vanderwurff_2006": None,
        "laslett_2005_six": "all negative — SIJ unlikely to be the source",
        "laslett_2005_four": None,
        "cms_lcd_2023": None,
    }


@pytest.mark.parametrize(
    ("item", "key"),
    [
        (ClusterItem("gaenslen", Side.RIGHT), "gaenslen.right"),
        (ClusterItem("gaenslen", Side.LEFT), "gaenslen.left"),
        (ClusterItem("distraction"), "distraction"),
        (ClusterItem("thigh_thrust", None), "thigh_thrust"),
    ],
)
def test_cluster_item_key(item, key):
    assert item.key == key


# ---------------------------------------------------------------------------
# The tests and values of clinical-rules.md §1.
# ---------------------------------------------------------------------------

TEST_TABLE = [
    ("distraction", "Distraction", False),
    ("thigh_thrust", "Thigh thrust (P4)", True),
    ("compression", "Compression", False),
    ("sacral_thrust", "Sacral thrust", False),
    ("faber", "FABER (Patrick)", True),
    ("gaenslen", "Gaenslen", True),
    ("yeoman", "Yeoman", True),
]


def test_catalogue_tests_in_order():
    assert [t.id for t in PROVOCATION_TESTS] == [row[0] for row in TEST_TABLE]
    assert list(TESTS_BY_ID) == [row[0] for row in TEST_TABLE]


@pytest.mark.parametrize(("test_id", "name", "lateral"), TEST_TABLE)
def test_catalogue_test(test_id, name, lateral):
    test = TESTS_BY_ID[test_id]
    assert test.name == name
    assert test.lateral is lateral
    assert test.hint.strip()


def test_thigh_thrust_hint_carries_laslett_figures():
    hint = TESTS_BY_ID["thigh_thrust"].hint
    assert "Laslett 2005" in hint
    assert "0.88" in hint
    assert "0.69" in hint


def test_faber_hint_sends_groin_pain_to_other_pain():
    hint = TESTS_BY_ID["faber"].hint.lower()
    assert "groin" in hint
    assert "other pain" in hint


def test_result_values():
    assert [r.value for r in Result] == [
        "positive",
        "positive_other",
        "negative",
        "not_tested",
        "unable",
    ]
    assert set(RESULT_LABELS) == set(Result)
    assert set(RESULT_SHORT_LABELS) == set(Result)
    assert all(label.strip() for label in RESULT_LABELS.values())
    assert all(label.strip() for label in RESULT_SHORT_LABELS.values())


def test_side_values():
    assert [s.value for s in Side] == ["left", "right"]
    assert [s.value for s in PainSide] == ["left", "right", "bilateral"]
    assert [s.value for s in SymptomaticSide] == [
        "left",
        "right",
        "bilateral",
        "unknown",
    ]


# ---------------------------------------------------------------------------
# Settings and wording.
# ---------------------------------------------------------------------------


def test_settings_defaults():
    assert DEFAULT_PRETEST_PROBABILITY == 0.20
    assert PRETEST_PROBABILITY_RANGE == (0.01, 0.99)
    lo, hi = PRETEST_PROBABILITY_RANGE
    assert lo <= DEFAULT_PRETEST_PROBABILITY <= hi
    assert DEFAULT_BLOCK_THRESHOLD_PERCENT == 75
    assert BLOCK_THRESHOLD_CHOICES == (50, 75, 80, 90, 100)
    assert DEFAULT_BLOCK_THRESHOLD_PERCENT in BLOCK_THRESHOLD_CHOICES


def test_pooled_saueressig_figures():
    assert POOLED_CLUSTER_EVIDENCE.lr_positive == 2.13
    assert POOLED_CLUSTER_EVIDENCE.lr_negative == 0.33
    assert POOLED_CLUSTER_EVIDENCE.citation.startswith("Saueressig 2021")


def test_positive_statement_wording():
    assert CLUSTER_POSITIVE_STATEMENT == "cluster positive — consistent with SIJ pain"


def test_centralisation_caution_wording():
    assert CENTRALISATION_CAUTION == (
        "pain centralised — probably discogenic; positive SIJ tests should be "
        "disregarded (Laslett 2003)"
    )


def test_nothing_the_catalogue_says_is_a_diagnosis():
    texts = [
        CLUSTER_POSITIVE_STATEMENT,
        CENTRALISATION_CAUTION,
        *(r.name for r in RULE_SETS),
        *(r.all_negative_statement or "" for r in RULE_SETS),
        *(t.hint for t in PROVOCATION_TESTS),
        *RESULT_LABELS.values(),
    ]
    for text in texts:
        assert "diagnos" not in text.lower(), text


def test_only_compression_records_the_lying_side():
    # A catalogue flag, not a name checked in the reader, validation and form.
    assert [t.id for t in PROVOCATION_TESTS if t.records_lying_side] == ["compression"]
