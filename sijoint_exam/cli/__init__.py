"""Command line: no subcommand opens the window; subcommands run headless.

Each group of subcommands lives in its own module with a `register(subparsers)`
function that adds its parsers with `set_defaults(run=handler)`, `handler(args) -> int`.
Those modules import heavy things inside their handlers, so that opening the window
does not pay for them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from sijoint_exam import __version__
from sijoint_exam.cli import (
    demo_command,
    encryption_commands,
    report_commands,
    store_commands,
    visit_commands,
)
from sijoint_exam.cli.common import EPILOG, database_argument, database_path

Registrar = Callable[[argparse._SubParsersAction], None]
REGISTRARS: tuple[Registrar, ...] = (
    store_commands.register,
    visit_commands.register,
    report_commands.register,
    demo_command.register,
    encryption_commands.register,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="sijoint-exam",
        description="Record a sacroiliac-joint examination and write the visit note.",
        epilog=EPILOG,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    database_argument(parser)
    # For the start-up benchmark and the smoke tests: quit once the window is shown
    # (before the database is opened), or once the database is open in it.
    parser.add_argument(
        "--exit-when",
        choices=("shown", "ready"),
        default=None,
        help=argparse.SUPPRESS,
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in REGISTRARS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `sijoint-exam` and `python -m sijoint_exam`."""
    args = build_parser().parse_args(argv)
    if getattr(args, "run", None) is not None:
        return int(args.run(args))
    # Qt is imported only when a window is wanted: headless commands stay light.
    from sijoint_exam.app import run_window

    return run_window(database_path(args), exit_when=args.exit_when)
