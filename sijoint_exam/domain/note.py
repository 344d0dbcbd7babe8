"""NoteContent: what a visit note says, built from a Visit, for the PDF and the preview.

Every clinical number and statement comes from the catalogue and the cluster tally;
this module only arranges them. The note supports reasoning; it never states a
diagnosis (clinical-rules.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from sijoint_exam.domain import cluster
from sijoint_exam.domain.catalogue import (
    PROVOCATION_TESTS,
    RESULT_SHORT_LABELS,
    ProvocationTest,
    RuleSet,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.visit import Patient, ProvocationFinding, Visit

NOTE_TITLE = "SIJ examination — visit note"
# Visits cannot be signed in this version: every note is a draft.
DRAFT_STATUS = "DRAFT — not signed"
NO_SIDE = "—"
NO_ACCURACY_STUDY = "no accuracy study for this rule"
NO_POST_TEST_INCOMPLETE = "no post-test probability: result incomplete"

_CENTRALISATION = {
    None: "Centralisation with repeated lumbar movements: not assessed",
    True: "Pain centralised with repeated lumbar movements",
    False: "Pain did not centralise with repeated lumbar movements",
}


@dataclass(frozen=True)
class PatientLabel:
    """The patient as printed on every page: name, date of birth, record number."""

    name: str
    date_of_birth: str  # ISO 8601: unambiguous in every locale
    mrn: str
    sex: str


@dataclass(frozen=True)
class ProvocationRow:
    """One line of the test table: a test, or one side of a lateral test."""

    test: str
    side: str  # "Left", "Right", or "—" for a test with one result
    result: str
    counts: bool  # this result enters the rule's tally (see `_counts`)
    detail: str = ""  # where the pain was felt, the side lain on


@dataclass(frozen=True)
class FindingRemark:
    """The clinician's free-text remark on one test."""

    test: str
    text: str


@dataclass(frozen=True)
class NoteContent:
    """The sections of a visit note, as plain strings, ready to render."""

    title: str
    status: str
    patient: PatientLabel
    visit_date: str
    clinician: str
    symptomatic_side: str
    chief_complaint: str
    rule_name: str
    provocation: tuple[ProvocationRow, ...]
    test_remarks: tuple[FindingRemark, ...]
    tally: str
    citation: str
    post_test: str
    per_side: str
    cautions: tuple[str, ...]
    centralisation: str
    assessment: str
    plan: str


def _label(value: str) -> str:
    """`bilateral` -> `Bilateral`."""
    return value.replace("_", " ").capitalize()


def _counts(visit: Visit, rule: RuleSet, test_id: str, side: Side | None) -> bool:
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
    parts = []
    if finding.pain_side is not None:
        parts.append(f"pain {finding.pain_side.value}")
    if finding.lying_side is not None:
        parts.append(f"lying on {finding.lying_side.value}")
    return ", ".join(parts)


def _rows(test: ProvocationTest, visit: Visit, rule: RuleSet) -> list[ProvocationRow]:
    finding = visit.finding(test.id)
    if not test.lateral:
        return [
            ProvocationRow(
                test=test.name,
                side=NO_SIDE,
                result=RESULT_SHORT_LABELS[finding.result],
                counts=_counts(visit, rule, test.id, None),
                detail=_detail(finding),
            )
        ]
    return [
        ProvocationRow(
            test=test.name,
            side=_label(side.value),
            result=RESULT_SHORT_LABELS[finding.on_side(side)],
            counts=_counts(visit, rule, test.id, side),
        )
        for side in Side
    ]


def _shown_tests(visit: Visit, rule: RuleSet) -> list[ProvocationTest]:
    """Every recorded test and every test of the rule, in catalogue order."""
    rule_tests = {item.test_id for item in rule.items}
    return [
        t for t in PROVOCATION_TESTS if t.id in visit.provocation or t.id in rule_tests
    ]


def _post_test(result: cluster.ClusterResult) -> str:
    if result.post_test_text is not None:
        return result.post_test_text
    if result.rule.lr_positive is None and result.rule.lr_negative is None:
        return NO_ACCURACY_STUDY  # a coverage criterion (CMS), not an accuracy study
    return NO_POST_TEST_INCOMPLETE


def _per_side(result: cluster.ClusterResult) -> str:
    counts = ", ".join(f"{side.value} {result.per_side[side]}" for side in Side)
    return f"Per side: {counts}"


def build_note(patient: Patient, visit: Visit) -> NoteContent:
    """Arrange one visit of one patient as the sections of a visit note.

    Args:
        patient: whose visit it is.
        visit: the examination; its own scoring rule is the one tallied.

    Returns:
        The note's content as strings, shared by the PDF and the preview.
    """
    result = cluster.evaluate(visit)
    rule = result.rule
    tests = _shown_tests(visit, rule)
    return NoteContent(
        title=NOTE_TITLE,
        status=DRAFT_STATUS,
        patient=PatientLabel(
            name=patient.display_name,
            date_of_birth=patient.date_of_birth.isoformat(),
            mrn=patient.mrn,
            sex=_label(patient.sex.value),
        ),
        visit_date=visit.date.isoformat(),
        clinician=visit.clinician,
        symptomatic_side=_label(visit.symptomatic_side.value),
        chief_complaint=visit.chief_complaint,
        rule_name=rule.name,
        provocation=tuple(row for t in tests for row in _rows(t, visit, rule)),
        test_remarks=tuple(
            FindingRemark(t.name, visit.finding(t.id).note)
            for t in tests
            if visit.finding(t.id).note.strip()
        ),
        tally=result.summary,
        citation=rule.citation,
        post_test=_post_test(result),
        per_side=_per_side(result),
        cautions=result.cautions,
        centralisation=_CENTRALISATION[visit.centralised],
        assessment=visit.assessment,
        plan=visit.plan,
    )
