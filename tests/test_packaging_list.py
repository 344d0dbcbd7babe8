"""Every Python package of the program is named in pyproject's package list.

The list is explicit (resources/ and packaging/ sit beside the package, so automatic
discovery refuses to build), which means a new subpackage left off it is silently
missing from the wheel and the bundle. This catches that without building them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_declared():
    declared = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"][
            "setuptools"
        ]["packages"]
    )
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "sijoint_exam").rglob("__init__.py")
    }
    assert on_disk - declared == set()
