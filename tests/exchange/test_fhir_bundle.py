"""The FHIR R4 Bundle of a visit: valid two ways, coded as docs/fhir.md says.

Expected values are read off the sample visit (resources/sample-visit.json) by
hand: 7 test-and-side results recorded (sacral thrust and Gaenslen right not
tested), 3 of 5 positive on van der Wurff's rule, post-test 0.2·4.02/(0.2·4.02+0.8)
= 50.1 %, ODI 23/45 = 51.1 %, block peak (7−1)/7 = 86 % ≥ 75 %.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import random
import re
from pathlib import Path
from typing import Any

import pytest

from sijoint_exam.domain.catalogue import RULE_SETS
from sijoint_exam.domain.demo import demo_clinic
from sijoint_exam.exchange.fhir import build_bundle
from sijoint_exam.exchange.fhir_bundle import (
    AddendumRecord,
    SignatureRecord,
    VisitExport,
    identifier_system_problem,
)
from sijoint_exam.exchange.fhir_terms import CANONICAL_BASE
from sijoint_exam.ui.fhir_export import stored_visit_export
from tests.exchange.conftest import ADDENDUM, LETTERHEAD, SIGNER, SYSTEM
from tests.exchange.fhir_validation import (
    full_schema_problems,
    model_problems,
    problems,
    schema_problems,
)

SNOMED = "http://snomed.info/sct"
PDF = b"%PDF-1.4 the note"


def _export(sample, **changes: Any) -> VisitExport:
    patient, visit = sample
    return dataclasses.replace(VisitExport(SYSTEM, "1", patient, visit, PDF), **changes)


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind
    ]


def _coded(bundle: dict[str, Any], code: str) -> list[dict[str, Any]]:
    return [
        r
        for r in _resources(bundle, "Observation")
        if any(c["code"] == code for c in r["code"]["coding"])
    ]


def _component(resource: dict[str, Any], code: str) -> dict[str, Any]:
    (found,) = [
        c for c in resource["component"] if c["code"]["coding"][0]["code"] == code
    ]
    return found


def test_sample_visit_is_valid_both_ways(sample) -> None:
    bundle = build_bundle(_export(sample))
    assert bundle["type"] == "transaction"
    assert problems(bundle) == []
    # Once against the schema exactly as published, with no dispatch by type.
    assert full_schema_problems(bundle) == []


def test_the_validators_catch_what_is_not_r4(sample) -> None:
    # Guards the guards: a status R4 does not know, and a misspelt element.
    bundle = build_bundle(_export(sample))
    observation = _resources(bundle, "Observation")[0]
    observation["status"] = "done"
    observation["valueCodableConcept"] = {}
    assert schema_problems(bundle)
    assert full_schema_problems(bundle)
    assert model_problems(bundle)


def test_every_reference_points_into_the_bundle(sample) -> None:
    bundle = build_bundle(_export(sample))
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(full_urls) == len(bundle["entry"])

    def references(value: Any) -> list[str]:
        if isinstance(value, dict):
            own = [value["reference"]] if "reference" in value else []
            return own + [r for v in value.values() for r in references(v)]
        if isinstance(value, list):
            return [r for v in value for r in references(v)]
        return []

    found = references([e["resource"] for e in bundle["entry"]])
    assert found and set(found) <= full_urls


def test_patient_is_matched_on_the_clinic_mrn(sample) -> None:
    bundle = build_bundle(_export(sample))
    first = bundle["entry"][0]
    assert first["request"] == {
        "method": "PUT",
        "url": f"Patient?identifier={SYSTEM}|A-1001",
    }
    (identifier,) = first["resource"]["identifier"]
    assert (identifier["system"], identifier["value"]) == (SYSTEM, "A-1001")
    assert first["resource"]["birthDate"] == "1978-03-14"
    assert first["resource"]["gender"] == "female"


def test_identifiers_are_stable_and_differ_per_visit(sample) -> None:
    first = build_bundle(_export(sample))
    again = build_bundle(_export(sample))
    other = build_bundle(_export(sample, visit_key="2"))
    urls = [e["fullUrl"] for e in first["entry"]]
    assert urls == [e["fullUrl"] for e in again["entry"]]
    assert all(u.startswith("urn:uuid:") for u in urls)
    # The patient is the same person; the visit's resources are new ones.
    assert urls[0] == other["entry"][0]["fullUrl"]
    assert set(urls[2:]).isdisjoint(e["fullUrl"] for e in other["entry"])
    for entry in first["entry"][1:]:
        kind = entry["resource"]["resourceType"]
        assert entry["request"]["url"] == (
            f"{kind}?identifier=urn:ietf:rfc:3986|{entry['fullUrl']}"
        )


def test_provocation_results_per_test_and_side(sample) -> None:
    bundle = build_bundle(_export(sample))
    tests = [
        r
        for r in _resources(bundle, "Observation")
        if "provocation-test" in r["code"]["coding"][0]["system"]
    ]
    seen = {}
    for r in tests:
        site = r["bodySite"]
        assert site["coding"][0]["system"] == SNOMED
        assert site["coding"][0]["code"] == "39723000"
        extension = site.get("extension", [{}])[0]
        side = (
            extension.get("valueCodeableConcept", {}).get("coding", [{}])[0].get("code")
        )
        seen[(r["code"]["coding"][0]["code"], side)] = r["valueCodeableConcept"][
            "coding"
        ][0]["code"]
        assert r["category"][0]["coding"][0]["code"] == "exam"
    assert seen == {
        ("distraction", "7771000"): "positive",  # pain felt on the left
        ("thigh_thrust", "7771000"): "positive",
        ("thigh_thrust", "24028007"): "negative",
        ("compression", None): "negative",  # no pain side recorded
        ("faber", "7771000"): "positive_other",
        ("faber", "24028007"): "negative",
        ("gaenslen", "7771000"): "positive",
    }
    (compression,) = [
        r for r in tests if r["code"]["coding"][0]["code"] == "compression"
    ]
    lying = _component(compression, "lying-side")["valueCodeableConcept"]
    assert lying["coding"][0]["code"] == "24028007"  # lay on the right


def test_cluster_observation_has_its_members_and_the_post_test(sample) -> None:
    bundle = build_bundle(_export(sample))
    (tally,) = _coded(bundle, "sij-cluster")
    assert tally["valueCodeableConcept"]["coding"][0]["code"] == "positive"
    assert len(tally["hasMember"]) == 7  # the rule's five tests, per side recorded
    assert _component(tally, "items-positive")["valueInteger"] == 3
    assert _component(tally, "cluster-rule")["valueCodeableConcept"]["coding"][0][
        "code"
    ] == ("vanderwurff_2006")
    assert _component(tally, "post-test-probability")["valueQuantity"]["value"] == 50.1
    assert _component(tally, "pretest-probability")["valueQuantity"]["value"] == 20.0
    # LR+ 4.02 (2.04–7.90) from 23/4/7/26: 0.2·2.04/(0.2·2.04+0.8) = 33.8 %,
    # 0.2·7.90/(0.2·7.90+0.8) = 66.4 % — the "50% (34–66%)" of the rules.
    band = _component(tally, "post-test-range")["valueRange"]
    assert (band["low"]["value"], band["high"]["value"]) == (33.8, 66.4)


def test_outcomes_pain_odi_aslr_red_flags(sample) -> None:
    bundle = build_bundle(_export(sample))
    (pain,) = [
        r
        for r in _coded(bundle, "72514-3")
        if "partOf" not in r  # block readings use the same LOINC code
    ]
    assert pain["valueInteger"] == 6
    assert pain["code"]["coding"][0]["system"] == "http://loinc.org"
    (response,) = _resources(bundle, "QuestionnaireResponse")
    assert len(response["item"]) == 9  # section 8 unanswered
    (odi,) = _coded(bundle, "odi-score")
    assert odi["valueQuantity"]["value"] == 51.1
    assert odi["derivedFrom"] == [{"reference": response["identifier"]["value"]}]
    (aslr,) = _coded(bundle, "aslr")
    assert aslr["valueInteger"] == 2
    (flags,) = _coded(bundle, "red-flag-screen")
    answers = {
        c["code"]["coding"][0]["code"]: c["valueBoolean"] for c in flags["component"]
    }
    assert len(answers) == 11 and answers["trauma"] is True
    assert "sexual" not in answers
    assert any("sexual dysfunction" in n["text"] for n in flags["note"])


def test_block_procedure_with_readings_part_of_it(sample) -> None:
    bundle = build_bundle(_export(sample))
    (procedure,) = _resources(bundle, "Procedure")
    (site,) = procedure["bodySite"]
    assert site["coding"][0]["code"] == "39723000"
    assert (
        site["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "7771000"
    )
    assert procedure["usedCode"][0]["coding"][0]["code"] == "lidocaine"
    procedure_url = procedure["identifier"][0]["value"]
    readings = [r for r in _resources(bundle, "Observation") if r.get("partOf")]
    assert all(r["partOf"] == [{"reference": procedure_url}] for r in readings)
    values = [r.get("valueInteger") for r in readings if "valueInteger" in r]
    assert values == [7, 1, 2]  # before, 30 min, 60 min
    (result,) = _coded(bundle, "block-result")
    assert result["valueCodeableConcept"]["coding"][0]["code"] == "positive"
    assert _component(result, "peak-relief")["valueQuantity"]["value"] == 86
    assert len(result["derivedFrom"]) == 3


def test_unsigned_visit_is_preliminary_with_no_provenance(sample) -> None:
    bundle = build_bundle(_export(sample))
    assert {r["status"] for r in _resources(bundle, "Observation")} == {"preliminary"}
    assert _resources(bundle, "Provenance") == []
    (note,) = _resources(bundle, "DocumentReference")
    assert note["docStatus"] == "preliminary"


def test_note_attachment_carries_sha1_and_size(sample) -> None:
    bundle = build_bundle(_export(sample))
    (note,) = _resources(bundle, "DocumentReference")
    attachment = note["content"][0]["attachment"]
    assert base64.b64decode(attachment["data"]) == PDF
    assert attachment["size"] == len(PDF)
    assert base64.b64decode(attachment["hash"]) == hashlib.sha1(PDF).digest()
    assert note["type"]["coding"][0] == {
        "system": "http://loinc.org",
        "code": "11508-9",
        "display": "Physical therapy Progress note",
    }


def test_signed_visit_with_addendum_from_the_store(signed_store) -> None:
    export = stored_visit_export(signed_store, 1, SYSTEM, LETTERHEAD)
    assert export.note_pdf.startswith(b"%PDF")
    bundle = build_bundle(export)
    assert problems(bundle) == []
    assert {r["status"] for r in _resources(bundle, "Observation")} == {"final"}
    note, addendum = _resources(bundle, "DocumentReference")
    assert note["docStatus"] == "final"
    note_url = note["identifier"][0]["value"]
    assert addendum["relatesTo"] == [
        {"code": "appends", "target": {"reference": note_url}}
    ]
    text = base64.b64decode(addendum["content"][0]["attachment"]["data"])
    assert text.decode("utf-8") == ADDENDUM
    signature = signed_store.signature(1)
    (stored_addendum,) = signed_store.addenda(1)
    visit_provenance, addendum_provenance = _resources(bundle, "Provenance")
    signed = visit_provenance["signature"][0]
    assert base64.b64decode(signed["data"]).decode() == (
        f"sha256:{signature.content_sha256}"
    )
    assert signed["type"][0]["code"] == "1.2.840.10065.1.12.1.1"
    assert {"reference": note_url} in visit_provenance["target"]
    assert base64.b64decode(addendum_provenance["signature"][0]["data"]).decode() == (
        f"sha256:{stored_addendum.content_sha256}"
    )
    practitioners = _resources(bundle, "Practitioner")
    assert [p["name"][0]["text"] for p in practitioners] == [SIGNER]


def test_two_hundred_demo_visits_are_valid_both_ways() -> None:
    today = dt.date(2026, 11, 20)
    signed_at = dt.datetime(2026, 11, 20, 17, 0, tzinfo=dt.UTC)
    count = 0
    for index, (patient, visits) in enumerate(demo_clinic(120, today, seed=17)):
        for number, visit in enumerate(visits):
            # Every rule in turn, the coverage criterion (no LR) among them.
            rule = RULE_SETS[count % len(RULE_SETS)].id
            visit = dataclasses.replace(
                visit, scoring=dataclasses.replace(visit.scoring, rule=rule)
            )
            signature = addenda = None
            if (index + number) % 2:  # every other visit signed, some corrected
                signature = SignatureRecord(visit.clinician, signed_at, "ab" * 32)
                addenda = (
                    AddendumRecord(
                        count, "Second PT", signed_at, "Pain ↓ after", "cd" * 32
                    ),
                )
            export = VisitExport(
                SYSTEM,
                str(count),
                patient,
                visit,
                random.Random(count).randbytes(64),
                signature,
                addenda or (),
            )
            bundle = build_bundle(export)
            assert problems(bundle) == [], (patient.mrn, visit.date)
            count += 1
            if count == 200:
                return
    pytest.fail(f"the demo clinic gave only {count} visits")


@pytest.mark.parametrize(
    ("system", "ok"),
    [
        ("urn:oid:2.16.840.1.113883.19.5", True),
        ("https://clinic.example/mrn", True),
        ("", False),
        ("MRN", False),
        ("urn:oid: 1.2", False),
        ("1http:x", False),
    ],
)
def test_identifier_system_must_be_an_absolute_uri(system: str, ok: bool) -> None:
    assert (identifier_system_problem(system) is None) is ok


def _documented_codes() -> dict[str, set[str]]:
    """The codes docs/fhir.md lists under each of the program's code systems."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "fhir.md").read_text("utf-8")
    sections = re.split(r"^### `([^`]+)`$", text, flags=re.MULTILINE)
    return {
        system: set(re.findall(r"^\| `([^`]+)` \|", body, flags=re.MULTILINE))
        for system, body in zip(sections[1::2], sections[2::2], strict=True)
    }


