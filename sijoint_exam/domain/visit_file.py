"""The visit file (visit-format.md, version 1): Visit and Patient <-> plain JSON values.

The store keeps each visit's canonical JSON whole, so this mapping is also the storage
format of the visit content. Canonical means: a fixed key order; the keys of version 1's
first sections always written; the later sections (history … aslr) and their optional
keys written only when they hold something. Reading is strict (`visit_reader`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sijoint_exam.domain.alignment import Alignment, Sided
from sijoint_exam.domain.block import Block
from sijoint_exam.domain.catalogue import RED_FLAGS, TESTS_BY_ID
from sijoint_exam.domain.json_reader import Reader, show
from sijoint_exam.domain.screens_file import hip_screen_to_dict, neuro_screen_to_dict
from sijoint_exam.domain.signing_checks import in_check_order, read_signing
from sijoint_exam.domain.validation import Problem, validate_patient, validate_visit
from sijoint_exam.domain.visit import (
    Patient,
    ProvocationFinding,
    Scoring,
    Visit,
)
from sijoint_exam.domain.visit_reader import read_patient, read_visit

FORMAT_NAME = "sijoint-exam/visit"
FORMAT_VERSION = 1
_DOCUMENT_KEYS = ("format", "version", "patient", "visit")


def patient_to_dict(patient: Patient) -> dict[str, Any]:
    """A patient as the visit file's `patient` object."""
    return {
        "mrn": patient.mrn,
        "family_name": patient.family_name,
        "given_names": patient.given_names,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex.value,
    }


def _strict(read: Any, data: Any) -> Any:
    reader = Reader()
    value = read(reader, data)
    if reader.problems:
        raise ValueError("; ".join(str(p) for p in reader.problems))
    return value


def patient_from_dict(data: dict[str, Any]) -> Patient:
    """The inverse of `patient_to_dict`.

    Raises:
        ValueError: a key is unknown or missing, or a value of the wrong type.
    """
    patient: Patient = _strict(read_patient, data)
    return patient


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


def _present(**values: Any) -> dict[str, Any]:
    """The values that hold something, in the order given."""
    return {k: v for k, v in values.items() if v is not None and v != "" and v != []}


def _value(member: Any) -> Any:
    return None if member is None else member.value


def _sided(found: Sided[Any]) -> dict[str, Any]:
    return _present(left=_value(found.left), right=_value(found.right))


def _alignment_to_dict(alignment: Alignment) -> dict[str, Any]:
    screening = alignment.screening
    return _present(
        patterns=[
            _present(pattern=p.pattern.value, side=_value(p.side))
            for p in alignment.patterns
        ],
        landmarks={k.value: _sided(v) for k, v in alignment.landmarks.items()} or None,
        screening=_present(
            standing_flexion=_value(screening.standing_flexion),
            seated_flexion=_value(screening.seated_flexion),
            gillet=_sided(screening.gillet) or None,
            supine_to_long_sit=_sided(screening.supine_to_long_sit) or None,
            sacral_spring=_value(screening.sacral_spring),
            sphinx=_value(screening.sphinx),
        )
        or None,
    )


def _block_to_dict(block: Block) -> dict[str, Any]:
    out = _present(
        date=block.date.isoformat(),
        number=block.number,
        side=block.side.value,
        agent=block.agent.value,
        concentration=block.concentration,
        volume=block.volume,
        steroid=block.steroid,
        guidance=_value(block.guidance),
        pre=block.pre,
    )
    out["readings"] = [
        _present(minutes=r.minutes, nrs=r.nrs, patient_percent=r.patient_percent)
        for r in block.readings
    ]
    return out | _present(relief_hours=block.relief_hours)


def _scoring_to_dict(scoring: Scoring) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": scoring.rule,
        "pretest_probability": scoring.pretest_probability,
        "block_threshold_percent": scoring.block_threshold_percent,
    }
    windows = scoring.agent_window_hours
    # Only when changed, so that a file (and a stored visit's hash) read with the
    # default windows stays what it was before windows were settings. Then every
    # agent is written, so the file says in full which windows were used.
    if not windows.is_default:
        out["agent_window_hours"] = {
            agent.value: hours for agent, hours in windows.by_agent().items()
        }
    return out


def _later_sections(visit: Visit) -> dict[str, dict[str, Any]]:
    """history, referral, pain, red_flags: written when they hold something."""
    history, referral, pain = visit.history, visit.referral, visit.pain
    return _present(
        history=_present(
            onset=visit.history.onset.isoformat() if history.onset else None,
            mechanism=history.mechanism,
            conservative_care=history.conservative_care,
            conservative_care_weeks=history.conservative_care_weeks,
            imaging=history.imaging,
            medications=history.medications,
            anticoagulation=history.anticoagulation,
            contrast_allergy=history.contrast_allergy,
            pregnant=history.pregnant,
        )
        or None,
        referral=_present(
            recipient=referral.recipient,
            question=referral.question,
            urgency=_value(referral.urgency),
            copies=list(referral.copies),
        )
        or None,
        pain=_present(
            now=pain.now,
            best_24h=pain.best_24h,
            worst_24h=pain.worst_24h,
            regions=list(pain.regions),
        )
        or None,
        # The whole screen, once any answer is recorded: "not asked" is documentation.
        red_flags={f.id: visit.red_flag(f.id).value for f in RED_FLAGS}
        if visit.red_flags
        else None,
    )


