"""Benchmarks with budgets, reported as ratios against baselines from the same run.

Machines here are shared and noisy, so each figure is a median of several runs and is
compared with a baseline measured alongside it. Budgets are reported, not asserted.

    make bench
    python bench/run.py --only export      (one part; see --help)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python bench/run.py` from anywhere

from bench.measure import elapsed_ms, in_turns, report  # noqa: E402

ENV = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
ENV["PYTHONPATH"] = str(ROOT)
RUNS = 7
# The parts `--only` can choose; "clinic" is the window and the store on the
# generated 100,000-patient clinic (the part that takes minutes).
PARTS = ("start", "export", "clinic", "encryption", "fhir", "sync")


def bench_start(folder: Path) -> bool:
    """Program start to first shown window (budget 1.5×) and to a usable list
    (budget 2×), each against a bare QMainWindow."""
    from bench.start import measure_start

    times = measure_start(folder / "bench.sqlite3", folder)
    print(
        f"  start: window shown {times.shown_ms:.0f} ms, patient list usable "
        f"{times.usable_ms:.0f} ms, database open and checked {times.ready_ms:.0f} "
        f"ms; bare QMainWindow {times.bare_ms:.0f} ms; CPU time to shown "
        f"{times.cpu_ratio:.2f}× bare's"
    )
    shown = report("start to first window / bare window", times.ratio, 1.5, "×")
    usable = report(
        "start to usable list (empty database) / bare", times.usable_ratio, 2.0, "×"
    )
    return shown and usable


def bench_export(folder: Path) -> bool:
    """Note-PDF export, cold in its own process (≤ 300 ms), warm (≤ 60 ms) and a
    batch of 500 (≤ 30 s), each against a bare reportlab document of the same text
    (bench/bare_pdf.py) measured in turns with it."""
    import json

    from bench.bare_pdf import note_text
    from bench.batch_export import bench_batch
    from bench.program_env import program_env
    from bench.sample import sample_note
    from sijoint_exam.report.visit_note import write_visit_note

    env = program_env(folder)
    note = sample_note()
    texts = folder / "sample-text.json"
    texts.write_text(json.dumps(note_text(note)), "utf-8")
    ours_once = [sys.executable, "-m", "bench.export_once", str(folder / "cold.pdf")]
    bare_once = [sys.executable, "-m", "bench.bare_once", str(texts)]
    bare_once.append(str(folder / "bare-cold.pdf"))

    def figures(command: list[str]) -> list[float]:
        out = subprocess.run(
            command, check=True, env=env, cwd=ROOT, capture_output=True, text=True
        )
        return [float(figure) for figure in out.stdout.split()]

    cold_runs, bare_cold = in_turns(
        lambda: figures(ours_once), lambda: figures(bare_once)[0], RUNS
    )
    cold_ms = statistics.median(total for total, _ in cold_runs)
    export_ms = statistics.median(export for _, export in cold_runs)
    bare_cold_ms = statistics.median(bare_cold)
    warm, bare_warm = in_turns(
        lambda: elapsed_ms(lambda: write_visit_note(note, folder / "warm.pdf")),
        lambda: _baseline_pdf(folder / "bare-warm.pdf", note_text(note)),
        RUNS,
    )
    warm_ms, bare_warm_ms = statistics.median(warm), statistics.median(bare_warm)
    print(
        f"  export, cold: {cold_ms:.0f} ms from start (building the sample note "
        f"{cold_ms - export_ms:.0f} ms, the export {export_ms:.0f} ms); bare "
        f"reportlab document of the same text {bare_cold_ms:.0f} ms "
        f"(export/bare {export_ms / bare_cold_ms:.2f}×, both in a fresh process)"
    )
    print(
        f"  export, warm: {warm_ms:.1f} ms; bare document {bare_warm_ms:.1f} ms "
        f"(warm/bare {warm_ms / bare_warm_ms:.2f}×)"
    )
    results = [
        report("note PDF export, cold (own process)", cold_ms, 300, "ms"),
        report("note PDF export, warm", warm_ms, 60, "ms"),
        bench_batch(folder, env),
    ]
    return all(results)


def _baseline_pdf(target: Path, texts: list[str]) -> float:
    """Milliseconds to write the bare reportlab document of `texts` (fonts stay
    registered between calls, as the program's do)."""
    from bench.bare_pdf import write_bare_pdf

    return elapsed_ms(lambda: write_bare_pdf(texts, target))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The benchmarks and their budgets.")
    parser.add_argument(
        "--only",
        choices=PARTS,
        action="append",
        help="run only this part (may be given more than once); default: all",
    )
    only = set(parser.parse_args(argv).only or PARTS)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # The program's settings and data folders go to the temp folder too.
        for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
            ENV[name] = str(folder / name.lower())
        if "start" in only:
            results.append(bench_start(folder))
        if "export" in only:
            results.append(bench_export(folder))
        if "clinic" in only:
            # The store and the window on one generated clinic of 100,000 patients.
            from bench import store_bench, ui_bench

            clinic = store_bench.generated_clinic(folder)
            results.append(ui_bench.main(clinic))
            results.append(store_bench.main(clinic))
        if "fhir" in only:
            from bench import fhir_bench

            results.append(fhir_bench.main(folder, ENV, ROOT))
    if "encryption" in only:
        from bench import encryption_bench

        results.append(encryption_bench.main())
    if "sync" in only:
        from bench import sync_bench

        results.append(sync_bench.main())
    print("all within budget" if all(results) else "some figures are over budget")
    return 0


if __name__ == "__main__":
    sys.exit(main())
