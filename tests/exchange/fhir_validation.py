"""Validate a Bundle two ways: the `fhir.resources` R4 models, and HL7's R4 JSON
Schema (tests/data/fhir.schema.json). Each returns the problems found (empty: valid)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
from fhir.resources import __fhir_version__ as MODEL_FHIR_VERSION
from fhir.resources.bundle import Bundle
from pydantic import ValidationError

SCHEMA = Path(__file__).parents[1] / "data" / "fhir.schema.json"


@functools.cache
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA.read_text("utf-8"))


@functools.cache
def schema_validator() -> jsonschema.Draft6Validator:
    """HL7's schema as published: a Bundle's every entry is tried against all 147
    resource definitions of its `oneOf` (about a second per Bundle)."""
    return jsonschema.Draft6Validator(_schema())


@functools.cache
def _dispatching_validators() -> tuple[jsonschema.Draft6Validator, dict[str, Any]]:
    """The same definitions, with each entry's resource checked against the one
    definition its `resourceType` names, as the schema's own `discriminator`
    declares; the definitions' `resourceType` consts make that the only one of
    the `oneOf` that could match, so the verdict is the same, forty times faster."""
    schema = _schema()
    shell = {
        **schema,
        "oneOf": [{"$ref": "#/definitions/Bundle"}],
        "definitions": {**schema["definitions"], "ResourceList": {}},
    }
    return jsonschema.Draft6Validator(shell), schema["discriminator"]["mapping"]


def _lines(errors: Any, prefix: str = "") -> list[str]:
    return [
        f"{prefix}{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
        for error in errors
    ]


def full_schema_problems(bundle: dict[str, Any]) -> list[str]:
    """What HL7's R4 JSON Schema, unchanged, finds wrong."""
    return _lines(schema_validator().iter_errors(bundle))


def schema_problems(bundle: dict[str, Any]) -> list[str]:
    """What HL7's R4 JSON Schema finds wrong, one line per error (each entry's
    resource against the definition its resourceType names)."""
    shell, mapping = _dispatching_validators()
    found = _lines(shell.iter_errors(bundle))
    for number, entry in enumerate(bundle.get("entry", [])):
        resource = entry.get("resource", {})
        target = mapping.get(resource.get("resourceType"))
        if target is None:
            found.append(f"entry/{number}/resource: not an R4 resource type")
            continue
        check = shell.evolve(schema={**shell.schema, "oneOf": [{"$ref": target}]})
        found += _lines(check.iter_errors(resource), f"entry/{number}/resource/")
    return found


def model_problems(bundle: dict[str, Any]) -> list[str]:
    """What the fhir.resources R4 models find wrong."""
    assert MODEL_FHIR_VERSION == "4.0.1"  # the models are R4, not R4B or R5
    try:
        Bundle.parse_obj(bundle)
    except ValidationError as error:
        return [str(e) for e in error.errors()]
    return []


def problems(bundle: dict[str, Any]) -> list[str]:
    """Both validators' findings."""
    return model_problems(bundle) + schema_problems(bundle)
