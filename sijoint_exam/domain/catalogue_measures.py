"""The catalogue of outcome measures, red flags and positional findings, as data.

Like `catalogue` (the provocation tests, rule sets and blocks), every scale, cut-off
and caution here carries its source; `docs/clinical-rules.md` says how each is used.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------
# Outcome measures (docs/clinical-rules.md §5; the ODI after Fairbank & Pynsent
# 2000, the ASLR after Mens 2001 and 2012).
# ---------------------------------------------------------------------------

NRS_RANGE = (0, 10)
# Minimal important change of pain NRS and ODI (Ostelo 2008 consensus).
NRS_IMPORTANT_CHANGE_POINTS = 2
NRS_IMPORTANT_CHANGE_PERCENT = 30
ODI_IMPORTANT_CHANGE_POINTS = 10
IMPORTANT_CHANGE_CITATION = "Ostelo 2008, Spine 33:90–94"

ODI_CITATION = "Fairbank & Pynsent 2000, Spine 25:2940–52"
ODI_SECTIONS = 10
ODI_ANSWER_RANGE = (0, 5)
# More unanswered sections than this: no score (clinical-rules.md §5; the evidence
# tags the limit [U], so it is a program rule).
ODI_MAX_UNANSWERED = 2
ODI_TOO_MANY_MISSING = "too many sections missing"
ODI_VERSIONS: dict[str, str] = {
    "1.0": "ODI 1.0 (Fairbank 1980)",
    "2.0": "ODI 2.0",
    "2.1a": "ODI 2.1a",
    "2.1b": "ODI 2.1b",
    "modified": "Modified ODI (Fritz & Irrgang 2001): employment/homemaking "
    "replaces sex life",
}
DEFAULT_ODI_VERSION = "2.1a"
# What each of the ten sections asks about, in questionnaire order (Fairbank &
# Pynsent 2000; versions 1.0 and 2.x). The modified ODI (Fritz & Irrgang 2001)
# asks about employment/homemaking in place of section 8.
ODI_SECTION_TOPICS: tuple[str, ...] = (
    "Pain intensity",
    "Personal care",
    "Lifting",
    "Walking",
    "Sitting",
    "Standing",
    "Sleeping",
    "Sex life (if applicable)",
    "Social life",
    "Travelling",
)
ODI_MODIFIED_TOPICS: dict[str, dict[int, str]] = {
    "modified": {8: "Employment/homemaking"}
}
# Upper bound of each band, in percent, and its label (Fairbank & Pynsent 2000).
ODI_BANDS: tuple[tuple[float, str, str], ...] = (
    (20, "minimal", "minimal disability"),
    (40, "moderate", "moderate disability"),
    (60, "severe", "severe disability"),
    (80, "crippling", "crippling back pain"),
    (100, "bed_bound", "bed-bound (or exaggerating symptoms)"),
)

ASLR_LEG_RANGE = (0, 5)  # 0 not difficult at all … 5 unable (Mens 2001)
ASLR_CITATION = "Mens 2001, Spine 26:1167–71"
# 0 vs ≥1 is the cut-off: Mens 2012 (catalogue_together.ASLR_CUTOFF_CITATION),
# studied in pregnancy-related pelvic girdle pain; the scale is Mens 2001.
ASLR_POSITIVE_FROM = 1

# The body chart reaches the foot: SIJ pain may refer below the knee.
PAIN_AREAS = (
    "low_back",
    "buttock",
    "groin",
    "hip",
    "posterior_thigh",
    "anterior_thigh",
    "knee",
    "lower_leg",
    "foot",
)
PAIN_REGIONS: tuple[str, ...] = (
    *(f"{side}_{area}" for side in ("left", "right") for area in PAIN_AREAS),
    "midline_sacrum",
)


# ---------------------------------------------------------------------------
# Red flags (docs/clinical-rules.md §6; the IFOMPT framework, Finucane 2020).
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RedFlag:
    """One screening question; cauda equina items raise the emergency banner."""

    id: str
    label: str
    cauda_equina: bool = False


RED_FLAGS: tuple[RedFlag, ...] = (
    # The cauda equina questions ask about new or worsening symptoms (§6).
    RedFlag("bladder", "new bladder dysfunction", cauda_equina=True),
    RedFlag("saddle_anaesthesia", "new saddle anaesthesia", cauda_equina=True),
    RedFlag("bowel", "new bowel dysfunction", cauda_equina=True),
    RedFlag("sexual", "new sexual dysfunction", cauda_equina=True),
    RedFlag(
        "progressive_weakness",
        "new or worsening leg weakness/numbness (bilateral or progressive)",
        cauda_equina=True,
    ),
    RedFlag("fever", "fever or signs of infection"),
    RedFlag("cancer_history", "history of cancer"),
    RedFlag("weight_loss", "unexplained weight loss"),
    RedFlag("trauma", "significant trauma"),
    RedFlag("osteoporosis_steroids", "osteoporosis or long-term steroids"),
    RedFlag(
        "inflammatory_back_pain",
        "inflammatory back pain (≥4 of 5 ASAS items; Sieper 2009)",
    ),
    RedFlag("pregnancy_postpartum", "pregnancy or postpartum"),
)
RED_FLAGS_BY_ID: dict[str, RedFlag] = {f.id: f for f in RED_FLAGS}
CAUDA_EQUINA_EMERGENCY = (
    "EMERGENCY — cauda equina red flag: same-day emergency referral and MRI "
    "(GIRFT cauda equina pathway; Finucane 2020, JOSPT 50:350–372)"
)
CAUDA_EQUINA_UNDOCUMENTED = "cauda equina screen not documented: "


# ---------------------------------------------------------------------------
# Positional findings (docs/clinical-rules.md §4; sources by pattern in alignment.py).
# ---------------------------------------------------------------------------

POSITIONAL_RELIABILITY_CAUTION = (
    "Palpatory positional findings — low reliability: inter-examiner κ typically "
    "< 0.3 and no reference standard (Riddle & Freburger 2002; Holmgren & Waling "
    "2008; Ribeiro 2021); the European pelvic girdle pain guideline does not "
    "recommend them (Vleeming 2008, Eur Spine J 17:794–819). Pain-provocation "
    "clusters are the evidence-supported method."
)
# A pattern is suggested only when this many recorded findings fit it and none
# contradicts it: a program choice (one landmark alone fits several patterns).
SUGGESTION_MIN_MATCHES = 2
