"""`sijoint-exam accuracy`: the clinic's own accuracy of a cluster rule, from its
block-verified visits, beside the published figures (domain/accuracy.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from sijoint_exam.cli.common import (
    EPILOG,
    EXIT_FAILURE,
    EXIT_OK,
    database_argument,
    open_existing_for_command,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `accuracy`."""
    from sijoint_exam.domain.catalogue import RULES_BY_ID

    parser = subparsers.add_parser(
        "accuracy",
        help="the clinic's own accuracy of a cluster rule against its blocks",
        description="From every patient with both a cluster result and a diagnostic "
        "block result (the latest such visit), the 2×2 table of the rule against the "
        "block, sensitivity and specificity with Wilson 95%% intervals and LR+/LR− "
        "with log-method intervals, beside the published figures. No figure is shown "
        "below 10 verified patients. Reads only: nothing is written.",
        epilog=EPILOG,
    )
    parser.add_argument(
        "--rule",
        choices=tuple(RULES_BY_ID),
        default=None,
        help="the rule to read the visits with (default: the one in Settings)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    database_argument(parser)
    parser.set_defaults(run=run_accuracy)


def _default_rule() -> str:
    from sijoint_exam.domain.catalogue import DEFAULT_RULE_ID
    from sijoint_exam.paths import settings_path

    if not settings_path().is_file():
        return DEFAULT_RULE_ID
    from sijoint_exam.ui.settings import Settings

    return Settings(settings_path()).preferences.rule_id


def run_accuracy(args: argparse.Namespace) -> int:
    """Print the clinic's accuracy of one rule."""
    from sijoint_exam.domain.accuracy import (
        accuracy_lines,
        accuracy_to_json,
        clinic_accuracy,
    )
    from sijoint_exam.store.repository import Repository

    rule_id = args.rule or _default_rule()
    db = open_existing_for_command(args, instance_lock=False)
    if db is None:
        return EXIT_FAILURE
    try:
        repo = Repository(db)
        found = repo.visits_between(dt.date.min, dt.date.max)
        visits = ((mrn, repo.get_visit(visit_id)) for visit_id, mrn, _ in found)
        result = clinic_accuracy(visits, rule_id)
    finally:
        db.close()
    if args.json:
        print(json.dumps(accuracy_to_json(result), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write("\n".join(accuracy_lines(result)) + "\n")
    return EXIT_OK
