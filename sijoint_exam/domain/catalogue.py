"""The provocation tests and cluster rule sets, as data, each with its source.

Every threshold and accuracy figure the program shows lives here, with its citation
(docs/clinical-rules.md says what each is used for).
Adding a test or a rule set here adds it to the form, the note and the export.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Result(StrEnum):
    """The outcome of one provocation test (on one side, for a lateral test)."""

    POSITIVE = "positive"  # reproduces the familiar pain: the only value that counts
    POSITIVE_OTHER = "positive_other"  # pain, but not the familiar pain
    NEGATIVE = "negative"
    NOT_TESTED = "not_tested"
    UNABLE = "unable"  # contraindicated or not tolerated


RESULT_LABELS: dict[Result, str] = {
    Result.POSITIVE: "Positive (familiar pain)",
    Result.POSITIVE_OTHER: "Positive (other pain)",
    Result.NEGATIVE: "Negative",
    Result.NOT_TESTED: "Not tested",
    Result.UNABLE: "Unable / contraindicated",
}

# Short labels for tables where space is scarce (form buttons, the PDF test table).
RESULT_SHORT_LABELS: dict[Result, str] = {
    Result.POSITIVE: "Positive",
    Result.POSITIVE_OTHER: "Other pain",
    Result.NEGATIVE: "Negative",
    Result.NOT_TESTED: "Not tested",
    Result.UNABLE: "Unable",
}


class Side(StrEnum):
    """A body side, for lateral tests."""

    LEFT = "left"
    RIGHT = "right"


class PainSide(StrEnum):
    """Where the pain of a non-lateral test was felt."""

    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"


class SymptomaticSide(StrEnum):
    """The side of the patient's symptoms; it picks the tally side of lateral tests."""

    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ProvocationTest:
    """One SIJ pain-provocation test as the catalogue knows it."""

    id: str
    name: str
    lateral: bool
    hint: str  # what the clinician records, shown as a tooltip and in the note
    # The side the patient lies on is part of the finding (compression).
    records_lying_side: bool = False


@dataclass(frozen=True)
class ClusterItem:
    """One item of a cluster rule: a test, or a test on a named side (Laslett's six)."""

    test_id: str
    side: Side | None = None

    @property
    def key(self) -> str:
        """A stable id: `gaenslen.right` for a sided item, else the test id."""
        return f"{self.test_id}.{self.side}" if self.side else self.test_id


@dataclass(frozen=True)
class RuleSet:
    """A published cluster rule: its items, how many must be positive, accuracy."""

    id: str
    name: str
    items: tuple[ClusterItem, ...]
    threshold: int
    sensitivity: float | None
    specificity: float | None
    lr_positive: float | None
    lr_negative: float | None
    citation: str
    # Said when every item was tested and all were negative (Laslett 2005 only).
    all_negative_statement: str | None = None

    @property
    def short_citation(self) -> str:
        """Author and year, as shown beside the result."""
        return self.citation.split(",")[0]


PROVOCATION_TESTS: tuple[ProvocationTest, ...] = (
    ProvocationTest(
        "distraction",
        "Distraction",
        lateral=False,
        hint="One result; record where the pain is felt (left, right, bilateral).",
    ),
    ProvocationTest(
        "thigh_thrust",
        "Thigh thrust (P4)",
        lateral=True,
        hint="Per side. Most sensitive single test (Laslett 2005: Sn 0.88, Sp 0.69).",
    ),
    ProvocationTest(
        "compression",
        "Compression",
        lateral=False,
        hint="One result; record the side the patient lies on.",
        records_lying_side=True,
    ),
    ProvocationTest(
        "sacral_thrust",
        "Sacral thrust",
        lateral=False,
        hint="One result, midline. Counts in the Laslett 2005 rules.",
    ),
    ProvocationTest(
        "faber",
        "FABER (Patrick)",
        lateral=True,
        hint="Per side. Posterior (SIJ) familiar pain counts; groin pain points to "
        "the hip: record it as 'other pain'.",
    ),
    ProvocationTest(
        "gaenslen",
        "Gaenslen",
        lateral=True,
        hint="Per side: the side of the hip held in extension (the hanging leg).",
    ),
    ProvocationTest(
        "yeoman",
        "Yeoman",
        lateral=True,
        hint="Per side. Listed among the CMS 2023 qualifying manoeuvres.",
    ),
)

