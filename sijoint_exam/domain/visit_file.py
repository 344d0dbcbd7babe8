"""The visit file (visit-format.md, version 1): Visit and Patient <-> plain JSON values.

The store keeps each visit's canonical JSON whole, so this mapping is also the storage
format of the visit content. Canonical means: every key written, in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sijoint_exam.domain.catalogue import (
    TESTS_BY_ID,
    PainSide,
    Result,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.visit import (
    Patient,
    ProvocationFinding,
    Scoring,
    Sex,
    Visit,
)

FORMAT_NAME = "sijoint-exam/visit"
FORMAT_VERSION = 1


def patient_to_dict(patient: Patient) -> dict[str, Any]:
    """A patient as the visit file's `patient` object."""
    return {
        "mrn": patient.mrn,
        "family_name": patient.family_name,
        "given_names": patient.given_names,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex.value,
    }


def patient_from_dict(data: dict[str, Any]) -> Patient:
    """The inverse of `patient_to_dict` (values assumed already validated)."""
    return Patient(
        mrn=data["mrn"],
        family_name=data["family_name"],
        given_names=data.get("given_names", ""),
        date_of_birth=dt.date.fromisoformat(data["date_of_birth"]),
        sex=Sex(data.get("sex", Sex.UNKNOWN.value)),
    )


def _finding_to_dict(test_id: str, finding: ProvocationFinding) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if TESTS_BY_ID[test_id].lateral:
        out["left"] = finding.left.value
        out["right"] = finding.right.value
    else:
        out["result"] = finding.result.value
    if finding.pain_side is not None:
        out["pain_side"] = finding.pain_side.value
    if finding.lying_side is not None:
        out["lying_side"] = finding.lying_side.value
    if finding.note:
        out["note"] = finding.note
    return out


def _finding_from_dict(data: dict[str, Any]) -> ProvocationFinding:
    return ProvocationFinding(
        result=Result(data.get("result", Result.NOT_TESTED.value)),
        left=Result(data.get("left", Result.NOT_TESTED.value)),
        right=Result(data.get("right", Result.NOT_TESTED.value)),
        pain_side=PainSide(data["pain_side"]) if data.get("pain_side") else None,
        lying_side=Side(data["lying_side"]) if data.get("lying_side") else None,
        note=data.get("note", ""),
    )


def visit_to_dict(visit: Visit) -> dict[str, Any]:
    """A visit as the visit file's `visit` object, in canonical key order."""
    out: dict[str, Any] = {
        "date": visit.date.isoformat(),
        "clinician": visit.clinician,
        "symptomatic_side": visit.symptomatic_side.value,
        "chief_complaint": visit.chief_complaint,
        "centralised": visit.centralised,
        "provocation": {
            test.id: _finding_to_dict(test.id, visit.provocation[test.id])
            for test in TESTS_BY_ID.values()
            if test.id in visit.provocation
        },
        "scoring": {
            "rule": visit.scoring.rule,
            "pretest_probability": visit.scoring.pretest_probability,
            "block_threshold_percent": visit.scoring.block_threshold_percent,
        },
        "assessment": visit.assessment,
        "plan": visit.plan,
    }
    return out


def visit_from_dict(data: dict[str, Any]) -> Visit:
    """The inverse of `visit_to_dict`; omitted sections take their defaults."""
    scoring = data.get("scoring", {})
    defaults = Scoring()
    return Visit(
        date=dt.date.fromisoformat(data["date"]),
        clinician=data.get("clinician", ""),
        symptomatic_side=SymptomaticSide(data.get("symptomatic_side", "unknown")),
        chief_complaint=data.get("chief_complaint", ""),
        centralised=data.get("centralised"),
        provocation={
            test_id: _finding_from_dict(finding)
            for test_id, finding in data.get("provocation", {}).items()
        },
        scoring=Scoring(
            rule=scoring.get("rule", defaults.rule),
            pretest_probability=scoring.get(
                "pretest_probability", defaults.pretest_probability
            ),
            block_threshold_percent=scoring.get(
                "block_threshold_percent", defaults.block_threshold_percent
            ),
        ),
        assessment=data.get("assessment", ""),
        plan=data.get("plan", ""),
    )


def canonical_json(value: dict[str, Any]) -> str:
    """JSON text that is the same for the same content (the hash and storage form)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def document(patient: Patient, visit: Visit) -> dict[str, Any]:
    """The whole visit file: format, version, patient, visit."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "patient": patient_to_dict(patient),
        "visit": visit_to_dict(visit),
    }
