"""build_note: the visit note's content, from the catalogue and the cluster tally."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from sijoint_exam.domain import cluster
from sijoint_exam.domain.catalogue import (
    CENTRALISATION_CAUTION,
    CLUSTER_POSITIVE_STATEMENT,
    RULES_BY_ID,
    PainSide,
    Result,
    SymptomaticSide,
)
from sijoint_exam.domain.note import (
    NO_ACCURACY_STUDY,
    NO_POST_TEST_INCOMPLETE,
    NOTE_TITLE,
    FindingRemark,
    NoteContent,
    PatientLabel,
    ProvocationRow,
    build_note,
)
from sijoint_exam.domain.visit import ProvocationFinding, Scoring


def _rows(note: NoteContent) -> list[tuple[str, str, str, bool]]:
    return [(r.test, r.side, r.result, r.counts) for r in note.provocation]


def test_sample_visit_rows_in_catalogue_order(sample_patient, sample_visit):
    note = build_note(sample_patient(), sample_visit())
    assert _rows(note) == [
        ("Distraction", "—", "Positive", True),
        ("Thigh thrust (P4)", "Left", "Positive", True),
        ("Thigh thrust (P4)", "Right", "Negative", False),
        ("Compression", "—", "Negative", True),
        ("FABER (Patrick)", "Left", "Other pain", True),
        ("FABER (Patrick)", "Right", "Negative", False),
        ("Gaenslen", "Left", "Positive", True),
        ("Gaenslen", "Right", "Not tested", False),
    ]


def test_sample_visit_tally_three_of_five(sample_patient, sample_visit):
    visit = sample_visit()
    note = build_note(sample_patient(), visit)
    assert note.tally == cluster.evaluate(visit).summary
    assert note.tally.startswith("3 of 5 positive")
    assert CLUSTER_POSITIVE_STATEMENT in note.tally
    assert note.citation == "van der Wurff 2006, Arch Phys Med Rehabil 87:10–14"
    assert note.rule_name == RULES_BY_ID["vanderwurff_2006"].name
    assert note.post_test.startswith("Post-test probability 50%")
    assert note.per_side == "Per side: left 3, right 1"


def test_header_facts(sample_patient, sample_visit):
    note = build_note(sample_patient(), sample_visit())
    assert note.title == NOTE_TITLE == "SIJ examination — visit note"
    assert note.status == "DRAFT — not signed"
    assert note.patient == PatientLabel(
        name="Kim, Sungae", date_of_birth="1978-03-14", mrn="A-1001", sex="Female"
    )
    assert note.visit_date == "2026-11-20"
    assert note.clinician == "J. Doe, PT"
    assert note.symptomatic_side == "Left"
    assert note.chief_complaint == "Left buttock pain radiating to the foot"


def test_rule_tests_not_recorded_show_not_tested(sample_patient, sample_visit):
    visit = sample_visit(scoring=Scoring(rule="laslett_2005_four"))
    rows = {
        (r.test, r.side): r for r in build_note(sample_patient(), visit).provocation
    }
    assert rows["Sacral thrust", "—"] == ProvocationRow(
        "Sacral thrust", "—", "Not tested", counts=True
    )
    # Recorded but not in this rule: shown, not counted.
    assert rows["FABER (Patrick)", "Left"].counts is False
    assert rows["Gaenslen", "Left"].counts is False
    assert ("Yeoman", "Left") not in rows


def test_recorded_test_outside_the_rule_is_shown(sample_patient, sample_visit):
    findings = dict(sample_visit().provocation)
    findings["yeoman"] = ProvocationFinding(left=Result.NEGATIVE)
    note = build_note(sample_patient(), sample_visit(provocation=findings))
    yeoman = [r for r in note.provocation if r.test == "Yeoman"]
    assert [(r.side, r.result, r.counts) for r in yeoman] == [
        ("Left", "Negative", False),
        ("Right", "Not tested", False),
    ]


def test_laslett_six_counts_both_gaenslen_sides(sample_patient, sample_visit):
    visit = sample_visit(scoring=Scoring(rule="laslett_2005_six"))
    rows = {
        (r.test, r.side): r for r in build_note(sample_patient(), visit).provocation
    }
    assert rows["Gaenslen", "Left"].counts and rows["Gaenslen", "Right"].counts
    assert rows["Thigh thrust (P4)", "Left"].counts
    assert not rows["Thigh thrust (P4)", "Right"].counts


@pytest.mark.parametrize("side", [SymptomaticSide.BILATERAL, SymptomaticSide.UNKNOWN])
def test_both_sides_count_without_a_single_symptomatic_side(
    sample_patient, sample_visit, side
):
    note = build_note(sample_patient(), sample_visit(symptomatic_side=side))
    lateral = [r for r in note.provocation if r.side in ("Left", "Right")]
    assert lateral and all(r.counts for r in lateral)


def test_right_sided_symptoms_count_the_right_side(sample_patient, sample_visit):
    visit = sample_visit(symptomatic_side=SymptomaticSide.RIGHT)
    note = build_note(sample_patient(), visit)
    counted = {(r.test, r.side) for r in note.provocation if r.counts}
    assert ("Gaenslen", "Right") in counted
    assert ("Gaenslen", "Left") not in counted


def test_cms_rule_has_no_accuracy_study(sample_patient, sample_visit):
    visit = sample_visit(scoring=Scoring(rule="cms_lcd_2023"))
    note = build_note(sample_patient(), visit)
    assert note.post_test == NO_ACCURACY_STUDY == "no accuracy study for this rule"
    assert note.citation == RULES_BY_ID["cms_lcd_2023"].citation


def test_incomplete_result_has_no_post_test(sample_patient, sample_visit):
    visit = sample_visit(provocation={})
    note = build_note(sample_patient(), visit)
    assert "incomplete" in note.tally
    assert note.post_test == NO_POST_TEST_INCOMPLETE
    assert all(r.result == "Not tested" for r in note.provocation)


def test_negative_result_gives_post_test_with_lr_minus(sample_patient, sample_visit):
    negative = ProvocationFinding(result=Result.NEGATIVE)
    lateral_negative = ProvocationFinding(left=Result.NEGATIVE, right=Result.NEGATIVE)
    visit = sample_visit(
        provocation={
            "distraction": negative,
            "compression": negative,
            "thigh_thrust": lateral_negative,
            "faber": lateral_negative,
            "gaenslen": lateral_negative,
        }
    )
    note = build_note(sample_patient(), visit)
    assert note.tally.startswith("0 of 5 positive — cluster negative")
    assert note.post_test.startswith("Post-test probability 5%")


@pytest.mark.parametrize(
    ("centralised", "statement"),
    [
        (None, "Centralisation with repeated lumbar movements: not assessed"),
        (True, "Pain centralised with repeated lumbar movements"),
        (False, "Pain did not centralise with repeated lumbar movements"),
    ],
)
def test_centralisation_statement(sample_patient, sample_visit, centralised, statement):
    note = build_note(sample_patient(), sample_visit(centralised=centralised))
    assert note.centralisation == statement
    assert (CENTRALISATION_CAUTION in note.cautions) is bool(centralised)


def test_cautions_come_from_the_tally(sample_patient, sample_visit):
    visit = sample_visit()
    note = build_note(sample_patient(), visit)
    assert note.cautions == cluster.evaluate(visit).cautions
    assert any("Saueressig 2021" in c for c in note.cautions)


def test_non_lateral_detail_and_remarks(sample_patient, sample_visit):
    findings = dict(sample_visit().provocation)
    findings["distraction"] = ProvocationFinding(
        result=Result.POSITIVE, pain_side=PainSide.BILATERAL
    )
    note = build_note(sample_patient(), sample_visit(provocation=findings))
    assert note.provocation[0].detail == "pain bilateral"
    assert note.test_remarks == (FindingRemark("FABER (Patrick)", "groin"),)


def test_free_text_is_kept_verbatim(sample_patient, sample_visit):
    text = 'Plan <b>& "quotes"\nsecond line'
    note = build_note(sample_patient(), sample_visit(plan=text, assessment=text))
    assert note.plan == note.assessment == text


def test_unicode_names(sample_patient, sample_visit):
    patient = sample_patient(family_name="Ñúñez", given_names="José", mrn="B-7")
    note = build_note(patient, sample_visit(clinician="김선애"))
    assert note.patient.name == "Ñúñez, José"
    assert note.clinician == "김선애"


def test_no_diagnosis_is_stated(sample_patient, sample_visit):
    for centralised in (None, True, False):
        note = build_note(sample_patient(), sample_visit(centralised=centralised))
        for value in dataclasses.astuple(note):
            assert "diagnos" not in str(value).lower()


def test_note_is_frozen(sample_patient, sample_visit):
    note = build_note(sample_patient(), sample_visit())
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.plan = "changed"  # type: ignore[misc]


def test_date_of_birth_iso(sample_patient, sample_visit):
    patient = sample_patient(date_of_birth=dt.date(2001, 2, 3))
    assert build_note(patient, sample_visit()).patient.date_of_birth == "2001-02-03"
