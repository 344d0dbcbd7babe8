"""Reading the visit file's positional findings and diagnostic blocks, strictly.

The same reader as `visit_reader` (every problem named by its path, a stand-in put in
its place); these two sections have the most shapes of their own.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sijoint_exam.domain.alignment import (
    Alignment,
    FlexionSide,
    Landmark,
    LongSit,
    Outcome,
    Pattern,
    PatternFinding,
    Position,
    Screening,
    Sided,
    Sphinx,
)
from sijoint_exam.domain.block import (
    Block,
    BlockSide,
    Guidance,
    Reading,
)
from sijoint_exam.domain.catalogue import (
    Agent,
    Side,
)
from sijoint_exam.domain.json_reader import E, Reader


def _sided(r: Reader, value: object, path: str, kind: type[E]) -> Sided[E]:
    data = r.fields(value, path, ("left", "right"))
    left, right = (
        r.choice(data[k], f"{path}.{k}", kind) if k in data else None
        for k in ("left", "right")
    )
    return Sided(left, right)


def _screening(r: Reader, value: object, path: str) -> Screening:
    kinds: dict[str, type[StrEnum]] = {
        "standing_flexion": FlexionSide,
        "seated_flexion": FlexionSide,
        "sacral_spring": Outcome,
        "sphinx": Sphinx,
    }
    sided: dict[str, type[StrEnum]] = {"gillet": Outcome, "supine_to_long_sit": LongSit}
    data = r.fields(value, path, [*kinds, *sided])
    values: dict[str, Any] = {
        k: r.choice(data[k], f"{path}.{k}", kinds[k]) for k in kinds if k in data
    }
    values.update(
        {k: _sided(r, data[k], f"{path}.{k}", sided[k]) for k in sided if k in data}
    )
    return Screening(**values)


def _pattern(r: Reader, value: object, path: str) -> PatternFinding | None:
    data = r.fields(value, path, ("pattern", "side"), ("pattern",))
    pattern = r.choice(data["pattern"], f"{path}.pattern", Pattern) if data else None
    side = r.choice(data["side"], f"{path}.side", Side) if "side" in data else None
    return PatternFinding(pattern, side) if pattern else None


def read_alignment(r: Reader, value: object, path: str) -> Alignment:
    data = r.fields(value, path, ("patterns", "landmarks", "screening"))
    patterns = [
        _pattern(r, item, f"{path}.patterns[{i}]")
        for i, item in enumerate(r.items(data.get("patterns", []), f"{path}.patterns"))
    ]
    marks = r.fields(data.get("landmarks", {}), f"{path}.landmarks", Landmark)
    return Alignment(
        patterns=tuple(p for p in patterns if p is not None),
        landmarks={
            Landmark(k): _sided(r, v, f"{path}.landmarks.{k}", Position)
            for k, v in marks.items()
        },
        screening=_screening(r, data.get("screening", {}), f"{path}.screening"),
    )


def _reading(r: Reader, value: object, path: str) -> Reading:
    data = r.fields(
        value, path, ("minutes", "nrs", "patient_percent"), ("minutes", "nrs")
    )
    percent = data.get("patient_percent")
    return Reading(
        minutes=r.integer(data.get("minutes", 0), f"{path}.minutes", "≥ 0", 0),
        nrs=r.integer(data.get("nrs", 0), f"{path}.nrs", "0–10", 0),
        patient_percent=(
            None
            if percent is None
            else r.integer(percent, f"{path}.patient_percent", "0–100", 0)
        ),
    )


_BLOCK_KEYS = (
    "date",
    "number",
    "side",
    "agent",
    "concentration",
    "volume",
    "steroid",
    "guidance",
    "pre",
    "readings",
    "relief_hours",
)


def _required_choice(
    r: Reader, data: dict[str, Any], key: str, path: str, kind: type[E], stand_in: E
) -> E:
    if key not in data:
        return stand_in  # reported missing already
    return r.choice(data[key], f"{path}.{key}", kind) or stand_in


def read_block(r: Reader, value: object, path: str) -> Block:
    required = ("date", "number", "side", "agent", "pre")
    data = r.fields(value, path, _BLOCK_KEYS, required)
    readings = r.items(data.get("readings", []), f"{path}.readings")
    hours = data.get("relief_hours")
    guidance = data.get("guidance")
    steroid = data.get("steroid")
    return Block(
        # A bad or missing date stands in as the latest date: it then meets no
        # cross-field rule but its own.
        date=r.date(data.get("date", ""), f"{path}.date", dt.date.max)
        if "date" in data
        else dt.date.max,
        number=r.integer(data.get("number", 1), f"{path}.number", "1 or 2", 1),
        side=_required_choice(r, data, "side", path, BlockSide, BlockSide.LEFT),
        agent=_required_choice(r, data, "agent", path, Agent, Agent.OTHER),
        pre=r.integer(data.get("pre", 1), f"{path}.pre", "1–10", 1),
        concentration=r.text(data.get("concentration", ""), f"{path}.concentration"),
        volume=r.text(data.get("volume", ""), f"{path}.volume"),
        steroid=None if steroid is None else r.boolean(steroid, f"{path}.steroid"),
        guidance=r.choice(guidance, f"{path}.guidance", Guidance) if guidance else None,
        readings=tuple(
            _reading(r, item, f"{path}.readings[{i}]")
            for i, item in enumerate(readings)
        ),
        relief_hours=None
        if hours is None
        else r.number(hours, f"{path}.relief_hours", "hours ≥ 0", 0.0),
    )
