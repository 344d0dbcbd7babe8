"""Command line: no subcommand opens the window; subcommands run headless."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from sijoint_exam import __version__
from sijoint_exam.paths import DATABASE_ENV, default_database_path


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also documents the exit codes)."""
    parser = argparse.ArgumentParser(
        prog="sijoint-exam",
        description="Record a sacroiliac-joint examination and write the visit note.",
        epilog="Exit status: 0 success, 1 the database could not be opened, "
        "2 invalid input.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help=f"database file (default: ${DATABASE_ENV} or the user data folder)",
    )
    # For the start-up benchmark and the smoke tests: quit once the window is shown
    # (before the database is opened), or once the database is open in it.
    parser.add_argument(
        "--exit-when",
        choices=("shown", "ready"),
        default=None,
        help=argparse.SUPPRESS,
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `sijoint-exam` and `python -m sijoint_exam`."""
    args = build_parser().parse_args(argv)
    db_path = args.db or default_database_path()
    # Qt is imported only when a window is wanted: headless commands stay light.
    from sijoint_exam.app import run_window

    return run_window(db_path, exit_when=args.exit_when)
