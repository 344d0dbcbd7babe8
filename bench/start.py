"""Program start to first shown window, against a bare PySide6 QMainWindow started
the same way, in turns (issue 2: ≤ 1.5× on an empty database; issue 5: the same
on the 100,000-patient clinic).

Both run as a user's would: a fresh process each time, bytecode compiled once
(`program_env`), offscreen. Each prints the monotonic clock on its first
event-loop pass once its window is shown (`--exit-when shown`), and quits; the
figure is from just before the process is started to that moment, so the
teardown after it is not counted. "ready" is the same once the database is open
in the window, reported without a budget.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.measure import in_turns
from bench.program_env import ROOT, program_env


@dataclass(frozen=True)
class StartTimes:
    shown_ms: float
    ready_ms: float
    bare_ms: float

    @property
    def ratio(self) -> float:
        return self.shown_ms / self.bare_ms


def measure_start(database: Path, folder: Path, runs: int) -> StartTimes:
    """Median start times of the program on `database` and of the bare window."""
    env = program_env(folder)
    app = [sys.executable, "-m", "sijoint_exam", "--db", str(database), "--exit-when"]
    bare = [sys.executable, str(ROOT / "bench" / "bare_window.py")]

    def timed(command: list[str]) -> float:
        started = time.monotonic()
        out = subprocess.run(
            command, check=True, env=env, cwd=ROOT, capture_output=True, text=True
        )
        return (float(out.stdout.split()[-1]) - started) * 1000

    shown, bare_runs = in_turns(
        lambda: timed([*app, "shown"]), lambda: timed(bare), runs
    )
    ready, more_bare = in_turns(
        lambda: timed([*app, "ready"]), lambda: timed(bare), runs
    )
    return StartTimes(
        statistics.median(shown),
        statistics.median(ready),
        statistics.median(bare_runs + more_bare),
    )
