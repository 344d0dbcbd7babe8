"""What every benchmark shares: a median of timed runs, and a line per budget."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def elapsed_ms(action: Callable[[], object]) -> float:
    """How long one call of `action` took, in milliseconds."""
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def median_ms(action: Callable[[], object], runs: int) -> float:
    """The median of `runs` timed calls, after one untimed call that warms the
    caches (file cache, imports) so the figure is the steady one."""
    action()
    return statistics.median(elapsed_ms(action) for _ in range(runs))


def report(name: str, value: float, budget: float, unit: str) -> bool:
    """Print a figure against its budget; True when within it."""
    ok = value <= budget
    verdict = "ok" if ok else "OVER BUDGET"
    print(f"{name:<44} {value:8.2f}{unit:<3} budget ≤ {budget:g}{unit}  {verdict}")
    return ok


def in_turns(
    ours: Callable[[], T], bare: Callable[[], float], runs: int
) -> tuple[list[T], list[float]]:
    """`runs` runs of each, in turns, so that a busy spell of a shared machine
    hits both alike; one untimed run of each first warms the caches."""
    ours(), bare()
    ours_runs, bare_runs = [], []
    for _ in range(runs):
        ours_runs.append(ours())
        bare_runs.append(bare())
    return ours_runs, bare_runs
