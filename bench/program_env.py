"""The environment the benchmarks run the program (and its baselines) in."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def program_env(folder: Path) -> dict[str, str]:
    """Settings and data in `folder`, and bytecode cached as an installed program's is.

    pip and the bundle compile the program's modules, so neither its start nor
    its first export compiles them; a checkout run with PYTHONDONTWRITEBYTECODE
    set would, at every start (about 35 ms for an export, more for the window).
    The cache goes to `folder`, never into the work tree.
    """
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        env[name] = str(folder / name.lower())
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env
