"""The block, assessment, plan and trend sections of the visit note (evidence §8.1).

Every number and sentence of clinical weight is taken from the block, cluster and
outcome rules; here they are only put in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sijoint_exam.domain import cluster
from sijoint_exam.domain.block import (
    AgentWindows,
    BlockReading,
    relief_percent,
    relief_text,
    window_phrase,
)
from sijoint_exam.domain.catalogue import (
    AGENT_WINDOW_CITATION,
    BLOCK_THRESHOLD_CITATIONS,
    RULES_BY_ID,
)
from sijoint_exam.domain.catalogue_measures import (
    IMPORTANT_CHANGE_CITATION,
    NRS_IMPORTANT_CHANGE_PERCENT,
    NRS_IMPORTANT_CHANGE_POINTS,
    ODI_IMPORTANT_CHANGE_POINTS,
)
from sijoint_exam.domain.note_outline import (
    NOT_RECORDED,
    Block,
    Bullets,
    Facts,
    Section,
    Table,
    Text,
    Tone,
    TrendChart,
    TrendPoint,
    capitalised,
    nrs,
    or_not_recorded,
    words,
    yes_no,
)
from sijoint_exam.domain.note_together import headline_blocks
from sijoint_exam.domain.outcomes import (
    nrs_change_is_important,
    odi_change_is_important,
    odi_score,
)
from sijoint_exam.domain.score import VisitScore
from sijoint_exam.domain.together import HeadlineKind
from sijoint_exam.domain.visit import Visit

# ---------------------------------------------------------------------------
# Diagnostic blocks.
# ---------------------------------------------------------------------------

_BLOCK_ROLE = {1: "screening", 2: "confirmatory"}
READING_COLUMNS = ("Minutes after", "NRS", "Relief", "Patient-reported", "In window")


def window_text(reading: BlockReading) -> str:
    """`within 2 h`: the window this block was read with (the visit's setting)."""
    return window_phrase(reading.window_minutes)


def windows_text(windows: AgentWindows) -> str:
    """`lidocaine 2 h, bupivacaine 8 h, ropivacaine 8 h; other agents: all readings`."""
    hours = ", ".join(f"{a.value} {h} h" for a, h in windows.by_agent().items())
    return f"{hours}; other agents: all readings"


def peak_text(reading: BlockReading) -> str:
    """`Peak 86% relief within 2 h — positive (threshold 75%)`."""
    if reading.peak_relief_percent is None:
        peak = "No reading within the window"
    else:
        peak = f"Peak {relief_text(reading.peak_relief_percent)} {window_text(reading)}"
    return f"{peak} — {reading.result.value} (threshold {reading.threshold_percent}%)"


def agent_text(reading: BlockReading) -> str:
    b = reading.block
    return ", ".join(x for x in (b.agent.value, b.concentration, b.volume) if x)


def block_title(reading: BlockReading) -> str:
    b = reading.block
    role = f" ({_BLOCK_ROLE[b.number]})" if b.number in _BLOCK_ROLE else ""
    return f"Block {b.number}{role} — {b.date.isoformat()}, {b.side.value}"


def _one_block(reading: BlockReading) -> Section:
    b = reading.block
    inside = set(reading.readings_in_window)
    rows = tuple(
        (
            str(r.minutes),
            str(r.nrs),
            relief_text(relief_percent(b.pre, r.nrs)),
            "—" if r.patient_percent is None else f"{r.patient_percent}%",
            "Yes" if r in inside else "No",
        )
        for r in b.readings
    )
    blocks: list[Block] = [
        Facts(
            (
                ("Agent", agent_text(reading)),
                (
                    "Guidance",
                    capitalised(b.guidance.value) if b.guidance else NOT_RECORDED,
                ),
                ("Steroid added", yes_no(b.steroid)),
                ("Pre-block NRS", str(b.pre)),
            )
        ),
        Table(READING_COLUMNS, rows)
        if rows
        else Text("No post-block reading", Tone.MUTED),
        Text(peak_text(reading), Tone.STRONG),
    ]
    if b.relief_hours is not None:
        blocks.append(
            Text(f"Relief at or above the threshold lasted {b.relief_hours:g} h")
        )
    if reading.cautions:
        blocks.append(Bullets(reading.cautions))
    return Section(block_title(reading), tuple(blocks))


def comparison_blocks(score: VisitScore) -> tuple[Block, ...]:
    blocks = score.blocks
    pair = "no pair" if blocks.comparative is None else words(blocks.comparative.value)
    found: list[Block] = [Text(f"Comparative blocks: {pair}")]
    if blocks.comparative_cautions:
        found.append(Bullets(blocks.comparative_cautions))
    verdict = "no comparison" if score.agreement is None else score.agreement.value
    overall = "—" if blocks.overall is None else blocks.overall.value
    found.append(Text(f"Block result {overall}; beside the cluster result: {verdict}"))
    return tuple(found)


def block_sections(visit: Visit, score: VisitScore) -> list[Section]:
    if not score.blocks.blocks:
        return []
    threshold = visit.scoring.block_threshold_percent
    source = BLOCK_THRESHOLD_CITATIONS.get(threshold, "")
    intro = (
        Text(f"Relief threshold {threshold}% ({source})"),
        Text(
            "Readings count within the agent's window "
            f"({windows_text(visit.scoring.agent_window_hours)}): "
            f"{AGENT_WINDOW_CITATION}"
        ),
    )
    return [
        Section("Diagnostic blocks", intro, level=1),
        *(_one_block(r) for r in score.blocks.blocks),
        Section("Comparative blocks", comparison_blocks(score)),
    ]


# ---------------------------------------------------------------------------
# Assessment, plan, trend.
# ---------------------------------------------------------------------------


def impression_blocks(score: VisitScore) -> tuple[Block, ...]:
    """The cluster's decision with its probability statement and caveats; with a
    cauda equina flag or centralised pain, the headline leads and the cluster is
    secondary, never the visit's conclusion (§8)."""
    result = score.cluster
    tally_tone = Tone.STRONG
    lead: tuple[Block, ...] = ()
    if score.headline.kind in (HeadlineKind.CAUDA_EQUINA, HeadlineKind.CENTRALISED):
        lead = headline_blocks(score)[:1]
        tally_tone = Tone.MUTED
    return (
        *lead,
        Text(
            f"{result.rule.name}: {result.count_text} — {result.decision_text}",
            tally_tone,
        ),
        Text(result.post_test_line),
        Bullets(result.cautions),
    )


def referral_text(visit: Visit) -> str | None:
    r = visit.referral
    if not (r.recipient or r.question):
        return None
    urgency = f" ({r.urgency.value})" if r.urgency else ""
    to = r.recipient or NOT_RECORDED
    return f"Referral{urgency}: {to} — {r.question or NOT_RECORDED}"


def assessment_and_plan(visit: Visit, score: VisitScore) -> list[Section]:
    plan: list[Block] = [or_not_recorded(visit.plan)]
    if (referral := referral_text(visit)) is not None:
        plan.append(Text(referral))
    return [
        Section("Assessment", (), level=1),
        Section("Clinical impression", impression_blocks(score)),
        Section("Clinician's assessment", (or_not_recorded(visit.assessment),)),
        Section("Plan", tuple(plan), level=1),
    ]


def _change(
    name: str, values: list[tuple[str, float]], important: bool, rule: str
) -> str:
    (first_date, first), (_, last) = values[0], values[-1]
    verdict = "an important change" if important else "not an important change"
    return f"{name} {first:g} → {last:g} since {first_date}: {verdict} ({rule})"


def trend(
    visit: Visit,
    earlier_visits: Sequence[Visit],
    unreadable_dates: Sequence[dt.date] = (),
) -> list[Section]:
    """Pain, ODI and positive tests across visits, when there are two or more.

    `earlier_visits` are the patient's *other* visits: the caller leaves this one
    out by its id (`store.notes.other_visits`), never by its value — an edited
    visit differs from its own saved copy and would trend against itself.
    `unreadable_dates` are the dates of other visits whose stored record cannot
    be read: the trend says they are left out, so that a gap is not taken for
    no visit.
    """
    history = sorted(
        (v for v in earlier_visits if v.date <= visit.date),
        key=lambda v: v.date,
    )
    left_out = sorted(d for d in unreadable_dates if d <= visit.date)
    gap = [Text(_left_out_text(left_out))] if left_out else []
    if not history:
        return [Section("Trend across visits", tuple(gap), level=1)] if gap else []
    rule = RULES_BY_ID[visit.scoring.rule]
    points = tuple(
        TrendPoint(
            date=v.date.isoformat(),
            nrs=v.pain.now,
            odi=None if v.odi.is_empty else odi_score(v.odi).percent,
            positive=cluster.evaluate(v, rule.id).positive,
        )
        for v in (*history, visit)
    )
    rows = tuple(
        (p.date, nrs(p.nrs), "—" if p.odi is None else f"{p.odi:.1f}", str(p.positive))
        for p in points
    )
    blocks: list[Block] = [
        TrendChart(points, f"Positive tests (0–{len(rule.items)})", len(rule.items)),
        Table(
            ("Visit", "Pain NRS now", "ODI %", "Positive tests"),
            rows,
            caption=f"Positive tests counted with {rule.name} at every visit.",
        ),
    ]
    pain = [(p.date, float(p.nrs)) for p in points if p.nrs is not None]
    if len(pain) > 1:
        important = nrs_change_is_important(int(pain[0][1]), int(pain[-1][1]))
        limit = (
            f"≥{NRS_IMPORTANT_CHANGE_POINTS} points or {NRS_IMPORTANT_CHANGE_PERCENT}%"
        )
        rule_text = f"{limit}; {IMPORTANT_CHANGE_CITATION}"
        blocks.append(Text(_change("Pain NRS", pain, important, rule_text)))
    odi = [(p.date, p.odi) for p in points if p.odi is not None]
    if len(odi) > 1:
        important = odi_change_is_important(odi[0][1], odi[-1][1])
        rule_text = (
            f"≥{ODI_IMPORTANT_CHANGE_POINTS} points; {IMPORTANT_CHANGE_CITATION}"
        )
        blocks.append(Text(_change("ODI", odi, important, rule_text)))
    return [Section("Trend across visits", (*blocks, *gap), level=1)]


def _left_out_text(dates: Sequence[dt.date]) -> str:
    named = ", ".join(d.isoformat() for d in dates)
    if len(dates) == 1:
        return (
            f"Not in this trend: the visit of {named}, whose stored record cannot "
            "be read (damaged; to be restored from a backup)."
        )
    return (
        f"Not in this trend: the visits of {named}, whose stored records cannot "
        "be read (damaged; to be restored from a backup)."
    )
