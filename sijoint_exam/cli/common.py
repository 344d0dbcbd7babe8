"""What every subcommand module shares: exit statuses and the `--db` option."""

from __future__ import annotations

import argparse
from pathlib import Path

from sijoint_exam.paths import DATABASE_ENV, default_database_path

# Exit statuses, documented in --help and the README.
EXIT_OK = 0
EXIT_FAILURE = 1  # a database or file could not be opened or written
EXIT_INVALID_INPUT = 2  # bad arguments or invalid input, one line per problem

EPILOG = (
    "Exit status: 0 success; 1 a database or file could not be opened or written; "
    "2 invalid input (one line per problem on standard error)."
)


def database_argument(parser: argparse.ArgumentParser) -> None:
    """Add the shared `--db PATH` option (to the program and to each subcommand).

    SUPPRESS as the default: `sijoint-exam --db X import F` keeps the X given
    before the subcommand, which a subparser's own default would overwrite.
    """
    parser.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"database file (default: ${DATABASE_ENV} or the user data folder)",
    )


def database_path(args: argparse.Namespace) -> Path:
    """The database the user chose, or the default one."""
    return getattr(args, "db", None) or default_database_path()
