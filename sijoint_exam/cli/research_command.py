"""`sijoint-exam export-research`: the de-identified research dataset of a period.

    sijoint-exam export-research --from DATE --to DATE --out-dir DIR [--keep-key FILE]

Writes visits.csv, tests.csv, blocks.csv and data_dictionary.csv (REDCap) into DIR;
what they hold and leave out: `exchange.research`. The key from record_id to MRN is
written only with --keep-key, owner-only, never beside the dataset.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sijoint_exam.cli.common import (
    EPILOG,
    EXIT_FAILURE,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    clinician_argument,
    command_clinician,
    database_argument,
    open_existing_for_command,
)
from sijoint_exam.cli.fhir_commands import date_argument

if TYPE_CHECKING:
    from sijoint_exam.domain.visit import Visit

FILES = ("visits.csv", "tests.csv", "blocks.csv", "data_dictionary.csv")
AUDIT_KIND = "research dataset (de-identified)"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `export-research`."""
    parser = subparsers.add_parser(
        "export-research",
        help="write the de-identified research dataset (CSV + REDCap dictionary)",
        description="Write visits.csv (one row per visit), tests.csv (visit × test "
        "× side), blocks.csv and data_dictionary.csv (REDCap) for every visit dated "
        "from --from to --to, de-identified by HIPAA Safe Harbor: no names, MRNs or "
        "free text, dates reduced to the year, ages of 90 and over as 90+, and a "
        "record_id drawn afresh for each export. --keep-key FILE also writes which "
        "MRN each record_id stands for, readable by you only.",
        epilog=EPILOG,
    )
    parser.add_argument(
        "--from", dest="from_date", metavar="DATE", type=date_argument, required=True
    )
    parser.add_argument(
        "--to", dest="to_date", metavar="DATE", type=date_argument, required=True
    )
    parser.add_argument("--out-dir", type=Path, metavar="DIR", required=True)
    parser.add_argument("--keep-key", type=Path, metavar="FILE")
    database_argument(parser)
    clinician_argument(parser)
    parser.set_defaults(run=run_export_research)


def _problems(args: argparse.Namespace) -> list[str]:
    problems = []
    if args.from_date > args.to_date:
        problems.append(f"--from {args.from_date} is after --to {args.to_date}")
    if not args.out_dir.is_dir():
        problems.append(f"--out-dir: {args.out_dir} is not a folder")
    else:
        taken = [name for name in FILES if (args.out_dir / name).exists()]
        if taken:
            problems.append(
                f"--out-dir: {args.out_dir} already holds {', '.join(taken)}: "
                "choose an empty folder (nothing is overwritten)"
            )
    key = args.keep_key
    if key is not None:
        if key.exists():
            problems.append(f"--keep-key: {key} exists (nothing is overwritten)")
        elif args.out_dir.is_dir() and key.resolve().parent == args.out_dir.resolve():
            problems.append(
                "--keep-key: the key must not be kept beside the dataset it unlocks"
            )
    return problems


def _csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    stream = io.StringIO(newline="")
    writer = csv.DictWriter(stream, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


def run_export_research(args: argparse.Namespace) -> int:
    """Write the four files (and the key, if asked)."""
    problems = _problems(args)
    for line in problems:
        print(f"export-research: {line}", file=sys.stderr)
    if problems:
        return EXIT_INVALID_INPUT
    from sijoint_exam.exchange import research
    from sijoint_exam.store.repository import Repository

    db = open_existing_for_command(args, instance_lock=False)
    if db is None:
        return EXIT_FAILURE
    try:
        repo = Repository(db, clinician=command_clinician(args))
        found = repo.visits_between(args.from_date, args.to_date)
        by_patient: dict[int, list[tuple[int, Visit, bool]]] = {}
        for visit_id, _, _ in found:
            patient_id = repo.visit_patient_id(visit_id)
            by_patient.setdefault(patient_id, []).append(
                (
                    visit_id,
                    repo.get_visit(visit_id),
                    repo.signature(visit_id) is not None,
                )
            )
        patients = [
            (repo.get_patient(pid), [(v, s) for _, v, s in visits])
            for pid, visits in by_patient.items()
        ]
        dataset = research.build_dataset(patients, random.SystemRandom())
        texts = {
            "visits.csv": _csv_text(
                research.columns(research.VISIT_FIELDS), dataset.visits
            ),
            "tests.csv": _csv_text(
                research.columns(research.TEST_FIELDS), dataset.tests
            ),
            "blocks.csv": _csv_text(
                research.columns(research.BLOCK_FIELDS), dataset.blocks
            ),
            "data_dictionary.csv": _csv_text(
                list(research.DICTIONARY_COLUMNS), research.data_dictionary()
            ),
        }
        written: list[Path] = []
        targets = [(args.out_dir / name, text) for name, text in texts.items()]
        if args.keep_key is not None:
            key_rows = [{"record_id": r, "mrn": m} for r, m in dataset.key]
            targets.append((args.keep_key, _csv_text(["record_id", "mrn"], key_rows)))
        try:
            for path, text in targets:
                _write_new(path, text)
                written.append(path)
        except OSError as exc:
            # All or nothing: a dataset without its dictionary, or without the
            # key asked for, is worse than none.
            for path in written:
                path.unlink(missing_ok=True)
            print(f"export-research: cannot write: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        for visits in by_patient.values():
            for visit_id, _, _ in visits:
                repo.record_export(visit_id, args.out_dir, AUDIT_KIND)
    finally:
        db.close()
    print(
        f"{len(dataset.visits)} visit(s) of {len(patients)} patient(s) written to "
        f"{args.out_dir}",
        file=sys.stderr,
    )
    return EXIT_OK


def _write_new(path: Path, text: str) -> None:
    """Create `path` owner-only (0600, as every export), never over a file; a
    failed write removes what it created."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
