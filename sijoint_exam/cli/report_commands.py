"""`export-pdf`: a stored visit's note or referral letter as a PDF, one or a batch.

    sijoint-exam export-pdf VISIT_ID --kind note|referral -o FILE
    sijoint-exam export-pdf --from DATE --to DATE --out-dir DIR [--kind ...]

Each PDF written is recorded in the audit log. The letterhead and the clinician
come from the program's settings when there are any.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sijoint_exam.cli.common import (
    EPILOG,
    EXIT_FAILURE,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    clinician_argument,
    command_clinician,
    database_argument,
    one_or_period_problems,
    open_existing_for_command,
    saved_preferences,
)

if TYPE_CHECKING:  # imported inside the handlers, as they are needed
    from concurrent.futures import ProcessPoolExecutor

    from sijoint_exam.domain.note import Letterhead, NoteContent
    from sijoint_exam.store.repository import Repository

# What the audit log says was exported, and the file name's prefix, by --kind.
KINDS = {
    "note": ("visit note PDF", "visit-note"),
    "referral": ("referral letter PDF", "referral-letter"),
}
PROGRESS_WIDTH = 30
# A batch this long is rendered by worker processes (PDF rendering is CPU-bound;
# 500 notes take about 35 s on one core); shorter ones are not worth the start-up.
PARALLEL_FROM = 16
MAX_WORKERS = 8


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `export-pdf`."""
    parser = subparsers.add_parser(
        "export-pdf",
        help="write a visit note or referral letter as a PDF (one visit, or a batch)",
        description="Write the visit note (or, with --kind referral, the referral "
        "letter) of the visit VISIT_ID to FILE; or, with --from/--to/--out-dir, of "
        "every visit dated in that range, one file per visit named by kind, MRN, "
        "date and visit id (never the patient's name). Unsigned visits are marked "
        "DRAFT. Each file written is recorded in the audit log.",
        epilog=EPILOG,
    )
    parser.add_argument("visit_id", nargs="?", type=int, metavar="VISIT_ID")
    parser.add_argument("--kind", choices=tuple(KINDS), default="note")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE")
    parser.add_argument("--from", dest="from_date", metavar="DATE", type=_date)
    parser.add_argument("--to", dest="to_date", metavar="DATE", type=_date)
    parser.add_argument("--out-dir", type=Path, metavar="DIR")
    database_argument(parser)
    clinician_argument(parser)
    parser.set_defaults(run=run_export_pdf)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD)"
        ) from None


def _error(line: str) -> None:
    print(line, file=sys.stderr)


def run_export_pdf(args: argparse.Namespace) -> int:
    """Export one visit's PDF, or every visit's in a date range."""
    problems = one_or_period_problems(args, output_required=True)
    for line in problems:
        _error(f"export-pdf: {line}")
    if problems:
        return EXIT_INVALID_INPUT
    from sijoint_exam.store.repository import DamagedRecordError, Repository

    # No instance lock: exporting may run beside the window, as `export` does.
    db = open_existing_for_command(args, instance_lock=False)
    if db is None:
        return EXIT_FAILURE
    try:
        letterhead, saved = saved_preferences()  # the settings file, read once
        clinician = command_clinician(args, saved)
        exporter = _Exporter(
            Repository(db, clinician=clinician), args.kind, letterhead, clinician
        )
        if args.visit_id is not None:
            return exporter.one(args.visit_id, args.output)
        return exporter.batch(args.from_date, args.to_date, args.out_dir)
    except DamagedRecordError as exc:
        # In a batch, the PDFs written before it stay, each in the audit log.
        _error(str(exc))
        return EXIT_FAILURE
    finally:
        db.close()


