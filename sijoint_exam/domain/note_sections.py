"""The subjective and objective sections of the visit note (SOAP, evidence §8.1).

Every number and sentence of clinical weight is taken from the catalogue and the
rules (cluster, outcomes, alignment, score); here they are only put in order. The
blocks, assessment, plan and trend are in `note_findings`; the letter's sections in
`note_letter`.
"""

from __future__ import annotations

from sijoint_exam.domain import cluster
from sijoint_exam.domain.alignment import Alignment, FlexionSide, Landmark, Sided
from sijoint_exam.domain.catalogue import (
    PROVOCATION_TESTS,
    RESULT_SHORT_LABELS,
    RULE_SETS,
    ProvocationTest,
    RuleSet,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.catalogue_measures import (
    ASLR_CITATION,
    ASLR_LEG_RANGE,
    ASLR_POSITIVE_FROM,
    CAUDA_EQUINA_EMERGENCY,
    ODI_CITATION,
    ODI_VERSIONS,
    POSITIONAL_RELIABILITY_CAUTION,
    RED_FLAGS,
)
from sijoint_exam.domain.catalogue_together import ASLR_CUTOFF_CITATION
from sijoint_exam.domain.note_outline import (
    NO_SIDE,
    NOT_RECORDED,
    Block,
    BodyChart,
    Bullets,
    Facts,
    Section,
    Table,
    Text,
    Tone,
    capitalised,
    nrs,
    or_not_recorded,
    words,
    yes_no,
)
from sijoint_exam.domain.note_together import screen_blocks
from sijoint_exam.domain.outcomes import Answer, Aslr
from sijoint_exam.domain.score import VisitScore
from sijoint_exam.domain.visit import ProvocationFinding, Visit

# ---------------------------------------------------------------------------
# Subjective.
# ---------------------------------------------------------------------------


def onset_text(visit: Visit) -> str:
    """`2026-06-01 (24 weeks before this visit)`."""
    onset = visit.history.onset
    if onset is None:
        return NOT_RECORDED
    days = (visit.date - onset).days
    return (
        f"{onset.isoformat()} ({days // 7} weeks before this visit)"
        if days >= 0
        else onset.isoformat()
    )


def weeks_text(weeks: int | None) -> str:
    """`6 weeks`, or not recorded."""
    if weeks is None:
        return NOT_RECORDED
    return f"{weeks} week" + ("" if weeks == 1 else "s")


def history_facts(visit: Visit) -> Facts:
    h = visit.history
    return Facts(
        (
            ("Onset", onset_text(visit)),
            ("Mechanism", h.mechanism or NOT_RECORDED),
            ("Conservative care", h.conservative_care or NOT_RECORDED),
            ("Conservative care, weeks", weeks_text(h.conservative_care_weeks)),
            ("Imaging", h.imaging or NOT_RECORDED),
            ("Medications", h.medications or NOT_RECORDED),
            ("Anticoagulation", yes_no(h.anticoagulation)),
            ("Contrast allergy", yes_no(h.contrast_allergy)),
            ("Pregnant", yes_no(h.pregnant)),
        )
    )


def pain_blocks(visit: Visit) -> tuple[Block, ...]:
    p = visit.pain
    regions = ", ".join(words(r) for r in p.regions) or "no region marked"
    return (
        Text(
            f"Pain NRS (0–10): now {nrs(p.now)}, best {nrs(p.best_24h)}, "
            f"worst {nrs(p.worst_24h)} in the last 24 h"
        ),
        BodyChart(p.regions),
        Text(f"Body chart: {regions}"),
    )


def red_flag_blocks(score: VisitScore) -> tuple[Block, ...]:
    """Every answer, the documented negatives, and what the screen left out."""
    screen = score.red_flags
    answers = {f.id: score.visit.red_flag(f.id) for f in RED_FLAGS}

    def labelled(answer: Answer, cauda_equina: bool = True) -> str:
        return ", ".join(
            f.label
            for f in RED_FLAGS
            if answers[f.id] is answer and (cauda_equina or not f.cauda_equina)
        )

    blocks: list[Block] = []
    if screen.emergency:
        blocks.append(Text(CAUDA_EQUINA_EMERGENCY, Tone.EMERGENCY))
    if yes := labelled(Answer.YES):
        blocks.append(Text(f"Answered yes: {yes}", Tone.STRONG))
    if no := labelled(Answer.NO):
        blocks.append(Text(f"Documented negatives: {no}"))
    # Cauda equina items not asked have their own line: "… not documented: …".
    if not_asked := labelled(Answer.NOT_ASKED, cauda_equina=False):
        blocks.append(Text(f"Not asked: {not_asked}", Tone.MUTED))
    if screen.undocumented_text:
        blocks.append(Text(screen.undocumented_text, Tone.CAUTION))
    return tuple(blocks)


def emergency(score: VisitScore) -> str | None:
    """The banner at the top of the document when a cauda equina item is yes."""
    return CAUDA_EQUINA_EMERGENCY if score.red_flags.emergency else None


def subjective(visit: Visit, score: VisitScore) -> list[Section]:
    return [
        Section("Subjective", (), level=1),
        Section("Chief complaint", (or_not_recorded(visit.chief_complaint),)),
        Section("History", (history_facts(visit),)),
        Section("Pain", pain_blocks(visit)),
        Section("Red-flag screen", red_flag_blocks(score)),
    ]


# ---------------------------------------------------------------------------
# Objective.
# ---------------------------------------------------------------------------

CENTRALISATION = {
    None: "Centralisation with repeated lumbar movements: not assessed",
    True: "Pain centralised with repeated lumbar movements",
    False: "Pain did not centralise with repeated lumbar movements",
}
PROVOCATION_COLUMNS = ("Test", "Side", "Result", "Detail", "In tally")


def counts(visit: Visit, rule: RuleSet, test_id: str, side: Side | None) -> bool:
    """Does this result enter the rule's tally?

    It does when the test is an item of the rule, and, for one side of a lateral
    test, when that side is the item's side: the named side of a sided item, else
    the tally side — the symptomatic side, or either side when bilateral or unknown
    (clinical-rules.md §2).
    """
    tally_sides = {
        SymptomaticSide.LEFT: {Side.LEFT},
        SymptomaticSide.RIGHT: {Side.RIGHT},
    }.get(visit.symptomatic_side, set(Side))
    for item in rule.items:
        if item.test_id != test_id:
            continue
        if side is None or item.side is side:
            return True
        if item.side is None and side in tally_sides:
            return True
    return False


def _detail(finding: ProvocationFinding) -> str:
    found = []
    if finding.pain_side is not None:
        found.append(f"pain {finding.pain_side.value}")
    if finding.lying_side is not None:
        found.append(f"lying on {finding.lying_side.value}")
    return ", ".join(found)


def shown_tests(visit: Visit, rule: RuleSet) -> list[ProvocationTest]:
    """Every recorded test and every test of the rule, in catalogue order."""
    rule_tests = {item.test_id for item in rule.items}
    return [
        t for t in PROVOCATION_TESTS if t.id in visit.provocation or t.id in rule_tests
    ]


def provocation_rows(
    visit: Visit, rule: RuleSet
) -> list[tuple[ProvocationTest, Side | None, str, bool]]:
    """(test, side or None, result label, counts) for each line of the table."""
    rows = []
    for test in shown_tests(visit, rule):
        finding = visit.finding(test.id)
        sides: tuple[Side | None, ...] = tuple(Side) if test.lateral else (None,)
        for side in sides:
            result = finding.result if side is None else finding.on_side(side)
            rows.append(
                (
                    test,
                    side,
                    RESULT_SHORT_LABELS[result],
                    counts(visit, rule, test.id, side),
                )
            )
    return rows


def provocation_table(visit: Visit, rule: RuleSet) -> Table:
    rows, shaded = [], set()
    for index, (test, side, result, counted) in enumerate(
        provocation_rows(visit, rule)
    ):
        detail = _detail(visit.finding(test.id)) if side is None else ""
        side_label = NO_SIDE if side is None else capitalised(side.value)
        rows.append((test.name, side_label, result, detail, "Yes" if counted else ""))
        if counted:
            shaded.add(index)
    return Table(
        PROVOCATION_COLUMNS,
        tuple(rows),
        frozenset(shaded),
        caption=f"Shaded rows enter the tally of {rule.name}.",
    )


def test_remarks(visit: Visit, rule: RuleSet) -> Facts | None:
    rows = tuple(
        (t.name, visit.finding(t.id).note)
        for t in shown_tests(visit, rule)
        if visit.finding(t.id).note.strip()
    )
    return Facts(rows) if rows else None


def per_side_text(result: cluster.ClusterResult) -> str:
    """Both joints' tallies, naming the positive tests."""
    return result.per_side_text


def cluster_blocks(visit: Visit, score: VisitScore) -> tuple[Block, ...]:
    result = score.cluster
    others = tuple(
        f"{rule.name}: {cluster.evaluate(visit, rule.id).summary}"
        for rule in RULE_SETS
        if rule.id != result.rule.id
    )
    return (
        Text(result.summary, Tone.STRONG),
        Text(f"Rule: {result.rule.name}; source: {result.rule.citation}"),
        Text(result.post_test_line),
        Text(per_side_text(result)),
        Text(CENTRALISATION[visit.centralised]),
        Bullets(result.cautions),
        Text("The same tests read with the other rule sets, for reference:"),
        Bullets(others, Tone.BODY),
    )


def aslr_text(aslr: Aslr) -> str:
    if aslr.left is None and aslr.right is None:
        return NOT_RECORDED
    most = 2 * ASLR_LEG_RANGE[1]
    verdict = {None: "", True: " — positive", False: " — negative"}[aslr.positive]
    return (
        f"Left {nrs(aslr.left)}, right {nrs(aslr.right)}, total {nrs(aslr.total)} "
        f"of {most}{verdict} (scale: {ASLR_CITATION}; positive from a total of "
        f"{ASLR_POSITIVE_FROM}: {ASLR_CUTOFF_CITATION})"
    )


def odi_text(visit: Visit, score: VisitScore) -> str:
    if score.odi is None:
        return NOT_RECORDED
    version = ODI_VERSIONS.get(visit.odi.version, visit.odi.version)
    return f"{version}: {score.odi.text} ({ODI_CITATION})"


_LANDMARK_LABELS = {Landmark.ASIS: "ASIS", Landmark.PSIS: "PSIS", Landmark.ILA: "ILA"}


def sided_text(found: Sided) -> str:  # type: ignore[type-arg]
    """`left higher, right level`, leaving out a side not recorded."""
    return ", ".join(
        f"{side.value} {words(value.value)}"
        for side in Side
        if (value := found.on(side)) is not None
    )


def _screening_rows(alignment: Alignment) -> list[tuple[str, str]]:
    s = alignment.screening
    rows = []
    for name, flexion in (
        ("Standing flexion", s.standing_flexion),
        ("Seated flexion", s.seated_flexion),
    ):
        if flexion is not None:  # the side whose PSIS rose more, or negative
            side = "" if flexion is FlexionSide.NEGATIVE else "positive "
            rows.append((name, side + flexion.value))
    for name, value in (
        ("Sacral spring", s.sacral_spring),
        ("Sphinx", s.sphinx),
    ):
        if value is not None:
            rows.append((name, words(value.value)))
    for name, sided in (
        ("Gillet", s.gillet),
        ("Supine to long sit", s.supine_to_long_sit),
    ):
        if not sided.is_empty:
            rows.append((name, sided_text(sided)))
    return rows


def positional_blocks(visit: Visit, score: VisitScore) -> tuple[Block, ...]:
    """The findings, always after the reliability caution; empty when none."""
    alignment = visit.alignment
    if alignment.is_empty:
        return ()
    chosen = ", ".join(
        words(p.pattern.value) + (f" ({p.side.value})" if p.side else "")
        for p in alignment.patterns
    )
    rows = [("Pattern chosen", chosen or "none chosen")]
    rows += [
        (_LANDMARK_LABELS.get(lm, capitalised(lm.value)), sided_text(found))
        for lm, found in alignment.landmarks.items()
    ]
    rows += _screening_rows(alignment)
    blocks: list[Block] = [
        Text(POSITIONAL_RELIABILITY_CAUTION, Tone.CAUTION),
        Facts(tuple(rows)),
    ]
    if score.suggestions:
        blocks.append(Text("Consistent with the recorded findings:"))
        blocks.append(Bullets(tuple(s.text for s in score.suggestions), Tone.BODY))
    return tuple(blocks)


def objective(visit: Visit, score: VisitScore) -> list[Section]:
    rule = score.cluster.rule
    provocation: list[Block] = [provocation_table(visit, rule)]
    if (remarks := test_remarks(visit, rule)) is not None:
        provocation += [Text("Remarks on tests:"), remarks]
    sections = [
        Section("Objective", (), level=1),
        Section(f"Provocation tests — {rule.name}", tuple(provocation)),
        Section("Cluster result", cluster_blocks(visit, score)),
        Section("Active straight leg raise", (Text(aslr_text(visit.aslr)),)),
        Section("Neuro and hip screens", screen_blocks(visit, score)),
        Section("Oswestry Disability Index", (Text(odi_text(visit, score)),)),
    ]
    if positional := positional_blocks(visit, score):
        sections.append(Section("Positional findings", positional))
    return sections
