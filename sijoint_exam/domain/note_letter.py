"""The sections of a referral letter to a spine or pain clinic (evidence §8.2).

The letter says what the visit note says, shorter, in the order a recipient reads:
the question first, then the history, red flags, findings, care so far, previous
injections, comorbidities and the impression with its probability caveat. The CMS
line appears only when the recorded findings meet the CMS 2023 test criterion.
"""

from __future__ import annotations

from sijoint_exam.domain import cluster
from sijoint_exam.domain.catalogue import PAIN_AREAS, RESULT_SHORT_LABELS, Result
from sijoint_exam.domain.note_findings import (
    block_title,
    impression_blocks,
    peak_text,
)
from sijoint_exam.domain.note_outline import (
    NOT_RECORDED,
    Block,
    BodyChart,
    Bullets,
    Facts,
    Section,
    Text,
    Tone,
    capitalised,
    nrs,
    or_not_recorded,
    words,
    yes_no,
)
from sijoint_exam.domain.note_sections import (
    CENTRALISATION,
    aslr_text,
    odi_text,
    onset_text,
    per_side_text,
    positional_blocks,
    provocation_rows,
    red_flag_blocks,
)
from sijoint_exam.domain.score import VisitScore
from sijoint_exam.domain.visit import Visit

# The rule whose tally decides the CMS line (clinical-rules.md §2).
CMS_RULE_ID = "cms_lcd_2023"
# Areas below the buttock: the leg symptoms a spine clinic asks about.
_LEG_AREAS = PAIN_AREAS[PAIN_AREAS.index("posterior_thigh") :]


def cms_line(visit: Visit) -> str | None:
    """One line when ≥ the CMS test threshold is positive; None otherwise.

    Only the provocation-test part of the CMS 2023 criteria is checked: duration,
    conservative care and the rest are the recipient's to judge, and the line says so.
    """
    result = cluster.evaluate(visit, CMS_RULE_ID)
    if result.decision is not cluster.Decision.POSITIVE:
        return None
    return (
        f"The recorded provocation tests meet the CMS 2023 test criterion: "
        f"{result.positive} of the {len(result.items)} listed tests positive, "
        f"{result.rule.threshold} needed ({result.rule.citation}). The other "
        f"coverage criteria are not assessed here."
    )


def _reason(visit: Visit) -> tuple[Block, ...]:
    r = visit.referral
    return (
        or_not_recorded(visit.chief_complaint),
        Text(f"Symptomatic side: {capitalised(visit.symptomatic_side.value)}"),
        Text(f"Question: {r.question or NOT_RECORDED}", Tone.STRONG),
    )


def _history(visit: Visit, score: VisitScore) -> tuple[Block, ...]:
    p = visit.pain
    regions = ", ".join(words(r) for r in p.regions) or "no region marked"
    legs = [r for r in p.regions if r.split("_", 1)[-1] in _LEG_AREAS]
    return (
        Facts(
            (
                ("Onset", onset_text(visit)),
                ("Mechanism", visit.history.mechanism or NOT_RECORDED),
                ("Pain location", regions),
                ("Leg symptoms", ", ".join(words(r) for r in legs) or "none marked"),
                (
                    "Pain NRS (0–10)",
                    f"now {nrs(p.now)}, best {nrs(p.best_24h)}, "
                    f"worst {nrs(p.worst_24h)} in the last 24 h",
                ),
                ("ODI", odi_text(visit, score)),
            )
        ),
        BodyChart(p.regions),
    )


def _tests(visit: Visit, score: VisitScore, result: Result) -> str:
    found = [
        test.name + ("" if side is None else f" {side.value}")
        for test, side, label, _ in provocation_rows(visit, score.cluster.rule)
        if label == RESULT_SHORT_LABELS[result]
    ]
    return "; ".join(found) or "none"


def _findings(visit: Visit, score: VisitScore) -> tuple[Block, ...]:
    result = score.cluster
    blocks: list[Block] = [
        Text("Provocation tests (positive: reproduces the familiar pain):"),
        Facts(
            (
                ("Positive", _tests(visit, score, Result.POSITIVE)),
                ("Other pain", _tests(visit, score, Result.POSITIVE_OTHER)),
                ("Negative", _tests(visit, score, Result.NEGATIVE)),
                ("Not tested", _tests(visit, score, Result.NOT_TESTED)),
            )
        ),
        Text(
            f"{result.rule.name}: {result.count_text} — {result.decision_text}",
            Tone.STRONG,
        ),
        Text(per_side_text(result)),
        Text(CENTRALISATION[visit.centralised]),
    ]
    if (line := cms_line(visit)) is not None:
        blocks.append(Text(line))
    blocks.append(Text(f"Active straight leg raise: {aslr_text(visit.aslr)}"))
    if positional := positional_blocks(visit, score):
        blocks += [Text("Positional findings:"), *positional]
    return tuple(blocks)


def _care(visit: Visit) -> tuple[Block, ...]:
    h = visit.history
    return (
        Facts(
            (
                ("Treatment", h.conservative_care or NOT_RECORDED),
                ("Medications", h.medications or NOT_RECORDED),
            )
        ),
    )


def _injections(visit: Visit, score: VisitScore) -> tuple[Block, ...]:
    blocks: list[Block] = [Text(f"Imaging: {visit.history.imaging or NOT_RECORDED}")]
    if not score.blocks.blocks:
        blocks.append(Text("Previous diagnostic blocks: none recorded", Tone.MUTED))
    for reading in score.blocks.blocks:
        b = reading.block
        guidance = f", {b.guidance.value}" if b.guidance else ""
        title = f"{block_title(reading)}, {b.agent.value}{guidance}"
        blocks.append(Text(f"{title}: {peak_text(reading)}"))
        if reading.cautions:
            blocks.append(Bullets(reading.cautions))
    if score.blocks.comparative is not None:
        blocks.append(
            Text(f"Comparative blocks: {words(score.blocks.comparative.value)}")
        )
        if score.blocks.comparative_cautions:
            blocks.append(Bullets(score.blocks.comparative_cautions))
    return tuple(blocks)


def _comorbidities(visit: Visit) -> tuple[Block, ...]:
    h = visit.history
    return (
        Facts(
            (
                ("Anticoagulation", yes_no(h.anticoagulation)),
                ("Contrast allergy", yes_no(h.contrast_allergy)),
                ("Pregnant", yes_no(h.pregnant)),
            )
        ),
    )


def letter(visit: Visit, score: VisitScore, patient_name: str) -> tuple[Section, ...]:
    """The letter's sections, top to bottom, after the address block."""
    referral = visit.referral
    copies = ", ".join(referral.copies) or "none"
    impression = impression_blocks(score)
    if visit.assessment.strip():
        impression += (Text(visit.assessment),)
    opening = (
        Text("Dear colleague,"),
        Text(
            f"Thank you for seeing {patient_name}, whom I examined on "
            f"{visit.date.isoformat()}."
        ),
    )
    closing = (Text("Yours sincerely,"), Text(visit.clinician or NOT_RECORDED))
    return (
        Section("", opening),
        Section("Reason for referral", _reason(visit)),
        Section("History", _history(visit, score)),
        Section("Red-flag screen", red_flag_blocks(score)),
        Section("Examination findings", _findings(visit, score)),
        Section("Conservative care to date", _care(visit)),
        Section("Imaging and previous injections", _injections(visit, score)),
        Section("Relevant comorbidities", _comorbidities(visit)),
        Section("Impression", impression),
        Section("Requested", (or_not_recorded(referral.question),)),
        Section("", closing),
        Section("Copies", (Text(copies),)),
    )
