"""Batch export: `export-pdf --from --to --out-dir` on a generated clinic (≤ 30 s for
500 notes), against the bare reportlab documents of the same notes, written the same
way (`bare_batch`: forked workers, one per CPU, as `export-pdf` does).

    python bench/batch_export.py

Both run as their own command and are timed wall-clock, start-up included. A batch
of 500 takes about half a minute for each side and the median wants several runs,
so the bench writes about a hundred notes (BATCH_PATIENTS generated patients with
one to three visits each, all the demo generator's content: pain chart, ODI, a
block, trend charts for the patients seen more than once) and scales the time to
500 notes. Scaling the start-up too overstates both sides a little.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bare_pdf import note_text  # noqa: E402
from bench.measure import report  # noqa: E402

BATCH_PATIENTS = 50
BUDGET_NOTES = 500
BUDGET_S = 30.0
RUNS = 3
ALL_DATES = ["--from", "1900-01-01", "--to", "2999-12-31"]


def _wall_s(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def generated_clinic(folder: Path, env: dict[str, str]) -> Path:
    """A database of BATCH_PATIENTS demo patients (`sijoint-exam demo`)."""
    db = folder / "batch.sqlite3"
    command = [sys.executable, "-m", "sijoint_exam", "demo", "--db", str(db)]
    subprocess.run(
        [*command, "--patients", str(BATCH_PATIENTS)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )
    return db


def note_texts(db: Path) -> list[list[str]]:
    """Each visit's note text, built as `export-pdf` builds the notes."""
    import datetime as dt

    from sijoint_exam.domain.note import Letterhead
    from sijoint_exam.store.database import open_database
    from sijoint_exam.store.notes import note_for_visit
    from sijoint_exam.store.repository import Repository

    with open_database(db, instance_lock=False) as conn:
        repo = Repository(conn)
        found = repo.visits_between(dt.date(1900, 1, 1), dt.date(2999, 12, 31))
        return [
            note_text(note_for_visit(repo, visit_id, "note", Letterhead()))
            for visit_id, _, _ in found
        ]


def measure(folder: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """(ours, bare) seconds scaled to BUDGET_NOTES, and the notes written per run."""
    db = generated_clinic(folder, env)
    texts = note_texts(db)
    texts_file = folder / "batch-texts.json"
    texts_file.write_text(json.dumps(texts), "utf-8")
    out = folder / "batch-out"
    ours = [sys.executable, "-m", "sijoint_exam", "export-pdf", "--db", str(db)]
    ours += [*ALL_DATES, "--out-dir", str(out)]
    bare = [sys.executable, "-m", "bench.bare_batch", str(texts_file), str(out)]

    def run(command: list[str]) -> float:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        seconds = _wall_s(command, env)
        written = len(list(out.iterdir()))
        if written != len(texts):
            raise RuntimeError(f"{command[2]}: {written} PDFs, not {len(texts)}")
        return seconds

    run(ours), run(bare)  # warm the file cache and the bytecode cache; not counted
    ours_s, bare_s = [], []
    for _ in range(RUNS):  # in turns, so a busy spell on the machine hits both
        ours_s.append(run(ours))
        bare_s.append(run(bare))
    scale = BUDGET_NOTES / len(texts)
    return (
        statistics.median(ours_s) * scale,
        statistics.median(bare_s) * scale,
        len(texts),
    )


def bench_batch(folder: Path, env: dict[str, str]) -> bool:
    """Print the batch figures and the budget line; True when within budget."""
    ours_s, bare_s, notes = measure(folder, env)
    print(
        f"  batch: {notes} notes per run, scaled to {BUDGET_NOTES}: export-pdf "
        f"{ours_s:.1f} s, bare reportlab documents of the same text {bare_s:.1f} s "
        f"(batch/bare {ours_s / bare_s:.2f}×; {os.cpu_count()} CPUs)"
    )
    return report(f"batch export of {BUDGET_NOTES} notes", ours_s, BUDGET_S, "s")


def main() -> bool:
    import tempfile

    from bench.program_env import program_env

    with tempfile.TemporaryDirectory() as tmp:
        return bench_batch(Path(tmp), program_env(Path(tmp)))


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
