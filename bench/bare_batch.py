"""The batch baseline: bare reportlab documents of many notes' text, in one command.

    python -m bench.bare_batch TEXTS.json OUT_DIR

TEXTS.json holds one list of strings per note. The documents are written as
`export-pdf` writes a batch: from 16 notes on, by forked worker processes, one per
CPU (at most 8), with the main font registered once before the fork.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.bare_pdf import register_main_font, write_bare_pdf
from sijoint_exam.cli.report_commands import MAX_WORKERS, PARALLEL_FROM


def main(texts_file: Path, folder: Path) -> None:
    notes = json.loads(texts_file.read_text("utf-8"))
    targets = [folder / f"bare-{number}.pdf" for number in range(len(notes))]
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if len(notes) < PARALLEL_FROM or workers < 2:
        for texts, target in zip(notes, targets, strict=True):
            write_bare_pdf(texts, target)
        return
    register_main_font()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for done in pool.map(write_bare_pdf, notes, targets):
            del done


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
