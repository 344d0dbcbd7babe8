"""What the note and the letter say of the findings read together (§8, §9).

The letter's bottom-line box (page 1), the headline and checks before signing, the
CMS checklist, the block status, the neuro and hip screens, and the patient's name
as a sentence says it. Every statement comes from `score_visit`; here it is only
worded and put in order.
"""

from __future__ import annotations

import unicodedata

from sijoint_exam.domain.block import BlockResult
from sijoint_exam.domain.catalogue_together import (
    ACKNOWLEDGED_CHECKS_TITLE,
    CHECKS_BY_ID,
    CMS_CRITERIA,
    CMS_CRITERIA_CITATION,
    CMS_STATUS,
    HIP_ITEMS,
    HIP_NOT_EXCLUDED,
    NEURO_GRADED_ITEMS,
    NEURO_SIDED_ITEMS,
    SIJ_SECONDARY_NOTE,
)
from sijoint_exam.domain.note_outline import (
    NOT_RECORDED,
    Block,
    Bullets,
    Facts,
    Section,
    Text,
    Tone,
    capitalised,
    words,
)
from sijoint_exam.domain.score import VisitScore
from sijoint_exam.domain.screens import PerSide
from sijoint_exam.domain.visit import Patient, Visit

BOTTOM_LINE = "Bottom line"

# ---------------------------------------------------------------------------
# The patient's name in a sentence.
# ---------------------------------------------------------------------------

# Scripts whose names are written family name first, without a comma.
_FAMILY_FIRST_SCRIPTS = ("HANGUL", "CJK", "HIRAGANA", "KATAKANA")


def _family_first(name: str) -> bool:
    return any(
        unicodedata.name(ch, "").startswith(_FAMILY_FIRST_SCRIPTS) for ch in name
    )


def natural_name(patient: Patient) -> str:
    """The name as a sentence says it: `Sungae Kim`; `김선애` for Hangul or CJK
    (family name first, no comma and no space, as those scripts write it)."""
    family, given = patient.family_name.strip(), patient.given_names.strip()
    if not given:
        return family
    if _family_first(family + given):
        return f"{family}{given}"
    return f"{given} {family}"


# ---------------------------------------------------------------------------
# Headline and checks.
# ---------------------------------------------------------------------------


def headline_blocks(score: VisitScore) -> tuple[Block, ...]:
    """The one headline; with a cauda equina flag, the SIJ result as secondary."""
    head = score.headline
    if head.is_emergency:
        return (
            Text(head.text, Tone.EMERGENCY),
            Text(f"{SIJ_SECONDARY_NOTE}: {score.cluster.summary}", Tone.MUTED),
        )
    return (Text(head.text, Tone.STRONG),)


def checks_blocks(
    score: VisitScore, acknowledged: tuple[str, ...], signed: bool
) -> tuple[Block, ...]:
    """Open checks (a draft), or those acknowledged at signing (a signed visit)."""
    if signed:
        if not acknowledged:
            return ()
        labels = "; ".join(CHECKS_BY_ID[c].label for c in acknowledged)
        return (Text(f"{ACKNOWLEDGED_CHECKS_TITLE}: {labels}", Tone.STRONG),)
    if not score.checks:
        return (Text("Checks before signing: none open", Tone.MUTED),)
    return (
        Text("Checks before signing (open):", Tone.STRONG),
        Bullets(tuple(CHECKS_BY_ID[c].label for c in score.checks)),
    )


# ---------------------------------------------------------------------------
# Blocks and the CMS checklist.
# ---------------------------------------------------------------------------


