"""Command line: no subcommand opens the window; subcommands run headless.

Each group of subcommands lives in its own module with a `register(subparsers)`
function that adds its parsers with `set_defaults(run=handler)`, `handler(args) -> int`.
Those modules import heavy things inside their handlers, so that opening the window
does not pay for them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from sijoint_exam import __version__

Registrar = Callable[[argparse._SubParsersAction], None]
# For the start-up benchmark and the smoke tests: quit once the window is shown
# (before the database is opened), or once the database is open in it.
EXIT_WHEN = ("shown", "usable", "ready")


def _registrars() -> tuple[Registrar, ...]:
    # Imported only when a command (or --help) is asked for: opening the window,
    # the common case, never pays for the command modules.
    from sijoint_exam.cli import (
        accuracy_command,
        demo_command,
        encryption_commands,
        report_commands,
        research_command,
        server_commands,
        store_commands,
        visit_commands,
    )

    return (
        store_commands.register,
        visit_commands.register,
        report_commands.register,
        demo_command.register,
        encryption_commands.register,
        accuracy_command.register,
        research_command.register,
        server_commands.register,
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from sijoint_exam.cli.common import EPILOG, database_argument

    parser = argparse.ArgumentParser(
        prog="sijoint-exam",
        description="Record a sacroiliac-joint examination and write the visit note.",
        epilog=EPILOG,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    database_argument(parser)
    parser.add_argument(
        "--exit-when",
        choices=EXIT_WHEN,
        default=None,
        help=argparse.SUPPRESS,
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in _registrars():
        register(subparsers)
    return parser


def _window_arguments(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The arguments when they only open the window (`--db`, `--exit-when`);
    None when they name a command, ask for help or are wrong.

    A small parser of its own so that the window's start does not build every
    command's parser; anything else goes to the full parser, which says what is
    wrong in the usual words.
    """
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--exit-when", choices=EXIT_WHEN, default=None)
    try:
        args, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `sijoint-exam` and `python -m sijoint_exam`."""
    window_args = _window_arguments(argv)
    if window_args is None:
        args = build_parser().parse_args(argv)
        if getattr(args, "run", None) is not None:
            return int(args.run(args))
        window_args = args
    import gc

    from sijoint_exam.paths import default_database_path

    # No collection while the window is built: start-up makes many long-lived
    # objects and few cycles, and collecting among them is wasted time.
    # `run_window` turns the collector on again once the window is shown.
    gc.disable()
    try:
        # Qt is imported only when a window is wanted: headless commands stay light.
        from sijoint_exam.app import run_window

        db_path = getattr(window_args, "db", None) or default_database_path()
        return run_window(db_path, exit_when=window_args.exit_when)
    finally:
        gc.enable()