@dataclass
class _Exporter:
    """Builds, writes and logs the PDFs of stored visits."""

    repo: Repository
    kind: str
    letterhead: Letterhead
    clinician: str

    def one(self, visit_id: int, output: Path) -> int:
        """Write one visit's PDF to `output`."""
        from sijoint_exam.store.repository import NotFoundError

        try:
            refused = self._refusal(visit_id)
            note = self._content(visit_id)
        except NotFoundError:
            _error(f"VISIT_ID: there is no visit with id {visit_id}")
            return EXIT_INVALID_INPUT
        if refused is not None:
            _error(f"visit {visit_id}: {refused}")
            return EXIT_FAILURE
        return self._write(visit_id, note, output)

    def batch(self, first: dt.date, last: dt.date, folder: Path) -> int:
        """Write the PDF of every visit dated from `first` to `last`, inclusive."""
        found = self.repo.visits_between(first, last)
        refused = [
            (visit_id, reason)
            for visit_id, _, _ in found
            if (reason := self._refusal(visit_id)) is not None
        ]
        for visit_id, reason in refused:
            _error(f"visit {visit_id}: not written — {reason}")
        skipped = {visit_id for visit_id, _ in refused}
        found = [row for row in found if row[0] not in skipped]
        progress = _Progress(len(found), sys.stderr)
        prefix = KINDS[self.kind][1]
        jobs = (
            (
                visit_id,
                self._content(visit_id),
                folder / f"{prefix}-{_safe(mrn)}-{date.isoformat()}-{visit_id}.pdf",
            )
            for visit_id, mrn, date in found
        )
        pool = _workers() if len(found) >= PARALLEL_FROM else None
        for done, (visit_id, target, error) in enumerate(_written(jobs, pool), 1):
            if error is not None:
                _error(f"{target}: cannot be written: {error.strerror or error}")
                return EXIT_FAILURE
            self.repo.record_export(
                visit_id, target, KINDS[self.kind][0], self.clinician
            )
            progress.update(done)
        progress.finish(f"{len(found)} PDF(s) written to {folder}")
        return EXIT_FAILURE if refused else EXIT_OK

    def _refusal(self, visit_id: int) -> str | None:
        """Why this visit's letter may not leave (only letters are ever refused)."""
        if self.kind != "referral":
            return None
        from sijoint_exam.store.notes import letter_refusal_for_visit

        return letter_refusal_for_visit(self.repo, visit_id)

    def _content(self, visit_id: int) -> NoteContent:
        from sijoint_exam.store.notes import note_for_visit

        return note_for_visit(self.repo, visit_id, self.kind, self.letterhead)

    def _write(self, visit_id: int, note: NoteContent, target: Path) -> int:
        from sijoint_exam.report.visit_note import write_document

        try:
            write_document(note, target)
        except OSError as exc:
            _error(f"{target}: cannot be written: {exc.strerror or exc}")
            return EXIT_FAILURE
        self.repo.record_export(visit_id, target, KINDS[self.kind][0], self.clinician)
        return EXIT_OK


Job = tuple[int, "NoteContent", Path]


def _workers() -> ProcessPoolExecutor | None:
    """Forked worker processes, one per CPU; None with one CPU or without fork.

    Fork, not spawn: the workers inherit the registered fonts and need no
    entry-point guard in the frozen bundle. Where there is no fork (Windows) the
    batch is written in this process.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    count = min(os.cpu_count() or 1, MAX_WORKERS)
    if count < 2:
        return None
    from sijoint_exam.report.fonts import register_fonts

    register_fonts()  # once, before the fork, rather than once per worker
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))


def _written(
    jobs: Iterable[Job], pool: ProcessPoolExecutor | None
) -> Iterator[tuple[int, Path, OSError | None]]:
    """Write each job's PDF; (visit id, file, error or None) as each is done.

    The notes are built here (the database stays in this process); with a pool,
    the PDFs are rendered in the workers, in parallel.
    """
    from concurrent.futures import as_completed

    from sijoint_exam.report.visit_note import write_document

    if pool is None:
        for visit_id, note, target in jobs:
            try:
                write_document(note, target)
            except OSError as exc:
                yield visit_id, target, exc
                return
            yield visit_id, target, None
        return
    with pool:
        futures = {
            pool.submit(write_document, note, target): (visit_id, target)
            for visit_id, note, target in jobs
        }
        try:
            for future in as_completed(futures):
                visit_id, target = futures[future]
                error = future.exception()
                if error is not None and not isinstance(error, OSError):
                    raise error
                yield visit_id, target, error
        finally:
            pool.shutdown(cancel_futures=True)


def _safe(text: str) -> str:
    """A file-name-safe form of an MRN."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


class _Progress:
    """A progress bar on stderr: redrawn in place on a terminal, else a line
    at each tenth, so a log file gets a few lines rather than hundreds."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self._total = total
        self._stream = stream
        self._tty = stream.isatty()
        self._shown_tenth = -1
        self._write: Callable[[str], object] = stream.write

    def update(self, done: int) -> None:
        filled = PROGRESS_WIDTH * done // max(self._total, 1)
        bar = f"[{'#' * filled}{'.' * (PROGRESS_WIDTH - filled)}] {done}/{self._total}"
        if self._tty:
            self._write(f"\r{bar}")
        elif (tenth := 10 * done // max(self._total, 1)) != self._shown_tenth:
            self._shown_tenth = tenth
            self._write(f"{bar}\n")
        self._stream.flush()

    def finish(self, message: str) -> None:
        self._write(("\n" if self._tty and self._total else "") + message + "\n")
        self._stream.flush()
