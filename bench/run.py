"""Benchmarks with budgets, reported as ratios against baselines from the same run.

Machines here are shared and noisy, so each figure is a median of several runs and is
compared with a baseline measured alongside it. Budgets are reported, not asserted.

    make bench
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python bench/run.py` from anywhere

from bench.measure import report  # noqa: E402

ENV = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
ENV["PYTHONPATH"] = str(ROOT)
RUNS = 7


def _wall_ms(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=ENV, cwd=ROOT, capture_output=True)
    return (time.perf_counter() - start) * 1000


def _median(measure: Callable[[], float]) -> float:
    measure()  # warm the OS file cache once; not counted
    return statistics.median(measure() for _ in range(RUNS))


def bench_start(folder: Path) -> bool:
    """Program start to first shown window vs a bare QMainWindow (budget 1.5×)."""
    db = folder / "bench.sqlite3"
    app = [sys.executable, "-m", "sijoint_exam", "--db", str(db), "--exit-when"]
    bare = [sys.executable, str(ROOT / "bench" / "bare_window.py")]
    shown_ms = _median(lambda: _wall_ms([*app, "shown"]))
    ready_ms = _median(lambda: _wall_ms([*app, "ready"]))
    bare_ms = _median(lambda: _wall_ms(bare))
    print(
        f"  start: window shown {shown_ms:.0f} ms, database open in it "
        f"{ready_ms:.0f} ms"
        f" ({ready_ms / bare_ms:.2f}× bare, no budget); "
        f"bare QMainWindow {bare_ms:.0f} ms"
    )
    return report("start to first window / bare window", shown_ms / bare_ms, 1.5, "×")


def bench_export(folder: Path) -> bool:
    """Note-PDF export: cold in its own process (≤ 300 ms) and warm (≤ 60 ms)."""
    target = folder / "cold.pdf"
    script = [sys.executable, "-m", "bench.export_once", str(target)]

    def cold() -> float:
        out = subprocess.run(
            script, check=True, env=ENV, cwd=ROOT, capture_output=True, text=True
        )
        return float(out.stdout.strip())

    cold_ms = _median(cold)

    from bench.sample import sample_note
    from sijoint_exam.report.visit_note import write_visit_note

    note = sample_note()
    warm_target = folder / "warm.pdf"

    def warm() -> float:
        start = time.perf_counter()
        write_visit_note(note, warm_target)
        return (time.perf_counter() - start) * 1000

    warm_ms = _median(warm)
    baseline_ms = _median(lambda: _baseline_pdf(folder / "baseline.pdf"))
    print(
        f"  export: warm {warm_ms:.1f} ms; baseline one-paragraph reportlab PDF "
        f"{baseline_ms:.1f} ms (warm/baseline {warm_ms / baseline_ms:.1f}×)"
    )
    cold_ok = report("note PDF export, cold (own process)", cold_ms, 300, "ms")
    warm_ok = report("note PDF export, warm", warm_ms, 60, "ms")
    return cold_ok and warm_ok


def _baseline_pdf(target: Path) -> float:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    start = time.perf_counter()
    doc = SimpleDocTemplate(str(target))
    doc.build([Paragraph("Baseline", getSampleStyleSheet()["Normal"])])
    return (time.perf_counter() - start) * 1000


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # The program's settings and data folders go to the temp folder too.
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            ENV[name] = str(folder / name.lower())
        results = [bench_start(folder), bench_export(folder)]
        # The store and the window on one generated clinic of 100,000 patients.
        from bench import store_bench, ui_bench

        clinic = store_bench.generated_clinic(folder)
        results.append(ui_bench.main(clinic))
        results.append(store_bench.main(clinic))
    from bench import encryption_bench

    results.append(encryption_bench.main())
    print("all within budget" if all(results) else "some figures are over budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
