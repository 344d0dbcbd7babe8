"""`sijoint-exam demo`: fill a database with realistic generated patients."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from sijoint_exam.cli.common import (
    EXIT_FAILURE,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    clinician_argument,
    command_clinician,
    database_argument,
    database_path,
    open_for_command,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `demo` subcommand."""
    demo = subparsers.add_parser(
        "demo",
        help="add generated demonstration patients and visits to a database",
        description=(
            "Add N generated patients (record numbers DEMO-…), each with one to "
            "three visits, to the database. Run it again to add more."
        ),
    )
    demo.add_argument(
        "--patients", type=int, default=20, metavar="N", help="how many (default 20)"
    )
    database_argument(demo)
    clinician_argument(demo)
    demo.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Generate and save the patients; progress on standard error."""
    if not 1 <= args.patients <= 1_000_000:
        print("demo: --patients must be between 1 and 1000000", file=sys.stderr)
        return EXIT_INVALID_INPUT
    from sijoint_exam.domain.demo import DEMO_MRN_PREFIX, demo_clinic
    from sijoint_exam.store.database import DatabaseError
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.store.transactions import immediate

    path = database_path(args)
    try:
        db = open_for_command(args)
    except DatabaseError as error:
        print(f"sijoint-exam: {error}", file=sys.stderr)
        return EXIT_FAILURE
    try:
        repository = Repository(db, clinician=command_clinician(args))
        existing = repository.search_patients(DEMO_MRN_PREFIX, limit=10**9)
        first = len(existing) + 1
        visits = 0
        clinic = demo_clinic(args.patients, dt.date.today(), first_index=first)
        for done, (patient, patient_visits) in enumerate(clinic, start=1):
            # A patient and their visits together or not at all: a demo stopped
            # halfway leaves no patient without a visit.
            with immediate(db):
                patient_id = repository.add_patient(patient)
                for visit in patient_visits:
                    repository.save_visit(patient_id, visit)
            visits += len(patient_visits)
            if done % 100 == 0 or done == args.patients:
                print(
                    f"\rdemo: {done}/{args.patients} patients", end="", file=sys.stderr
                )
        print(file=sys.stderr)
    finally:
        db.close()
    print(f"Added {args.patients} patients and {visits} visits to {path}")
    return EXIT_OK
