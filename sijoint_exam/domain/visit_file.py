"""The visit file (visit-format.md, version 1): Visit and Patient <-> plain JSON values.

The store keeps each visit's canonical JSON whole, so this mapping is also the storage
format of the visit content. Canonical means: a fixed key order; the keys of version 1's
first sections always written; the later sections (history … aslr) and their optional
keys written only when they hold something. Reading is strict (`visit_reader`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sijoint_exam.domain.input_limits import limit_problems
from sijoint_exam.domain.json_reader import Reader, show
from sijoint_exam.domain.signing_checks import in_check_order, read_signing
from sijoint_exam.domain.validation import Problem, validate_patient, validate_visit
from sijoint_exam.domain.visit import (
    Patient,
    Visit,
)
from sijoint_exam.domain.visit_reader import read_patient, read_visit
from sijoint_exam.domain.visit_writer import (  # the writing half, re-exported
    canonical_json,
    patient_to_dict,
    visit_to_dict,
)

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "canonical_json",
    "document",
    "parse_document",
    "patient_from_dict",
    "patient_to_dict",
    "visit_from_dict",
    "visit_to_dict",
]

FORMAT_NAME = "sijoint-exam/visit"
FORMAT_VERSION = 1
_DOCUMENT_KEYS = ("format", "version", "patient", "visit")


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


def visit_from_dict(data: dict[str, Any]) -> Visit:
    """The inverse of `visit_to_dict`; omitted sections take their defaults.

    Raises:
        ValueError: a key is unknown or missing, or a value of the wrong type.
    """
    visit: Visit = _strict(read_visit, data)
    return visit


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
    # Hostile or broken text first: nothing of such a file is read further.
    problems = limit_problems(value) or _read_header(value)
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
