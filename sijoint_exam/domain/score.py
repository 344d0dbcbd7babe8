"""Score a visit: every derived result at once, as visit-format.md's JSON or as text.

`score_visit` gathers the cluster tally, the block readings, the outcome measures and
the red-flag screen; `score_to_json` is the `score --json` contract of visit-format.md,
key for key; `score_to_text` says the same for a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sijoint_exam.domain import cluster
from sijoint_exam.domain.alignment import Suggestion, suggest_patterns
from sijoint_exam.domain.block import (
    BlockReading,
    BlocksReading,
    read_blocks,
    relief_text,
    window_phrase,
)
from sijoint_exam.domain.catalogue import BLOCK_THRESHOLD_CITATIONS, TESTS_BY_ID, Side
from sijoint_exam.domain.catalogue_measures import (
    CAUDA_EQUINA_EMERGENCY,
    POSITIONAL_RELIABILITY_CAUTION,
    RED_FLAGS_BY_ID,
)
from sijoint_exam.domain.catalogue_together import (
    CHECKS_BY_ID,
    CMS_CRITERIA,
    CMS_CRITERIA_CITATION,
    CMS_STATUS,
    HIP_NOT_EXCLUDED,
    SIJ_SECONDARY_NOTE,
)
from sijoint_exam.domain.outcomes import (
    OdiScore,
    RedFlagScreen,
    odi_score,
    screen_red_flags,
)
from sijoint_exam.domain.screens import (
    NeuroReading,
    hip_not_excluded_sides,
    read_neuro_screen,
)
from sijoint_exam.domain.together import (
    Agreement,
    Headline,
    agreement,
    cms_criteria,
    headline,
    open_checks,
)
from sijoint_exam.domain.visit import Patient, Visit


@dataclass(frozen=True)
class VisitScore:
    """Everything the rules derive from one visit."""

    visit: Visit
    cluster: cluster.ClusterResult
    blocks: BlocksReading
    agreement: Agreement | None  # the block result beside the cluster result
    odi: OdiScore | None  # None: no ODI recorded
    red_flags: RedFlagScreen
    suggestions: tuple[Suggestion, ...]
    headline: Headline
    checks: tuple[str, ...]  # open checks before signing, ids in §8's order
    cms_criteria: dict[str, bool | None]
    neuro_screen: NeuroReading | None  # None: not recorded
    hip_not_excluded: tuple[Side, ...]  # a positive hip item beside a positive FABER


def score_visit(visit: Visit) -> VisitScore:
    """Read a (valid) visit with the settings stored in it, findings together."""
    tally = cluster.evaluate(visit)
    scoring = visit.scoring
    blocks = read_blocks(
        visit.blocks, scoring.block_threshold_percent, scoring.agent_window_hours
    )
    red_flags = screen_red_flags(visit.red_flags)
    neuro = read_neuro_screen(visit.neuro_screen)
    faber = visit.finding("faber")
    return VisitScore(
        visit=visit,
        cluster=tally,
        blocks=blocks,
        agreement=agreement(blocks, tally, visit.symptomatic_side),
        odi=None if visit.odi.is_empty else odi_score(visit.odi),
        red_flags=red_flags,
        suggestions=suggest_patterns(visit.alignment),
        headline=headline(tally, red_flags),
        checks=open_checks(visit, tally, blocks, red_flags, neuro),
        cms_criteria=cms_criteria(visit, blocks, neuro),
        neuro_screen=neuro,
        hip_not_excluded=hip_not_excluded_sides(
            visit.hip_screen, faber.left, faber.right
        ),
    )


# ---------------------------------------------------------------------------
# JSON: the contract of visit-format.md, "Scoring output".
# ---------------------------------------------------------------------------


def _fraction(probability: float | None) -> float | None:
    """Probabilities in `score --json` are fractions to 3 decimals (§2)."""
    return None if probability is None else round(probability, 3)


def _cluster_json(tally: cluster.ClusterResult) -> dict[str, Any]:
    band = tally.post_test_range
    return {
        "rule": tally.rule.id,
        "threshold": tally.rule.threshold,
        "positive": tally.positive,
        "negative": tally.negative,
        "untested": tally.untested,
        "result": tally.decision.value,
        "items": {item.key: state.value for item, state in tally.items},
        "per_side": {side.value: tally.per_side[side] for side in Side},
        "sides": {
            side.value: {
                "positive": one.positive,
                "negative": one.negative,
                "untested": one.untested,
                "result": one.decision.value,
            }
            for side, one in tally.sides.items()
        },
        "post_test_probability": _fraction(tally.post_test_probability),
        "post_test_interval": None
        if band is None
        else [_fraction(band.lower), _fraction(band.upper)],
        "likelihood_ratio": tally.likelihood_ratio,
        "cautions": list(tally.cautions),
    }


def _block_json(reading: BlockReading) -> dict[str, Any]:
    return {
        "number": reading.block.number,
        "peak_relief_percent": reading.peak_relief_percent,
        "threshold_percent": reading.threshold_percent,
        "result": reading.result.value,
        "cautions": list(reading.cautions),
    }


def score_to_json(score: VisitScore) -> dict[str, Any]:
    """The `score --json` object, key for key as visit-format.md prints it."""
    odi = score.odi
    comparative = score.blocks.comparative
    return {
        "headline": {
            "kind": score.headline.kind.value,
            "sides": [side.value for side in score.headline.sides],
        },
        "cluster": _cluster_json(score.cluster),
        "blocks": [_block_json(r) for r in score.blocks.blocks],
        "comparative": None if comparative is None else comparative.value,
        "odi": None
        if odi is None
        else {"percent": odi.percent, "band": odi.band, "answered": odi.answered},
        "aslr_total": score.visit.aslr.total,
        "red_flags": {
            "emergency": score.red_flags.emergency,
            "undocumented": list(score.red_flags.undocumented),
        },
        "block_agreement": None if score.agreement is None else score.agreement.value,
        "checks": list(score.checks),
        "cms_criteria": dict(score.cms_criteria),
        "neuro_screen": None
        if score.neuro_screen is None
        else score.neuro_screen.value,
    }


# ---------------------------------------------------------------------------
# Text: the same for a person.
# ---------------------------------------------------------------------------


def _words(value: str) -> str:
    return value.replace("_", " ")


def _cluster_lines(tally: cluster.ClusterResult) -> list[str]:
    items = "; ".join(
        f"{TESTS_BY_ID[item.test_id].name}"
        + (f" {item.side.value}" if item.side else "")
        + f": {state.value}"
        for item, state in tally.items
    )
    return [
        f"Cluster, {tally.rule.name}: {tally.summary}",
        f"  {items}",
        f"  {tally.per_side_text}",
        f"  {tally.post_test_line}",
        *(f"  Caution: {c}" for c in tally.cautions),
    ]


def _block_lines(score: VisitScore) -> list[str]:
    blocks = score.blocks
    if not blocks.blocks:
        return ["Blocks: none recorded"]
    threshold = score.visit.scoring.block_threshold_percent
    source = BLOCK_THRESHOLD_CITATIONS.get(threshold, "")
    lines = [f"Blocks (threshold {threshold}%; {source}):"]
    for r in blocks.blocks:
        b = r.block
        peak = (
            "no reading in the window"
            if r.peak_relief_percent is None
            else f"peak {relief_text(r.peak_relief_percent)} "
            f"({window_phrase(r.window_minutes)})"
        )
        lines.append(
            f"  Block {b.number}, {b.date}, {b.side.value}, {b.agent.value}: "
            f"{peak} — {r.result.value}"
        )
        lines += [f"    Caution: {c}" for c in r.cautions]
    comparative = blocks.comparative
    lines.append(
        "  Comparative blocks: "
        + ("no pair" if comparative is None else _words(comparative.value))
    )
    lines += [f"    Caution: {c}" for c in blocks.comparative_cautions]
    verdict = "no comparison" if score.agreement is None else score.agreement.value
    lines.append(f"  Block and cluster: {verdict}")
    return lines


def _outcome_lines(score: VisitScore) -> list[str]:
    visit = score.visit
    pain, aslr = visit.pain, visit.aslr

    def nrs(value: int | None) -> str:
        return "—" if value is None else str(value)

    regions = ", ".join(_words(r) for r in pain.regions) or "none recorded"
    odi = (
        "ODI: not recorded"
        if score.odi is None
        else f"ODI {visit.odi.version}: {score.odi.text}"
    )
    total = "—" if aslr.total is None else str(aslr.total)
    return [
        f"Pain NRS: now {nrs(pain.now)}, best {nrs(pain.best_24h)}, "
        f"worst {nrs(pain.worst_24h)} (last 24 h); regions: {regions}",
        odi,
        f"ASLR: left {nrs(aslr.left)}, right {nrs(aslr.right)}, total {total}",
    ]


def _red_flag_lines(screen: RedFlagScreen) -> list[str]:
    def labels(ids: tuple[str, ...]) -> str:
        return ", ".join(RED_FLAGS_BY_ID[i].label for i in ids)

    lines = []
    if screen.emergency:
        yes = labels(screen.cauda_equina_yes)
        lines.append(f"Red flags: cauda equina items answered yes: {yes}")
    else:
        lines.append("Red flags: no cauda equina item answered yes")
    if screen.undocumented_text:
        lines.append(f"  {screen.undocumented_text}")
    if screen.other_yes:
        lines.append(f"  Also answered yes: {labels(screen.other_yes)}")
    return lines


def _alignment_lines(score: VisitScore) -> list[str]:
    alignment = score.visit.alignment
    if alignment.is_empty:
        return []
    chosen = ", ".join(
        _words(p.pattern.value) + (f" ({p.side.value})" if p.side else "")
        for p in alignment.patterns
    )
    return [
        f"Positional findings: {chosen or 'no pattern chosen'}",
        *(f"  Consistent with the findings: {s.text}" for s in score.suggestions),
        f"  Caution: {POSITIONAL_RELIABILITY_CAUTION}",
    ]


def _together_lines(score: VisitScore) -> list[str]:
    """The open checks, the CMS checklist and the screens (§8, §9)."""
    lines = [
        "Checks before signing: "
        + ("; ".join(CHECKS_BY_ID[c].label for c in score.checks) or "none open")
    ]
    lines.append(f"CMS 2023 checklist ({CMS_CRITERIA_CITATION}):")
    lines += [
        f"  {c.label}: {CMS_STATUS[score.cms_criteria[c.id]]}" for c in CMS_CRITERIA
    ]
    neuro = score.neuro_screen
    lines.append(
        "Neuro screen: " + ("not recorded" if neuro is None else _words(neuro.value))
    )
    for side in score.hip_not_excluded:
        lines.append(f"Hip screen: {HIP_NOT_EXCLUDED} ({side.value}, beside FABER)")
    return lines


def score_to_text(score: VisitScore, patient: Patient | None = None) -> str:
    """The score for a person: the headline first, then each section."""
    lines = []
    if score.red_flags.emergency:
        lines.append(CAUDA_EQUINA_EMERGENCY)
    visit = score.visit
    who = f" — {patient.display_name} ({patient.mrn})" if patient else ""
    lines.append(f"Visit {visit.date}{who}")
    lines.append(f"Headline: {score.headline.text}")
    if score.headline.is_emergency:
        lines.append(f"  {SIJ_SECONDARY_NOTE}")
    lines += _cluster_lines(score.cluster)
    lines += _block_lines(score)
    lines += _outcome_lines(score)
    lines += _red_flag_lines(score.red_flags)
    lines += _alignment_lines(score)
    lines += _together_lines(score)
    return "\n".join(lines) + "\n"
