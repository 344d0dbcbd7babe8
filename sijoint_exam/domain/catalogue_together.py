"""The catalogue of reading the findings together (clinical-rules.md §2, §3, §8, §9).

The 2×2 tables behind each rule's confidence range, the block cautions added on
2026-12-07, the headline wording, the checks before signing, the CMS checklist and the
neuro and hip screens: as data, each with its source (docs/clinical-rules.md §2,
§3, §8, §9).
`catalogue` holds the tests, the rules and the single findings; this module what the
program says when it reads them side by side.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------
# The 2×2 tables of the rule sets (clinical-rules.md §2, "Its uncertainty").
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TwoByTwo:
    """A validation study's cross-table of the cluster against the block reference.

    `inferred` is True when the counts are worked back from published percentages
    rather than printed by the paper (evidence tag [D]); every place that shows a
    range from such a table says so.
    """

    true_positive: int
    false_negative: int
    false_positive: int
    true_negative: int
    citation: str
    inferred: bool = False


RULE_TABLES: dict[str, TwoByTwo] = {
    # 27 block responders (23 test-positive), 33 non-responders (26 test-negative) [C].
    "vanderwurff_2006": TwoByTwo(
        23, 4, 7, 26, "van der Wurff 2006, Arch Phys Med Rehabil 87:10–14"
    ),
    # Worked back from Sn 0.94 / Sp 0.78 of 16 block-positive and 27 block-negative
    # patients [D]: the paper prints percentages, not this table.
    "laslett_2005_six": TwoByTwo(
        15, 1, 6, 21, "Laslett 2005, Man Ther 10:207–218", inferred=True
    ),
    "laslett_2005_four": TwoByTwo(
        14, 2, 6, 21, "Laslett 2005, Man Ther 10:207–218", inferred=True
    ),
    # cms_lcd_2023 is a coverage criterion: no table, no range.
}

LR_INTERVAL_CITATION = "log method, Simel 1991, J Clin Epidemiol 44:763–770"
INFERRED_TABLE_NOTE = "2×2 table inferred from the published percentages"
PRETEST_LABEL = "assumed; clinic setting"

# Centralised pain: the cluster is shown but not read (Laslett 2003).
NOT_INTERPRETABLE_STATEMENT = "not interpretable — pain centralised"
SYMPTOMATIC_SIDE_UNKNOWN_CAUTION = (
    "symptomatic side not recorded — each side read on its own"
)

# ---------------------------------------------------------------------------
# Diagnostic blocks, revised 2026-12-07 (clinical-rules.md §3).
# ---------------------------------------------------------------------------

UNGUIDED_BLOCK_CAUTION = (
    "blind SIJ injections reach the joint in about 22% (Rosenberg 2000, "
    "Clin J Pain 16:18–21); not read as a diagnostic block"
)
GUIDANCE_NOT_RECORDED_CAUTION = "image guidance not recorded"
# A pre-block NRS this low or lower reads relief only in coarse steps.
LOW_BASELINE_MAX_PRE = 3
STEROID_CONFOUNDED_CAUTION = (
    "steroid added to a block of the pair — the durations reflect the steroid, so "
    "the pair reads as a single positive block"
)
# CMS LCD 2023: CT or fluoroscopy; ultrasound only with contrast allergy or pregnancy.
CMS_GUIDANCE_CITATION = "CMS LCD L39402 et al., 2023"

# ---------------------------------------------------------------------------
# The headline and the checks before signing (clinical-rules.md §8).
# ---------------------------------------------------------------------------

HEADLINE_CAUDA_EQUINA = "Cauda equina red flag — same-day emergency assessment"
HEADLINE_CENTRALISED = "Pain centralised — SIJ tests not interpretable (Laslett 2003)"
SIJ_SECONDARY_NOTE = (
    "SIJ findings are not the question while a cauda equina flag is open"
)


@dataclass(frozen=True)
class Check:
    """One open problem a clinician must see, and acknowledge, before signing."""

    id: str
    label: str  # what is wrong, in the clinic's words
    section: str  # the form section where it is put right


CHECKS: tuple[Check, ...] = (
    Check(
        "cauda_equina_urgency",
        "Cauda equina flag with a referral whose urgency is not 'emergency'",
        "referral",
    ),
    Check(
        "centralised_positive_cluster",
        "Pain centralised, yet the SIJ cluster would be positive",
        "visit",  # centralisation is asked with the visit's details
    ),
    Check(
        "block_side_mismatch",
        "The block read beside the cluster was on the other side",
        "blocks",
    ),
    Check(
        "unguided_block",
        "A block without image guidance (not a diagnostic block)",
        "blocks",
    ),
    Check(
        "steroid_comparative",
        "Comparative blocks with a steroid added: duration cannot be compared",
        "blocks",
    ),
    Check(
        "radiculopathy_screen_missing",
        "Pain below the knee without a recorded neuro screen",
        "screens",
    ),
)
CHECKS_BY_ID: dict[str, Check] = {c.id: c for c in CHECKS}
ACKNOWLEDGED_CHECKS_TITLE = "Signed with acknowledged checks"

# Regions below the knee: pain there asks for the radiculopathy screen.
BELOW_KNEE_AREAS = ("knee", "lower_leg", "foot")


@dataclass(frozen=True)
class CmsCriterion:
    """One item of the CMS 2023 checklist for a diagnostic SIJ injection."""

    id: str
    label: str


# Order as clinical-rules.md §8 lists them (CMS LCD L39402 et al., 2023).
CMS_CRITERIA: tuple[CmsCriterion, ...] = (
    CmsCriterion("duration_3_months", "Pain for at least 3 months"),
    CmsCriterion("conservative_care_4_weeks", "At least 4 weeks of conservative care"),
    CmsCriterion("no_radiculopathy", "Neuro screen suggests no radiculopathy"),
    CmsCriterion("provocation_3_of_6", "At least 3 of 6 provocation tests positive"),
    CmsCriterion("image_guided_block", "Blocks image-guided (CT or fluoroscopy)"),
    CmsCriterion("block_relief_75", "Block relief of at least 75%"),
)
CMS_CRITERIA_CITATION = "CMS LCD L39402 et al., 2023"
# How each criterion's state is printed; never "criteria met" unless all six are.
CMS_STATUS: dict[bool | None, str] = {
    True: "met",
    False: "not met",
    None: "not documented",
}
CMS_DURATION_DAYS = 91  # three months
CMS_CONSERVATIVE_CARE_WEEKS = 4
CMS_RELIEF_PERCENT = 75
CONSERVATIVE_CARE_WEEKS_RANGE = (0, 520)  # a plausibility bound of ours: ten years

# ---------------------------------------------------------------------------
# Neuro and hip screens (clinical-rules.md §9).
# ---------------------------------------------------------------------------

NEURO_SIDED_ITEMS: dict[str, str] = {
    "slr": "Straight-leg raise",
    "slump": "Slump",
}
NEURO_GRADED_ITEMS: dict[str, str] = {
    "myotomes": "Myotomes",
    "reflexes": "Reflexes",
    "sensation": "Sensation (dermatomal)",
}
HIP_ITEMS: dict[str, str] = {
    "fadir": "FADIR (flexion–adduction–internal rotation)",
    "painful_range": "Painful or restricted hip range",
}
HIP_NOT_EXCLUDED = "hip not excluded"

# ---------------------------------------------------------------------------
# ASLR cut-off (clinical-rules.md §5).
# ---------------------------------------------------------------------------

ASLR_CUTOFF_CITATION = (
    "Mens 2012, Man Ther 17:364–8, in pregnancy-related pelvic girdle pain"
)