TESTS_BY_ID: dict[str, ProvocationTest] = {t.id: t for t in PROVOCATION_TESTS}


def _items(*keys: str) -> tuple[ClusterItem, ...]:
    """Build cluster items from `test` or `test.side` keys."""
    items = []
    for key in keys:
        test_id, _, side = key.partition(".")
        items.append(ClusterItem(test_id, Side(side) if side else None))
    return tuple(items)


RULE_SETS: tuple[RuleSet, ...] = (
    # van der Wurff 2006: 27 block responders (23 test-positive), 33 non-responders
    # (26 test-negative): Sn 23/27, Sp 26/33; LR+ 4.02, LR- 0.19 as published.
    RuleSet(
        id="vanderwurff_2006",
        name="Three of five (van der Wurff 2006)",
        items=_items("distraction", "thigh_thrust", "compression", "faber", "gaenslen"),
        threshold=3,
        sensitivity=0.85,
        specificity=0.79,
        lr_positive=4.02,
        lr_negative=0.19,
        citation="van der Wurff 2006, Arch Phys Med Rehabil 87:10–14",
    ),
    # Laslett 2005 six-test composite: Gaenslen right and left are two items.
    RuleSet(
        id="laslett_2005_six",
        name="Three of six (Laslett 2005)",
        items=_items(
            "distraction",
            "thigh_thrust",
            "compression",
            "sacral_thrust",
            "gaenslen.right",
            "gaenslen.left",
        ),
        threshold=3,
        sensitivity=0.94,
        specificity=0.78,
        lr_positive=4.27,
        lr_negative=0.08,
        citation="Laslett 2005, Man Ther 10:207–218",
        # Laslett 2005: every block-positive patient had at least one positive test.
        all_negative_statement="all negative — SIJ unlikely to be the source",
    ),
    RuleSet(
        id="laslett_2005_four",
        name="Two of four (Laslett 2005)",
        items=_items("distraction", "thigh_thrust", "compression", "sacral_thrust"),
        threshold=2,
        sensitivity=0.88,
        specificity=0.78,
        lr_positive=4.00,
        lr_negative=0.15,
        citation="Laslett 2005, Man Ther 10:207–218",
    ),
    # A coverage criterion, not an accuracy study: no Sn/Sp/LR, so no post-test figure.
    RuleSet(
        id="cms_lcd_2023",
        name="CMS 2023 (three of six)",
        items=_items(
            "faber", "gaenslen", "thigh_thrust", "compression", "distraction", "yeoman"
        ),
        threshold=3,
        sensitivity=None,
        specificity=None,
        lr_positive=None,
        lr_negative=None,
        citation="CMS LCD L39402 et al., 2023",
    ),
)

RULES_BY_ID: dict[str, RuleSet] = {r.id: r for r in RULE_SETS}
DEFAULT_RULE_ID = "vanderwurff_2006"

# Pretest probability of SIJ pain: a setting. 20% is mid-range of the 13–30%
# reported for chronic low back pain (Laslett 2008; Simopoulos 2012), as
# Saueressig 2021.
DEFAULT_PRETEST_PROBABILITY = 0.20
PRETEST_PROBABILITY_RANGE = (0.01, 0.99)

# Diagnostic block relief threshold (%): CMS 2023 uses 75%; the others are in use too.
DEFAULT_BLOCK_THRESHOLD_PERCENT = 75
BLOCK_THRESHOLD_CHOICES = (50, 75, 80, 90, 100)


@dataclass(frozen=True)
class PooledEvidence:
    """A pooled figure shown as a caution beside every cluster result."""

    lr_positive: float
    lr_negative: float
    citation: str


# Saueressig 2021 meta-analysis of clusters: clusters rule out better than they rule in.
POOLED_CLUSTER_EVIDENCE = PooledEvidence(
    lr_positive=2.13,
    lr_negative=0.33,
    citation="Saueressig 2021, JOSPT 51(9):422–431",
)

CENTRALISATION_CAUTION = (
    "pain centralised — probably discogenic; positive SIJ tests should be "
    "disregarded (Laslett 2003)"
)

