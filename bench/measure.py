"""What every benchmark shares: a median of timed runs, and a line per budget."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


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