def visit_to_dict(visit: Visit) -> dict[str, Any]:
    """A visit as the visit file's `visit` object, in canonical key order."""
    odi, aslr = visit.odi, visit.aslr
    return {
        "date": visit.date.isoformat(),
        "clinician": visit.clinician,
        "symptomatic_side": visit.symptomatic_side.value,
        "chief_complaint": visit.chief_complaint,
        "centralised": visit.centralised,
        **_later_sections(visit),
        "provocation": {
            test.id: _finding_to_dict(test.id, visit.provocation[test.id])
            for test in TESTS_BY_ID.values()
            if test.id in visit.provocation
        },
        "scoring": _scoring_to_dict(visit.scoring),
        **_present(
            alignment=_alignment_to_dict(visit.alignment) or None,
            blocks=[_block_to_dict(b) for b in visit.blocks],
            odi={"version": odi.version, "answers": list(odi.answers)}
            if not odi.is_empty
            else None,
            aslr=_present(left=aslr.left, right=aslr.right) or None,
            neuro_screen=neuro_screen_to_dict(visit.neuro_screen),
            hip_screen=hip_screen_to_dict(visit.hip_screen),
        ),
        "assessment": visit.assessment,
        "plan": visit.plan,
    }


def visit_from_dict(data: dict[str, Any]) -> Visit:
    """The inverse of `visit_to_dict`; omitted sections take their defaults.

    Raises:
        ValueError: a key is unknown or missing, or a value of the wrong type.
    """
    visit: Visit = _strict(read_visit, data)
    return visit


def canonical_json(value: dict[str, Any]) -> str:
    """JSON text that is the same for the same content (the hash and storage form)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# `visit.signing`: written in exports of signed visits only, never stored with
# the visit's content (the signature is a record of its own).
SIGNING_KEY = "signing"


def document(
    patient: Patient, visit: Visit, acknowledged_checks: Sequence[str] | None = None
) -> dict[str, Any]:
    """The whole visit file: format, version, patient, visit.

    `acknowledged_checks` is given for a signed visit (empty when no check was
    open): the visit then carries `signing.acknowledged_checks`.
    """
    content = visit_to_dict(visit)
    if acknowledged_checks is not None:
        checks = list(in_check_order(acknowledged_checks))
        content[SIGNING_KEY] = {"acknowledged_checks": checks}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "patient": patient_to_dict(patient),
        "visit": content,
    }


def acknowledged_checks(value: object) -> tuple[str, ...] | None:
    """The checks a valid visit file says were acknowledged at signing; None when
    it does not say the visit was signed."""
    visit = value.get("visit") if isinstance(value, dict) else None
    if not isinstance(visit, dict) or SIGNING_KEY not in visit:
        return None
    checks: tuple[str, ...] = _strict(read_signing_at, visit[SIGNING_KEY])
    return checks


def read_signing_at(reader: Reader, value: object) -> tuple[str, ...]:
    """`visit.signing`, read at its place in the file."""
    return read_signing(reader, value, f"visit.{SIGNING_KEY}")


def _split_signing(visit: object) -> tuple[object, object]:
    """The visit object without `signing`, and `signing` (None if absent)."""
    if not isinstance(visit, dict) or SIGNING_KEY not in visit:
        return visit, None
    rest = {k: v for k, v in visit.items() if k != SIGNING_KEY}
    return rest, visit[SIGNING_KEY]


def _read_header(value: object) -> list[Problem]:
    """The envelope: an object with exactly format, version, patient and visit."""
    if not isinstance(value, dict):
        return [Problem("document", f"{show(value)} is not a JSON object")]
    problems = [
        Problem(str(key) or '""', f"unknown key (allowed: {', '.join(_DOCUMENT_KEYS)})")
        for key in value
        if key not in _DOCUMENT_KEYS
    ]
    problems += [
        Problem(key, "is required") for key in _DOCUMENT_KEYS if value.get(key) is None
    ]
    if "format" in value and value["format"] != FORMAT_NAME:
        problems.append(
            Problem(
                "format",
                f"{show(value['format'])} is not {FORMAT_NAME!r}: "
                "not a sijoint-exam visit file",
            )
        )
    version = value.get("version")
    if version is not None and (version is True or version != FORMAT_VERSION):
        problems.append(
            Problem(
                "version",
                f"{show(version)} is not supported (this program reads version "
                f"{FORMAT_VERSION})",
            )
        )
    return problems


def _under(field: str, paths: set[str]) -> bool:
    """Is `field` one of `paths` or inside one of them?"""
    return any(field == p or field.startswith((f"{p}.", f"{p}[")) for p in paths)


def parse_document(
    value: object, today: dt.date
) -> tuple[Patient, Visit] | list[Problem]:
    """Read and validate a whole visit file (any JSON value); never raises.

    Args:
        value: the parsed JSON document.
        today: the date that "in the future" is measured from.

    Returns:
        The patient and the visit, or every problem found, each naming its field.
    """
    problems = _read_header(value)
    if problems or not isinstance(value, dict):
        return problems
    reader = Reader()
    patient = read_patient(reader, value["patient"])
    content, signing = _split_signing(value["visit"])
    visit = read_visit(reader, content)
    if signing is not None:
        read_signing_at(reader, signing)
    bad = {p.field for p in reader.problems}
    # A field that could not be read stands in with a neutral value; the rules are
    # not run on stand-ins, and a bad date of birth is not compared with anything.
    dob_known = "patient.date_of_birth" not in bad
    checked = validate_patient(patient, today) + validate_visit(
        visit, patient if dob_known else None, today
    )
    problems = reader.problems + [p for p in checked if not _under(p.field, bad)]
    return problems or (patient, visit)
