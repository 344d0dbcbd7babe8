"""Reading the findings together (clinical-rules.md §3 agreement, §8, §9).

Each finding is computed on its own by `cluster`, `block`, `outcomes` and `screens`;
this module reads them side by side so that nothing the program shows contradicts
the exam: the block beside the cluster, the one headline with its precedence, the
checks before signing, and the CMS 2023 checklist.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sijoint_exam.domain import cluster
from sijoint_exam.domain.block import (
    BlockResult,
    BlockSide,
    BlocksReading,
    Comparative,
    Guidance,
)
from sijoint_exam.domain.catalogue import Side, SymptomaticSide
from sijoint_exam.domain.catalogue_together import (
    BELOW_KNEE_AREAS,
    CHECKS,
    CMS_CONSERVATIVE_CARE_WEEKS,
    CMS_CRITERIA,
    CMS_DURATION_DAYS,
    CMS_RELIEF_PERCENT,
    HEADLINE_CAUDA_EQUINA,
    HEADLINE_CENTRALISED,
)
from sijoint_exam.domain.outcomes import RedFlagScreen
from sijoint_exam.domain.screens import NeuroReading
from sijoint_exam.domain.visit import Urgency, Visit

CMS_RULE_ID = "cms_lcd_2023"

# ---------------------------------------------------------------------------
# The block beside the cluster (§3).
# ---------------------------------------------------------------------------


class Agreement(StrEnum):
    """The block result beside the cluster result."""

    AGREE = "agree"
    DISAGREE = "disagree"
    NOT_COMPARABLE = "not_comparable"  # the block was on the other joint


_ONE_SIDED = (SymptomaticSide.LEFT.value, SymptomaticSide.RIGHT.value)


def block_on_other_side(blocks: BlocksReading, symptomatic: SymptomaticSide) -> bool:
    """The block set beside the cluster is one-sided, on the other side than
    one-sided symptoms (a bilateral block compares with either)."""
    side = blocks.overall_side
    return (
        side is not None
        and side is not BlockSide.BILATERAL
        and symptomatic.value in _ONE_SIDED
        and side.value != symptomatic.value
    )


def agreement(
    blocks: BlocksReading, tally: cluster.ClusterResult, symptomatic: SymptomaticSide
) -> Agreement | None:
    """`agree` / `disagree` / `not_comparable`; None when either result is missing
    or incomplete, or the cluster is not interpretable."""
    if blocks.overall not in (BlockResult.POSITIVE, BlockResult.NEGATIVE):
        return None
    if not tally.interpretable or tally.decision is cluster.Decision.INCOMPLETE:
        return None
    if block_on_other_side(blocks, symptomatic):
        return Agreement.NOT_COMPARABLE
    same = (blocks.overall is BlockResult.POSITIVE) == (
        tally.decision is cluster.Decision.POSITIVE
    )
    return Agreement.AGREE if same else Agreement.DISAGREE


# ---------------------------------------------------------------------------
# The headline (§8).
# ---------------------------------------------------------------------------


class HeadlineKind(StrEnum):
    """What the visit's one headline is, in order of precedence."""

    CAUDA_EQUINA = "cauda_equina"
    CENTRALISED = "centralised"
    CLUSTER_POSITIVE = "cluster_positive"
    CLUSTER_NEGATIVE = "cluster_negative"
    CLUSTER_INCOMPLETE = "cluster_incomplete"


@dataclass(frozen=True)
class Headline:
    """The one line the form, the note, the letter and `score` lead with."""

    kind: HeadlineKind
    sides: tuple[Side, ...]  # the sides whose side cluster is positive, left first
    text: str

    @property
    def is_emergency(self) -> bool:
        return self.kind is HeadlineKind.CAUDA_EQUINA


_DECISION_KIND = {
    cluster.Decision.POSITIVE: HeadlineKind.CLUSTER_POSITIVE,
    cluster.Decision.NEGATIVE: HeadlineKind.CLUSTER_NEGATIVE,
    cluster.Decision.INCOMPLETE: HeadlineKind.CLUSTER_INCOMPLETE,
}


def _cluster_headline(tally: cluster.ClusterResult) -> str:
    """`3 of 5 positive on the left — consistent with SIJ pain (van der Wurff 2006)`;
    both joints named when both are positive."""
    positive = tally.positive_sides
    if len(positive) == 2:
        counts = " and ".join(
            f"{tally.sides[s].positive} of {len(tally.items)} positive on the {s}"
            for s in positive
        )
        return f"{counts} — {tally.decision_text} ({tally.rule.short_citation})"
    return tally.summary


