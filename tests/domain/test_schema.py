"""resources/visit.schema.json agrees with the parser (checked with the stdlib only).

No JSON Schema library is a dependency, so a small validator below reads the
keywords the schema uses; a keyword it does not know fails the test, so the schema
cannot grow past what is checked here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from sijoint_exam.domain.alignment import LANDMARK_POSITIONS, Pattern
from sijoint_exam.domain.catalogue import RULES_BY_ID, TESTS_BY_ID, Agent, Result
from sijoint_exam.domain.catalogue_measures import PAIN_REGIONS, RED_FLAGS
from sijoint_exam.domain.visit_file import parse_document

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "resources" / "visit.schema.json").read_text("utf-8"))
SAMPLE = json.loads((ROOT / "tests" / "data" / "sample-visit.json").read_text("utf-8"))
TODAY = dt.date(2026, 11, 22)

KNOWN = {
    "$schema", "$id", "$defs", "$ref", "title", "description", "format",
    "type", "enum", "const", "properties", "required", "additionalProperties",
    "items", "minItems", "maxItems", "uniqueItems", "minimum", "maximum",
    "minLength", "maxLength", "pattern", "anyOf",
}  # fmt: skip
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    # JSON Schema: 1.0 is an integer too.
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


def _same(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def errors(schema: dict[str, Any], value: Any, path: str = "") -> list[str]:
    """Where `value` breaks `schema` (the subset of draft 2020-12 used)."""
    unknown = set(schema) - KNOWN
    assert not unknown, f"keyword the test cannot check: {unknown}"
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return errors(SCHEMA["$defs"][name], value, path)
    if "anyOf" in schema:
        if all(errors(s, value, path) for s in schema["anyOf"]):
            return [f"{path}: matches no alternative"]
        return []
    found = []
    types = schema.get("type")
    if types is not None:
        names = types if isinstance(types, list) else [types]
        if not any(TYPES[t](value) for t in names):
            return [f"{path}: not {types}"]
    if "const" in schema and not _same(schema["const"], value):
        found.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and not any(_same(e, value) for e in schema["enum"]):
        found.append(f"{path}: not in enum")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            found.append(f"{path}: below minimum")
        if "maximum" in schema and value > schema["maximum"]:
            found.append(f"{path}: above maximum")
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            found.append(f"{path}: too short")
        if len(value) > schema.get("maxLength", len(value)):
            found.append(f"{path}: too long")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{path}: does not match pattern")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            found.append(f"{path}: too few items")
        if len(value) > schema.get("maxItems", len(value)):
            found.append(f"{path}: too many items")
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) < len(
            value
        ):
            found.append(f"{path}: items repeat")
        for i, item in enumerate(value):
            found += errors(schema.get("items", {}), item, f"{path}[{i}]")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{path}.{key}: required")
        for key, item in value.items():
            if key in properties:
                found += errors(properties[key], item, f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                found.append(f"{path}.{key}: not allowed")
    return found


def edited(path: str, value: Any) -> dict[str, Any]:
    doc = json.loads(json.dumps(SAMPLE))
    *parents, last = path.split(".")
    node = doc
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return doc


def test_schema_header():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["properties"]["format"] == {"const": "sijoint-exam/visit"}
    assert SCHEMA["properties"]["version"] == {"const": 1}


def test_every_ref_resolves():
    text = json.dumps(SCHEMA)
    for name in re.findall(r'"\$ref": "#/\$defs/([a-z_]+)"', text):
        assert name in SCHEMA["$defs"], name


def test_the_sample_is_valid_for_both():
    assert errors(SCHEMA, SAMPLE) == []
    assert not isinstance(parse_document(SAMPLE, TODAY), list)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("visit.pain.now", 11),
        ("visit.pain.now", 6.5),
        ("visit.pain.now", "6"),
        ("visit.pain.regions", ["left_toe"]),
        ("visit.pain.regions", ["left_foot", "left_foot"]),
        ("visit.blocks.0.pre", 0),
        ("visit.blocks.0.number", 3),
        ("visit.blocks.0.agent", "mepivacaine"),
        ("visit.blocks.0.readings.0", {"minutes": -1, "nrs": 1}),
        ("visit.blocks.0.readings.0", {"minutes": 30}),
        ("visit.blocks.0.relief_hours", -2),
        ("visit.odi.answers", [1, 2, 3]),
        ("visit.odi.answers.0", 6),
        ("visit.odi.version", "3.0"),
        ("visit.aslr.left", 6),
        ("visit.scoring.rule", "laslett"),
        ("visit.scoring.pretest_probability", 0),
        ("visit.scoring.block_threshold_percent", 70),
        ("visit.provocation.thigh_thrust.result", "positive"),
        ("visit.provocation.distraction.lying_side", "left"),
        ("visit.provocation.stork", {}),
        ("visit.provocation.faber.left", "groin"),
        ("visit.red_flags.headache", "no"),
        ("visit.red_flags.bladder", "maybe"),
        ("visit.alignment.patterns.0", {"pattern": "twist"}),
        ("visit.alignment.landmarks.ila", {"left": "higher"}),
        ("visit.alignment.screening.sphinx", "better"),
        ("visit.referral.urgency", "asap"),
        ("visit.history.pregnant", "no"),
        ("visit.history.conservative_care_weeks", -1),
        ("visit.history.conservative_care_weeks", 521),
        ("visit.history.conservative_care_weeks", "6"),
        ("visit.neuro_screen", {"slr": {"left": "abnormal"}}),
        ("visit.neuro_screen", {"reflexes": "positive"}),
        ("visit.neuro_screen", {"babinski": "normal"}),
        ("visit.hip_screen", {"fadir": {"left": "yes"}}),
        ("visit.hip_screen", {"slr": {"left": "positive"}}),
        ("visit.blocks.0.guidance", "palpation"),
        ("visit.signing", {"acknowledged_checks": ["all_fine"]}),
        ("visit.date", "20/11/2026"),
        ("visit.pian", 1),
        ("patient.mrn", ""),
        ("patient.sex", "f"),
        ("version", 2),
        ("version", True),
        ("format", "other"),
    ],
)
def test_a_bad_document_is_refused_by_both(path, value):
    doc = edited(path, value)
    assert errors(SCHEMA, doc), "the schema accepts it"
    assert isinstance(parse_document(doc, TODAY), list), "the parser accepts it"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("visit.pain.now", None),
        ("visit.centralised", None),
        ("visit.blocks", []),
        ("visit.odi.answers", [None] * 10),
        ("visit.pain.regions", ["midline_sacrum", "right_foot"]),
        ("visit.alignment.patterns.0", {"pattern": "left_on_left"}),
        ("visit.scoring", {}),
        ("visit.history.conservative_care_weeks", 6),
        (
            "visit.neuro_screen",
            {
                "slr": {"left": "negative", "right": "positive"},
                "slump": {"left": "not_tested"},
                "myotomes": "normal",
                "reflexes": "abnormal",
            },
        ),
        ("visit.hip_screen", {"fadir": {"left": "positive", "right": "negative"}}),
        ("visit.blocks.0.guidance", None),
        ("visit.blocks.0.guidance", "none"),
        ("visit.signing", {"acknowledged_checks": ["unguided_block"]}),
    ],
)
def test_a_good_variant_is_accepted_by_both(path, value):
    doc = edited(path, value)
    assert errors(SCHEMA, doc) == []
    assert not isinstance(parse_document(doc, TODAY), list)


def test_the_schema_lists_the_catalogue():
    defs = SCHEMA["$defs"]
    provocation = defs["visit"]["properties"]["provocation"]["anyOf"][0]
    assert list(provocation["properties"]) == list(TESTS_BY_ID)
    assert defs["result"]["enum"] == [r.value for r in Result]
    assert list(defs["red_flags"]["properties"]) == [f.id for f in RED_FLAGS]
    regions = defs["pain"]["properties"]["regions"]["anyOf"][0]["items"]["enum"]
    assert regions == list(PAIN_REGIONS)
    rules = defs["scoring"]["properties"]["rule"]["anyOf"][0]["enum"]
    assert rules == list(RULES_BY_ID)
    assert defs["block"]["properties"]["agent"]["enum"] == [a.value for a in Agent]
    pattern = defs["alignment"]["properties"]["patterns"]["anyOf"][0]["items"]
    assert pattern["properties"]["pattern"]["enum"] == [p.value for p in Pattern]
    landmarks = defs["alignment"]["properties"]["landmarks"]["anyOf"][0]
    assert set(landmarks["properties"]) == {lm.value for lm in LANDMARK_POSITIONS}
