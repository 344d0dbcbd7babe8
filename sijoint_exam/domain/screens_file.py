"""The neuro and hip screens in the visit file (visit-format, additions of 2026-12-07).

`neuro_screen`: `slr` and `slump` per side (positive | negative | not_tested),
`myotomes`, `reflexes`, `sensation` (normal | abnormal | not_tested). `hip_screen`:
`fadir` and `painful_range` per side. Omitted items are not tested; a screen with
nothing recorded is left out of the file.
"""

from __future__ import annotations

from typing import Any

from sijoint_exam.domain.catalogue_together import (
    HIP_ITEMS,
    NEURO_GRADED_ITEMS,
    NEURO_SIDED_ITEMS,
)
from sijoint_exam.domain.json_reader import Reader
from sijoint_exam.domain.screens import (
    GradedFinding,
    HipScreen,
    NeuroScreen,
    PerSide,
    SidedFinding,
)


def _per_side(r: Reader, value: object, path: str) -> PerSide:
    data = r.fields(value, path, ("left", "right"))
    return PerSide(
        **{
            side: r.choice(data[side], f"{path}.{side}", SidedFinding)
            or SidedFinding.NOT_TESTED
            for side in ("left", "right")
            if side in data
        }
    )


def read_neuro_screen(r: Reader, value: object, path: str) -> NeuroScreen:
    data = r.fields(value, path, (*NEURO_SIDED_ITEMS, *NEURO_GRADED_ITEMS))
    sided: dict[str, Any] = {
        k: _per_side(r, data[k], f"{path}.{k}") for k in NEURO_SIDED_ITEMS if k in data
    }
    graded: dict[str, Any] = {
        k: r.choice(data[k], f"{path}.{k}", GradedFinding) or GradedFinding.NOT_TESTED
        for k in NEURO_GRADED_ITEMS
        if k in data
    }
    return NeuroScreen(**sided, **graded)


def read_hip_screen(r: Reader, value: object, path: str) -> HipScreen:
    data = r.fields(value, path, tuple(HIP_ITEMS))
    return HipScreen(
        **{k: _per_side(r, data[k], f"{path}.{k}") for k in HIP_ITEMS if k in data}
    )


def _per_side_to_dict(finding: PerSide) -> dict[str, str]:
    return {"left": finding.left.value, "right": finding.right.value}


def neuro_screen_to_dict(screen: NeuroScreen) -> dict[str, Any] | None:
    """The whole screen once anything is recorded (not tested is documentation)."""
    if screen.is_empty:
        return None
    return {
        **{k: _per_side_to_dict(getattr(screen, k)) for k in NEURO_SIDED_ITEMS},
        **{k: getattr(screen, k).value for k in NEURO_GRADED_ITEMS},
    }


def hip_screen_to_dict(screen: HipScreen) -> dict[str, Any] | None:
    if screen.is_empty:
        return None
    return {k: _per_side_to_dict(getattr(screen, k)) for k in HIP_ITEMS}