def block_status(score: VisitScore) -> str:
    """`none` / `single … positive` / `comparative … concordant`, with agreement."""
    blocks = score.blocks
    guided = [r for r in blocks.blocks if r.result is not BlockResult.UNGUIDED]
    unguided = len(blocks.blocks) - len(guided)
    blind = f"; {unguided} unguided, not read as diagnostic" if unguided else ""
    if not guided:
        return ("none" if not unguided else "no diagnostic block") + blind
    if blocks.comparative is not None:
        status = f"comparative pair — {words(blocks.comparative.value)}"
    else:
        status = f"single block — {blocks.overall.value if blocks.overall else '—'}"
    side = f" ({blocks.overall_side.value})" if blocks.overall_side else ""
    agreement = (
        "no comparison with the cluster"
        if score.agreement is None
        else f"beside the cluster: {words(score.agreement.value)}"
    )
    return f"{status}{side}; {agreement}{blind}"


def cms_lines(score: VisitScore) -> tuple[Block, ...]:
    """The CMS checklist as met / not met / not documented, never a blanket
    "criteria met" unless all six are."""
    states = score.cms_criteria
    rows = tuple((c.label, CMS_STATUS[states[c.id]]) for c in CMS_CRITERIA)
    if all(states[c.id] is True for c in CMS_CRITERIA):
        verdict = "All six CMS 2023 criteria are met."
    else:
        missing = sum(1 for c in CMS_CRITERIA if states[c.id] is not True)
        verdict = f"CMS 2023 criteria: {missing} of 6 not met or not documented."
    return (
        Text(f"{verdict} ({CMS_CRITERIA_CITATION})"),
        Facts(rows),
    )


# ---------------------------------------------------------------------------
# Neuro and hip screens.
# ---------------------------------------------------------------------------


def _per_side(finding: PerSide) -> str:
    return f"left {words(finding.left.value)}, right {words(finding.right.value)}"


def screen_blocks(visit: Visit, score: VisitScore) -> tuple[Block, ...]:
    """Both screens, item by item, with what the neuro screen suggests."""
    neuro, hip = visit.neuro_screen, visit.hip_screen
    reading = score.neuro_screen
    found: list[Block] = [
        Text(
            "Neuro screen: "
            + (NOT_RECORDED.lower() if reading is None else words(reading.value)),
            Tone.STRONG,
        )
    ]
    if not neuro.is_empty:
        found.append(
            Facts(
                (
                    *((name, _per_side(getattr(neuro, k)))
                      for k, name in NEURO_SIDED_ITEMS.items()),
                    *((name, capitalised(getattr(neuro, k).value))
                      for k, name in NEURO_GRADED_ITEMS.items()),
                )
            )
        )  # fmt: skip
    if hip.is_empty:
        found.append(Text("Hip screen: not recorded", Tone.MUTED))
    else:
        found.append(Text("Hip screen:"))
        found.append(
            Facts(
                tuple(
                    (name, _per_side(getattr(hip, k))) for k, name in HIP_ITEMS.items()
                )
            )
        )
    for side in score.hip_not_excluded:
        found.append(
            Text(f"{capitalised(HIP_NOT_EXCLUDED)} on the {side.value}: a positive "
                 "hip item beside a positive FABER", Tone.CAUTION)
        )  # fmt: skip
    return tuple(found)


# ---------------------------------------------------------------------------
# The letter's bottom-line box.
# ---------------------------------------------------------------------------


def bottom_line(
    visit: Visit, score: VisitScore, acknowledged: tuple[str, ...], signed: bool
) -> Section:
    """Page 1 of the letter: what the receiving spine physician reads first."""
    tally = score.cluster
    pooled = [c for c in tally.cautions if "Saueressig" in c]
    found: list[Block] = [*headline_blocks(score)]
    found.append(Text(tally.per_side_text))
    found.append(Text(tally.post_test_line))
    found += [Text(c, Tone.CAUTION) for c in pooled]
    if tally.centralised:
        found.append(Text(tally.cautions[0], Tone.CAUTION))
    found.append(Text(f"Diagnostic blocks: {block_status(score)}"))
    found += cms_lines(score)
    question = visit.referral.question.strip() or NOT_RECORDED
    found.append(Text(f"Question for you: {question}", Tone.STRONG))
    found += checks_blocks(score, acknowledged, signed)
    return Section(BOTTOM_LINE, tuple(found), boxed=True)