# The program supports reasoning; it never states a diagnosis (clinical-rules.md).
CLUSTER_POSITIVE_STATEMENT = "cluster positive — consistent with SIJ pain"


# ---------------------------------------------------------------------------
# Diagnostic blocks (docs/clinical-rules.md §3).
# ---------------------------------------------------------------------------


class Agent(StrEnum):
    """The local anaesthetic of a diagnostic block."""

    LIDOCAINE = "lidocaine"
    BUPIVACAINE = "bupivacaine"
    ROPIVACAINE = "ropivacaine"
    OTHER = "other"


class AgentClass(StrEnum):
    """Short- or long-acting: what makes two blocks a comparative pair."""

    SHORT_ACTING = "short_acting"
    LONG_ACTING = "long_acting"


# Lidocaine short-acting, bupivacaine long-acting (Barnsley 1993, qualitative);
# ropivacaine is long-acting by the same rule. `other` has no class: no pair.
AGENT_CLASS: dict[Agent, AgentClass] = {
    Agent.LIDOCAINE: AgentClass.SHORT_ACTING,
    Agent.BUPIVACAINE: AgentClass.LONG_ACTING,
    Agent.ROPIVACAINE: AgentClass.LONG_ACTING,
}

# Readings count toward the peak only inside the agent's window, in whole hours after
# the block. The hours are typical durations of action, tagged [U] in the evidence, so
# they are settings stored with each visit (Scoring.agent_window_hours); these are the
# defaults. `other` is left out on purpose: an unnamed agent has no known duration of
# action, so every reading counts for it (clinical-rules.md §3) and it has no setting.
DEFAULT_AGENT_WINDOW_HOURS: dict[Agent, int] = {
    Agent.LIDOCAINE: 2,
    Agent.BUPIVACAINE: 8,
    Agent.ROPIVACAINE: 8,
}
# What the window setting accepts: a plausibility bound of ours, not an evidence
# figure. Whole hours, as clinical-rules.md states the windows; at most a day, well
# past bupivacaine's typical 3–8 h (AGENT_WINDOW_CITATION), since relief read later
# reflects something other than the local anaesthetic (e.g. an added steroid).
AGENT_WINDOW_HOURS_RANGE = (1, 24)
AGENT_WINDOW_CITATION = (
    "typical duration of action: lidocaine about 1–2 h, bupivacaine about 3–8 h "
    "(typical values, unconfirmed by a primary source; a setting); short vs long "
    "acting: Barnsley 1993, Pain 55:99–106"
)

# Where each relief threshold comes from (each source named beside its threshold).
BLOCK_THRESHOLD_CITATIONS: dict[int, str] = {
    50: "Polly 2016, Int J Spine Surg 10:4",
    75: "CMS LCD L39402 et al., 2023",
    80: "Laslett 2005 (commonly attributed); Surgical Science 2015 audit",
    90: "Dreyfuss 1996, Spine 21:2594–602",
    100: "IASP criteria, Merskey & Bogduk 1994",
}

# NRS immediately before the block: 0 is refused, % relief is undefined.
BLOCK_PRE_NRS_RANGE = (1, 10)
PATIENT_PERCENT_RANGE = (0, 100)

# Shown once per visit beside a positive block no pair confirms (revised 2026-12-07):
# "not confirmed by a second block" is not a false-positive rate, so the two are apart.
SINGLE_BLOCK_CAUTION = (
    "a single positive block is not confirmed by a second block in 12.5–47% "
    "(Surgical Science 2015 audit; Maigne 1996, Spine 21:1889–92, 9 of 19); "
    "single uncontrolled blocks: 20% false positive (McKenzie-Brown 2005, "
    "Pain Physician 8:115–125)"
)
STEROID_CAUTION = (
    "steroid added — the duration of relief reflects the steroid (expected effect "
    "about 12 weeks; NGS Medicare FAQ), not the local anaesthetic"
)
DURATION_CONCORDANCE_CAUTION = (
    "duration-based concordance is questioned: lidocaine and bupivacaine relief "
    "lasted alike in 150 diaries (Interv Pain Med 2022, doi 10.1016/"
    "j.inpm.2022.100083)"
)