def headline(tally: cluster.ClusterResult, red_flags: RedFlagScreen) -> Headline:
    """The first that applies: cauda equina, centralised, the cluster (§8)."""
    sides = tally.positive_sides
    if red_flags.emergency:
        return Headline(HeadlineKind.CAUDA_EQUINA, sides, HEADLINE_CAUDA_EQUINA)
    if tally.centralised:
        return Headline(HeadlineKind.CENTRALISED, sides, HEADLINE_CENTRALISED)
    return Headline(_DECISION_KIND[tally.decision], sides, _cluster_headline(tally))


# ---------------------------------------------------------------------------
# Checks before signing (§8).
# ---------------------------------------------------------------------------


def _below_knee(visit: Visit) -> bool:
    """A region at or below the knee is marked (`left_lower_leg` -> `lower_leg`)."""
    return any(r.split("_", 1)[-1] in BELOW_KNEE_AREAS for r in visit.pain.regions)


def open_checks(
    visit: Visit,
    tally: cluster.ClusterResult,
    blocks: BlocksReading,
    red_flags: RedFlagScreen,
    neuro: NeuroReading | None,
) -> tuple[str, ...]:
    """The ids of the open checks, in the order of §8."""
    referral = visit.referral
    found = {
        "cauda_equina_urgency": red_flags.emergency
        and bool(referral.recipient.strip() or referral.question.strip())
        and referral.urgency is not Urgency.EMERGENCY,
        "centralised_positive_cluster": tally.centralised
        and tally.decision is cluster.Decision.POSITIVE,
        "block_side_mismatch": block_on_other_side(blocks, visit.symptomatic_side),
        "unguided_block": any(b.guidance is Guidance.NONE for b in visit.blocks),
        "steroid_comparative": blocks.comparative is Comparative.STEROID_CONFOUNDED,
        "radiculopathy_screen_missing": _below_knee(visit) and neuro is None,
    }
    return tuple(check.id for check in CHECKS if found[check.id])


# ---------------------------------------------------------------------------
# The CMS 2023 checklist (§8).
# ---------------------------------------------------------------------------


def _image_guided(visit: Visit) -> bool | None:
    if not visit.blocks:
        return None
    ultrasound_allowed = (
        visit.history.contrast_allergy is True or visit.history.pregnant is True
    )
    for block in visit.blocks:
        if block.guidance is Guidance.NONE:
            return False
        if block.guidance is Guidance.ULTRASOUND and not ultrasound_allowed:
            return False
    if any(block.guidance is None for block in visit.blocks):
        return None
    return True


def _decided(decision: cluster.Decision) -> bool | None:
    return {
        cluster.Decision.POSITIVE: True,
        cluster.Decision.NEGATIVE: False,
    }.get(decision)


def cms_criteria(
    visit: Visit, blocks: BlocksReading, neuro: NeuroReading | None
) -> dict[str, bool | None]:
    """Each CMS criterion met (True), not met (False) or not documented (None)."""
    onset = visit.history.onset
    weeks = visit.history.conservative_care_weeks
    relief: bool | None = None
    if blocks.overall in (BlockResult.POSITIVE, BlockResult.NEGATIVE):
        relief = (
            blocks.overall is BlockResult.POSITIVE
            and visit.scoring.block_threshold_percent >= CMS_RELIEF_PERCENT
        )
    found: dict[str, bool | None] = {
        "duration_3_months": None
        if onset is None
        else (visit.date - onset).days >= CMS_DURATION_DAYS,
        "conservative_care_4_weeks": None
        if weeks is None
        else weeks >= CMS_CONSERVATIVE_CARE_WEEKS,
        "no_radiculopathy": None
        if neuro is None
        else neuro is NeuroReading.SUGGESTS_NONE,
        "provocation_3_of_6": _decided(cluster.evaluate(visit, CMS_RULE_ID).decision),
        "image_guided_block": _image_guided(visit),
        "block_relief_75": relief,
    }
    return {criterion.id: found[criterion.id] for criterion in CMS_CRITERIA}


# ---------------------------------------------------------------------------
# A letter that must not leave while a cauda equina flag is open (§8).
# ---------------------------------------------------------------------------

LETTER_REFUSED_CAUDA_EQUINA = (
    "The referral urgency is not 'emergency' while a cauda equina flag is open: "
    "set the urgency to emergency, or sign the visit acknowledging this check."
)


def letter_refusal(
    checks: tuple[str, ...], acknowledged: tuple[str, ...]
) -> str | None:
    """Why the referral letter may not be exported, or None when it may."""
    check = "cauda_equina_urgency"
    if check in checks and check not in acknowledged:
        return LETTER_REFUSED_CAUDA_EQUINA
    return None
