"""`export --format fhir`: a stored visit as a FHIR R4 transaction Bundle, one visit
or a period.

    sijoint-exam export VISIT_ID --format fhir [-o FILE]
    sijoint-exam export --format fhir --from DATE --to DATE --out-dir DIR

The patient identifier system is `--identifier-system URI`, else the one set in
Settings; there is no default (see `exchange.fhir_bundle.identifier_system_problem`).
Each Bundle written is recorded in the audit log.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sijoint_exam.cli.common import (
    EXIT_FAILURE,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    command_clinician,
    one_or_period_problems,
    open_existing_for_command,
)

if TYPE_CHECKING:
    from sijoint_exam.domain.note import Letterhead
    from sijoint_exam.store.repository import Repository


def date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (YYYY-MM-DD)"
        ) from None


def add_fhir_arguments(parser: argparse.ArgumentParser) -> None:
    """The options `export` takes for --format fhir."""
    parser.add_argument("--from", dest="from_date", metavar="DATE", type=date_argument)
    parser.add_argument("--to", dest="to_date", metavar="DATE", type=date_argument)
    parser.add_argument("--out-dir", type=Path, metavar="DIR")
    parser.add_argument(
        "--identifier-system",
        metavar="URI",
        help="the URI of the clinic's record numbers, e.g. urn:oid:… (default: the "
        "one set in Settings; a FHIR export needs one)",
    )


def _error(line: str) -> None:
    print(line, file=sys.stderr)


def _settings() -> tuple[Letterhead, str, str]:
    """Letterhead, clinician and identifier system from the program's settings."""
    from sijoint_exam.domain.note import Letterhead
    from sijoint_exam.paths import settings_path

    path = settings_path()
    if not path.is_file():
        return Letterhead(), "", ""
    from sijoint_exam.ui.settings import Settings

    prefs = Settings(path).preferences
    return prefs.letterhead(), prefs.clinician, prefs.patient_identifier_system


def run_export_fhir(args: argparse.Namespace) -> int:
    """Write one visit's Bundle, or one per visit of a period."""
    from sijoint_exam.exchange.fhir_bundle import identifier_system_problem

    problems = [
        f"export: {line}"
        for line in one_or_period_problems(args, output_required=False)
    ]
    letterhead, saved_clinician, saved_system = _settings()
    system = (args.identifier_system or saved_system).strip()
    if (problem := identifier_system_problem(system)) is not None:
        problems.append(
            f"--identifier-system: {problem}: give --identifier-system URI or set "
            "the MRN identifier system in Settings"
        )
    for line in problems:
        _error(line)
    if problems:
        return EXIT_INVALID_INPUT
    from sijoint_exam.store.repository import Repository

    db = open_existing_for_command(args, instance_lock=False)
    if db is None:
        return EXIT_FAILURE
    try:
        clinician = command_clinician(args, saved_clinician)
        repo = Repository(db, clinician=clinician)
        if args.visit_id is not None:
            return _one(repo, args.visit_id, system, letterhead, args.output)
        return _period(repo, args, system, letterhead)
    finally:
        db.close()


def _one(
    repo: Repository,
    visit_id: int,
    system: str,
    letterhead: Letterhead,
    output: Path | None,
) -> int:
    from sijoint_exam.store.repository import NotFoundError
    from sijoint_exam.ui.fhir_export import AUDIT_KIND, bundle_text, stored_visit_export

    try:
        text = bundle_text(stored_visit_export(repo, visit_id, system, letterhead))
    except NotFoundError:
        _error(f"VISIT_ID: there is no visit with id {visit_id}")
        return EXIT_INVALID_INPUT
    if output is None:
        sys.stdout.write(text)
    elif not _written(output, text):
        return EXIT_FAILURE
    repo.record_export(visit_id, output or "standard output", AUDIT_KIND)
    return EXIT_OK


def _period(
    repo: Repository, args: argparse.Namespace, system: str, letterhead: Letterhead
) -> int:
    """One Bundle per visit of the period. The note PDFs (most of the time taken) are
    rendered by worker processes when the period is long (as `export-pdf` does);
    the database stays in this process."""
    from sijoint_exam.cli.report_commands import PARALLEL_FROM
    from sijoint_exam.cli.report_commands import _workers as pdf_workers
    from sijoint_exam.ui.fhir_export import (
        AUDIT_KIND,
        bundle_text,
        fhir_file_name,
        render_note_pdf,
        stored_note,
        stored_visit_export,
    )

    found = repo.visits_between(args.from_date, args.to_date)
    pool = pdf_workers() if len(found) >= PARALLEL_FROM else None
    if pool is None:
        pdfs: Iterable[bytes] = (
            render_note_pdf(stored_note(repo, visit_id, letterhead))
            for visit_id, _, _ in found
        )
    else:
        with pool:
            futures = [
                pool.submit(render_note_pdf, stored_note(repo, visit_id, letterhead))
                for visit_id, _, _ in found
            ]
            pdfs = [future.result() for future in futures]
    for done, ((visit_id, mrn, day), pdf) in enumerate(
        zip(found, pdfs, strict=True), start=1
    ):
        target = args.out_dir / fhir_file_name(mrn, day, visit_id)
        export = stored_visit_export(repo, visit_id, system, letterhead, pdf)
        if not _written(target, bundle_text(export)):
            return EXIT_FAILURE
        repo.record_export(visit_id, target, AUDIT_KIND)
        if done % 100 == 0:
            print(f"export: {done}/{len(found)} bundles", file=sys.stderr)
    print(f"{len(found)} FHIR bundle(s) written to {args.out_dir}", file=sys.stderr)
    return EXIT_OK


def _written(path: Path, text: str) -> bool:
    """Write whole via a temporary file beside the target; False (said) on error."""
    try:
        fd, temp = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as exc:
        _error(f"{path}: cannot be written: {exc.strerror or exc}")
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        _error(f"{path}: cannot be written: {exc.strerror or exc}")
        return False
    return True
