"""The sections of a referral letter to a spine or pain clinic (evidence §8.2).

The letter says what the visit note says, shorter, in the order a recipient reads:
the question first, then the history, red flags, findings, care so far, previous
injections, comorbidities and the impression with its probability caveat. The CMS
line appears only when the recorded findings meet the CMS 2023 test criterion.
"""

from __future__ import annotations

from sijoint_exam.domain.block import Guidance
from sijoint_exam.domain.catalogue import PROVOCATION_TESTS, Result, Side
from sijoint_exam.domain.catalogue_measures import PAIN_AREAS
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
    positional_blocks,
    red_flag_blocks,
    weeks_text,
)
from sijoint_exam.domain.note_together import screen_blocks
from sijoint_exam.domain.score import VisitScore
from sijoint_exam.domain.visit import Visit

# How each guidance reads in a sentence ("none" alone reads as a missing value).
GUIDANCE_WORDS = {
    Guidance.FLUOROSCOPY: "fluoroscopy",
    Guidance.CT: "CT",
    Guidance.ULTRASOUND: "ultrasound",
    Guidance.NONE: "no image guidance (blind)",
}
# Areas below the buttock: the leg symptoms a spine clinic asks about.
_LEG_AREAS = PAIN_AREAS[PAIN_AREAS.index("posterior_thigh") :]


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
    """Every catalogue test (and side) with this result, recorded or not, so that
    'not tested' is named too; a test the rule does not count is said to be so."""
    rule_tests = {item.test_id for item in score.cluster.rule.items}
    found = []
    for test in PROVOCATION_TESTS:
        finding = visit.finding(test.id)
        sides: tuple[Side | None, ...] = tuple(Side) if test.lateral else (None,)
        for side in sides:
            if (finding.result if side is None else finding.on_side(side)) != result:
                continue
            outside = "" if test.id in rule_tests else " (outside the rule)"
            found.append(test.name + (f" {side.value}" if side else "") + outside)
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
                ("Unable", _tests(visit, score, Result.UNABLE)),
                ("Not tested", _tests(visit, score, Result.NOT_TESTED)),
            )
        ),
        Text(
            f"{result.rule.name}: {result.count_text} — {result.decision_text}",
            Tone.STRONG,
        ),
        Text(result.per_side_text),
        Text(CENTRALISATION[visit.centralised]),
    ]
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
                ("Duration", weeks_text(h.conservative_care_weeks)),
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
        guidance = f", {GUIDANCE_WORDS[b.guidance]}" if b.guidance else ""
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


def letter(
    visit: Visit, score: VisitScore, patient_name: str, bottom_line: Section
) -> tuple[Section, ...]:
    """The letter's sections, top to bottom, after the address block: the
    bottom-line box first, so that page 1 answers the recipient's question."""
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
        bottom_line,
        Section("", opening),
        Section("Reason for referral", _reason(visit)),
        Section("History", _history(visit, score)),
        Section("Red-flag screen", red_flag_blocks(score)),
        Section("Examination findings", _findings(visit, score)),
        Section("Neuro and hip screens", screen_blocks(visit, score)),
        Section("Conservative care to date", _care(visit)),
        Section("Imaging and previous injections", _injections(visit, score)),
        Section("Relevant comorbidities", _comorbidities(visit)),
        Section("Impression", impression),
        Section("Requested", (or_not_recorded(referral.question),)),
        Section("", closing),
        Section("Copies", (Text(copies),)),
    )