def test_every_code_of_the_program_is_documented(sample, signed_store) -> None:
    documented = _documented_codes()
    bundles = [
        build_bundle(_export(sample)),
        build_bundle(stored_visit_export(signed_store, 1, SYSTEM, LETTERHEAD)),
    ]
    used: set[tuple[str, str]] = set()

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            if str(value.get("system", "")).startswith(CANONICAL_BASE):
                used.add((value["system"], value["code"]))
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    collect(bundles)
    assert len(used) > 40
    missing = {(s, c) for s, c in used if c not in documented.get(s, set())}
    assert missing == set()


def test_centralised_pain_sends_the_counts_but_no_reading(sample) -> None:
    patient, visit = sample
    centralised = dataclasses.replace(visit, centralised=True)
    bundle = build_bundle(_export((patient, centralised)))
    assert problems(bundle) == []
    (tally,) = _coded(bundle, "sij-cluster")
    value = tally["valueCodeableConcept"]
    assert value["coding"][0]["code"] == "not-interpretable"
    assert "consistent with SIJ pain" not in value["text"]
    assert _component(tally, "items-positive")["valueInteger"] == 3
    codes = {c["code"]["coding"][0]["code"] for c in tally["component"]}
    assert "post-test-probability" not in codes and "post-test-range" not in codes
