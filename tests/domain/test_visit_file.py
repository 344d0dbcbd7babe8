"""Visit and Patient <-> the visit file's plain JSON values (visit-format.md)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sijoint_exam.domain.block import AgentWindows
from sijoint_exam.domain.catalogue import PainSide, Result, Side, SymptomaticSide
from sijoint_exam.domain.cluster import evaluate
from sijoint_exam.domain.visit import (
    NOT_RECORDED,
    Patient,
    ProvocationFinding,
    Scoring,
    Sex,
    Visit,
)
from sijoint_exam.domain.visit_file import (
    FORMAT_NAME,
    FORMAT_VERSION,
    acknowledged_checks,
    canonical_json,
    document,
    parse_document,
    patient_from_dict,
    patient_to_dict,
    visit_from_dict,
    visit_to_dict,
)

LATERAL = ("thigh_thrust", "faber", "gaenslen", "yeoman")
NON_LATERAL = ("distraction", "compression", "sacral_thrust")

# The conftest sample visit, written out by hand as its visit file object.
SAMPLE_VISIT_DICT = {
    "date": "2026-11-20",
    "clinician": "J. Doe, PT",
    "symptomatic_side": "left",
    "chief_complaint": "Left buttock pain radiating to the foot",
    "centralised": False,
    "provocation": {
        "distraction": {"result": "positive"},
        "thigh_thrust": {"left": "positive", "right": "negative"},
        "compression": {"result": "negative"},
        "faber": {"left": "positive_other", "right": "negative", "note": "groin"},
        "gaenslen": {"left": "positive", "right": "not_tested"},
    },
    "scoring": {
        "rule": "vanderwurff_2006",
        "pretest_probability": 0.2,
        "block_threshold_percent": 75,
    },
    "assessment": "",
    "plan": "",
}


def test_sample_visit_to_dict(sample_visit):
    out = visit_to_dict(sample_visit())
    assert out == SAMPLE_VISIT_DICT
    assert list(out) == list(SAMPLE_VISIT_DICT)  # canonical key order
    # Tests in catalogue order, whatever order they were recorded in.
    assert list(out["provocation"]) == [
        "distraction",
        "thigh_thrust",
        "compression",
        "faber",
        "gaenslen",
    ]


def test_sample_visit_round_trips(sample_visit):
    visit = sample_visit()
    assert visit_from_dict(visit_to_dict(visit)) == visit


def test_sample_visit_round_trips_through_json_text(sample_visit):
    visit = sample_visit()
    text = canonical_json(visit_to_dict(visit))
    assert visit_from_dict(json.loads(text)) == visit


@pytest.mark.parametrize(
    "overrides",
    [
        {"symptomatic_side": SymptomaticSide.RIGHT},
        {"symptomatic_side": SymptomaticSide.BILATERAL},
        {"symptomatic_side": SymptomaticSide.UNKNOWN},
        {"centralised": True},
        {"centralised": None},
        {"clinician": ""},
        {"chief_complaint": "Douleur fessière — «ñ» 痛み"},
        {"assessment": "Cluster positive.\nSecond line.", "plan": "Block, then review"},
        {"scoring": Scoring(rule="laslett_2005_six", pretest_probability=0.13)},
        {"scoring": Scoring(rule="cms_lcd_2023", block_threshold_percent=90)},
        {"scoring": Scoring(pretest_probability=0.3, block_threshold_percent=50)},
        {"scoring": Scoring(agent_window_hours=AgentWindows(3, 6, 12))},
        {"date": dt.date(2000, 2, 29)},
        {"provocation": {}},
        {
            "provocation": {
                "distraction": ProvocationFinding(
                    result=Result.POSITIVE, pain_side=PainSide.BILATERAL
                ),
                "compression": ProvocationFinding(
                    result=Result.UNABLE,
                    pain_side=PainSide.RIGHT,
                    lying_side=Side.LEFT,
                    note="pregnant: not tolerated",
                ),
                "sacral_thrust": ProvocationFinding(result=Result.POSITIVE_OTHER),
                "yeoman": ProvocationFinding(left=Result.UNABLE, right=Result.POSITIVE),
                "gaenslen": ProvocationFinding(note="leg hanging not possible"),
            }
        },
    ],
)
def test_variants_round_trip(sample_visit, overrides):
    visit = sample_visit(**overrides)
    data = visit_to_dict(visit)
    assert visit_from_dict(data) == visit
    assert visit_from_dict(json.loads(canonical_json(data))) == visit


def test_finding_shapes():
    visit = Visit(
        date=dt.date(2026, 11, 20),
        provocation={
            "compression": ProvocationFinding(
                result=Result.POSITIVE,
                pain_side=PainSide.LEFT,
                lying_side=Side.RIGHT,
                note="lay on the right",
            ),
            "yeoman": ProvocationFinding(left=Result.UNABLE),
        },
    )
    assert visit_to_dict(visit)["provocation"] == {
        "compression": {
            "result": "positive",
            "pain_side": "left",
            "lying_side": "right",
            "note": "lay on the right",
        },
        # A lateral test writes both sides, never `result`.
        "yeoman": {"left": "unable", "right": "not_tested"},
    }


def test_unrecorded_tests_are_left_out():
    visit = Visit(
        date=dt.date(2026, 11, 20),
        provocation={
            "sacral_thrust": ProvocationFinding(result=Result.NOT_TESTED),
            "faber": ProvocationFinding(),
        },
    )
    assert visit.provocation == {}
    assert visit_to_dict(visit)["provocation"] == {}


# ---------------------------------------------------------------------------
# Omitted sections take their defaults (visit-format.md).
# ---------------------------------------------------------------------------


def test_only_the_date_is_needed():
    visit = visit_from_dict({"date": "2026-11-20"})
    assert visit == Visit(date=dt.date(2026, 11, 20))
    assert visit.clinician == ""
    assert visit.symptomatic_side is SymptomaticSide.UNKNOWN
    assert visit.chief_complaint == ""
    assert visit.centralised is None
    assert visit.provocation == {}
    assert visit.scoring == Scoring(
        rule="vanderwurff_2006", pretest_probability=0.20, block_threshold_percent=75
    )
    assert (visit.assessment, visit.plan) == ("", "")


@pytest.mark.parametrize(
    ("scoring", "expected"),
    [
        ({}, Scoring("vanderwurff_2006", 0.20, 75)),
        ({"rule": "laslett_2005_four"}, Scoring("laslett_2005_four", 0.20, 75)),
        ({"pretest_probability": 0.13}, Scoring("vanderwurff_2006", 0.13, 75)),
        ({"block_threshold_percent": 80}, Scoring("vanderwurff_2006", 0.20, 80)),
        (
            {"rule": "cms_lcd_2023", "pretest_probability": 0.3},
            Scoring("cms_lcd_2023", 0.3, 75),
        ),
    ],
)
def test_omitted_scoring_keys_take_defaults(scoring, expected):
    visit = visit_from_dict({"date": "2026-11-20", "scoring": scoring})
    assert visit.scoring == expected


def test_omitted_test_and_omitted_side_are_not_tested():
    visit = visit_from_dict(
        {
            "date": "2026-11-20",
            "symptomatic_side": "left",
            "provocation": {
                "distraction": {"result": "positive"},
                "thigh_thrust": {"right": "positive"},
                "compression": {},
            },
        }
    )
    assert visit.finding("sacral_thrust") == NOT_RECORDED
    assert visit.finding("compression") == NOT_RECORDED
    assert visit.finding("thigh_thrust").left is Result.NOT_TESTED
    assert visit.finding("thigh_thrust").right is Result.POSITIVE
    assert visit.finding("distraction").pain_side is None
    # Read with the rules: distraction positive, thigh thrust (left) untested.
    result = evaluate(visit)
    assert (result.positive, result.untested) == (1, 4)


def test_values_are_read_as_enums():
    visit = visit_from_dict(
        {
            "date": "2026-11-20",
            "symptomatic_side": "bilateral",
            "provocation": {
                "distraction": {"result": "positive", "pain_side": "right"},
                "gaenslen": {"left": "unable", "right": "positive_other"},
                "compression": {"result": "negative", "lying_side": "left"},
            },
        }
    )
    assert visit.symptomatic_side is SymptomaticSide.BILATERAL
    assert visit.finding("distraction").result is Result.POSITIVE
    assert visit.finding("distraction").pain_side is PainSide.RIGHT
    assert visit.finding("gaenslen").left is Result.UNABLE
    assert visit.finding("gaenslen").right is Result.POSITIVE_OTHER
    assert visit.finding("compression").lying_side is Side.LEFT


# ---------------------------------------------------------------------------
# Canonical JSON.
# ---------------------------------------------------------------------------


def test_canonical_json_is_stable(sample_visit):
    a = canonical_json(visit_to_dict(sample_visit()))
    b = canonical_json(visit_to_dict(sample_visit()))
    assert a == b
    # And a round trip does not change it.
    again = canonical_json(visit_to_dict(visit_from_dict(json.loads(a))))
    assert again == a


def test_canonical_json_ignores_recording_order(sample_visit):
    visit = sample_visit()
    reordered = replace(
        visit, provocation=dict(reversed(list(visit.provocation.items())))
    )
    assert reordered == visit
    assert canonical_json(visit_to_dict(reordered)) == canonical_json(
        visit_to_dict(visit)
    )


def test_canonical_json_is_compact_and_keeps_unicode(sample_visit):
    text = canonical_json(visit_to_dict(sample_visit(clinician="Ñúñez — PT")))
    assert text.startswith('{"date":"2026-11-20","clinician":"Ñúñez — PT",')
    assert ", " not in text.replace("J. Doe, PT", "")
    assert ": " not in text
    assert "\\u" not in text


def test_canonical_json_of_a_small_visit():
    visit = Visit(
        date=dt.date(2026, 11, 20),
        provocation={"distraction": ProvocationFinding(result=Result.POSITIVE)},
    )
    assert canonical_json(visit_to_dict(visit)) == (
        '{"date":"2026-11-20","clinician":"","symptomatic_side":"unknown",'
        '"chief_complaint":"","centralised":null,'
        '"provocation":{"distraction":{"result":"positive"}},'
        '"scoring":{"rule":"vanderwurff_2006","pretest_probability":0.2,'
        '"block_threshold_percent":75},"assessment":"","plan":""}'
    )


# ---------------------------------------------------------------------------
# Patient and the whole document.
# ---------------------------------------------------------------------------


def test_patient_to_dict(sample_patient):
    assert patient_to_dict(sample_patient()) == {
        "mrn": "A-1001",
        "family_name": "Kim",
        "given_names": "Sungae",
        "date_of_birth": "1978-03-14",
        "sex": "female",
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"family_name": "Ñúñez", "given_names": ""},
        {"sex": Sex.UNKNOWN},
        {"sex": Sex.OTHER, "date_of_birth": dt.date(1906, 12, 31)},
    ],
)
def test_patient_round_trips(sample_patient, overrides):
    patient = sample_patient(**overrides)
    assert patient_from_dict(patient_to_dict(patient)) == patient


def test_patient_omitted_fields_take_defaults():
    patient = patient_from_dict(
        {"mrn": "B-7", "family_name": "Lee", "date_of_birth": "1990-01-02"}
    )
    assert patient == Patient(
        mrn="B-7",
        family_name="Lee",
        given_names="",
        date_of_birth=dt.date(1990, 1, 2),
        sex=Sex.UNKNOWN,
    )


def test_document(sample_patient, sample_visit):
    doc = document(sample_patient(), sample_visit())
    assert list(doc) == ["format", "version", "patient", "visit"]
    assert doc["format"] == FORMAT_NAME == "sijoint-exam/visit"
    assert doc["version"] == FORMAT_VERSION == 1
    assert doc["patient"]["mrn"] == "A-1001"
    assert doc["visit"] == SAMPLE_VISIT_DICT
    parsed = json.loads(canonical_json(doc))
    assert patient_from_dict(parsed["patient"]) == sample_patient()
    assert visit_from_dict(parsed["visit"]) == sample_visit()


# ---------------------------------------------------------------------------
# Property: any well-formed visit survives the trip through JSON text.
# ---------------------------------------------------------------------------

results = st.sampled_from(list(Result))
# The default windows (not written) or any allowed ones (written in full).
hours = st.integers(1, 24)
agent_windows = st.just(AgentWindows()) | st.builds(AgentWindows, hours, hours, hours)
notes = st.text(max_size=20)


@st.composite
def visits(draw):
    provocation = {}
    for test_id in NON_LATERAL:
        if draw(st.booleans()):
            provocation[test_id] = ProvocationFinding(
                result=draw(results),
                pain_side=draw(st.none() | st.sampled_from(list(PainSide))),
                lying_side=(
                    draw(st.none() | st.sampled_from(list(Side)))
                    if test_id == "compression"
                    else None
                ),
                note=draw(notes),
            )
    for test_id in LATERAL:
        if draw(st.booleans()):
            provocation[test_id] = ProvocationFinding(
                left=draw(results), right=draw(results), note=draw(notes)
            )
    return Visit(
        date=draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))),
        clinician=draw(notes),
        symptomatic_side=draw(st.sampled_from(list(SymptomaticSide))),
        chief_complaint=draw(notes),
        centralised=draw(st.sampled_from([True, False, None])),
        provocation=provocation,
        scoring=Scoring(
            rule=draw(
                st.sampled_from(
                    [
                        "vanderwurff_2006",
                        "laslett_2005_six",
                        "laslett_2005_four",
                        "cms_lcd_2023",
                    ]
                )
            ),
            pretest_probability=draw(
                st.floats(0.01, 0.99, allow_nan=False, allow_infinity=False)
            ),
            block_threshold_percent=draw(st.sampled_from([50, 75, 80, 90, 100])),
            agent_window_hours=draw(agent_windows),
        ),
        assessment=draw(notes),
        plan=draw(notes),
    )


@settings(max_examples=200, deadline=None)
@given(visit=visits())
def test_any_visit_round_trips_through_json(visit):
    text = canonical_json(visit_to_dict(visit))
    back = visit_from_dict(json.loads(text))
    assert back == visit
    assert canonical_json(visit_to_dict(back)) == text
    assert evaluate(back) == evaluate(visit)


# ---------------------------------------------------------------------------
# visit.signing: the checks acknowledged at signing, in exports of signed visits
# ---------------------------------------------------------------------------


def test_a_signed_visit_carries_its_acknowledged_checks(sample_patient, sample_visit):
    doc = document(
        sample_patient(), sample_visit(), ["unguided_block", "cauda_equina_urgency"]
    )
    assert list(doc["visit"])[-1] == "signing"
    assert doc["visit"]["signing"] == {
        "acknowledged_checks": ["cauda_equina_urgency", "unguided_block"]
    }
    signed_without_checks = document(sample_patient(), sample_visit(), [])
    assert signed_without_checks["visit"]["signing"] == {"acknowledged_checks": []}
    assert "signing" not in document(sample_patient(), sample_visit())["visit"]
    parsed = parse_document(json.loads(canonical_json(doc)), dt.date(2026, 12, 1))
    assert parsed == (sample_patient(), sample_visit())
    assert acknowledged_checks(doc) == ("cauda_equina_urgency", "unguided_block")
    assert acknowledged_checks(signed_without_checks) == ()
    assert acknowledged_checks(document(sample_patient(), sample_visit())) is None


@pytest.mark.parametrize(
    ("signing", "problem"),
    [
        (
            {"acknowledged_checks": ["unguided"]},
            'visit.signing.acknowledged_checks[0]: "unguided" is not one of '
            "cauda_equina_urgency, centralised_positive_cluster, "
            "block_side_mismatch, unguided_block, steroid_comparative, "
            "radiculopathy_screen_missing",
        ),
        (
            {"acknowledged_checks": ["unguided_block", "unguided_block"]},
            'visit.signing.acknowledged_checks[1]: "unguided_block" is listed twice',
        ),
        (
            {"acknowledged_checks": [3]},
            "visit.signing.acknowledged_checks[0]: 3 is not text",
        ),
        (
            {"acknowledged_checks": "unguided_block"},
            'visit.signing.acknowledged_checks: "unguided_block" is not a list',
        ),
        (
            {"signer": "J. Doe"},
            "visit.signing.signer: unknown key (allowed: acknowledged_checks)",
        ),
        ([], "visit.signing: [] is not an object"),
    ],
)
def test_a_bad_signing_is_refused_naming_the_field(
    sample_patient, sample_visit, signing, problem
):
    doc = json.loads(canonical_json(document(sample_patient(), sample_visit())))
    doc["visit"]["signing"] = signing
    found = parse_document(doc, dt.date(2026, 12, 1))
    assert [str(p) for p in found] == [problem]
