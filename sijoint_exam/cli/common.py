"""What every subcommand module shares: exit statuses, the `--db` option, and
opening the database, asking for its passphrase if it is encrypted."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sijoint_exam.paths import DATABASE_ENV, default_database_path

if TYPE_CHECKING:
    from sijoint_exam.domain.note import Letterhead
    from sijoint_exam.store.database import ExamDatabase

# Exit statuses, documented in --help and the README.
EXIT_OK = 0
EXIT_FAILURE = 1  # a database or file could not be opened or written
EXIT_INVALID_INPUT = 2  # bad arguments or invalid input, one line per problem

# The passphrase of an encrypted database, for scripts. Never a command-line
# option: the command line lands in the shell's history and in `ps`.
PASSPHRASE_ENV = "SIJOINT_EXAM_PASSPHRASE"
# The new one, for `change-passphrase`.
NEW_PASSPHRASE_ENV = "SIJOINT_EXAM_NEW_PASSPHRASE"
# The clinician a command works as, for scripts (as --clinician).
CLINICIAN_ENV = "SIJOINT_EXAM_CLINICIAN"

EPILOG = (
    "Exit status: 0 success; 1 a database or file could not be opened or written; "
    "2 invalid input (one line per problem on standard error). "
    "An encrypted database asks for its passphrase on the terminal; scripts may "
    f"set ${PASSPHRASE_ENV} instead (visible to every program that can read this "
    "process's environment: the same user, and the administrator)."
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


def clinician_argument(parser: argparse.ArgumentParser) -> None:
    """Add `--clinician NAME` to a command that writes to the audit log."""
    parser.add_argument(
        "--clinician",
        default=argparse.SUPPRESS,
        metavar="NAME",
        help=(
            "the clinician the audit log names for what this command does, beside "
            f"the operating-system user (default: ${CLINICIAN_ENV}, else the "
            "clinician in the program's settings)"
        ),
    )


def command_clinician(args: argparse.Namespace, saved: str | None = None) -> str:
    """The clinician a command works as: --clinician, else $SIJOINT_EXAM_CLINICIAN,
    else the settings' clinician (`saved`, when the caller has read the settings
    already); "" when none is known (the audit log then names the
    operating-system user alone)."""
    given = getattr(args, "clinician", None) or os.environ.get(CLINICIAN_ENV)
    if given is None:
        given = saved_preferences()[1] if saved is None else saved
    return given.strip()


def saved_preferences() -> tuple[Letterhead, str]:
    """The letterhead and clinician from the program's settings, if it has any."""
    from sijoint_exam.domain.note import Letterhead
    from sijoint_exam.paths import settings_path

    path = settings_path()
    if not path.is_file():
        return Letterhead(), ""
    # Qt only when there are settings to read: QSettings owns their INI format.
    from sijoint_exam.ui.settings import Settings

    prefs = Settings(path).preferences
    return prefs.letterhead(), prefs.clinician


def database_path(args: argparse.Namespace) -> Path:
    """The database the user chose, or the default one."""
    return getattr(args, "db", None) or default_database_path()


def read_passphrase(
    path: Path, *, env: str = PASSPHRASE_ENV, prompt: str = ""
) -> str | None:
    """The passphrase of `path`: from the environment variable `env`, else asked
    on the terminal (not echoed); None when there is neither."""
    given = os.environ.get(env)
    if given:
        return given
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(prompt or f'Passphrase for "{path}": ') or None


def read_new_passphrase(path: Path, *, env: str = PASSPHRASE_ENV) -> str | None:
    """A passphrase to set on `path`: from `env`, else asked twice on the
    terminal; None when there is neither.

    Raises:
        ValueError: The two typed differ.
    """
    given = os.environ.get(env)
    if given:
        return given
    if not sys.stdin.isatty():
        return None
    first = getpass.getpass(f'New passphrase for "{path}": ')
    if getpass.getpass("The same passphrase again: ") != first:
        raise ValueError("The two passphrases typed differ; nothing was changed.")
    return first or None


def open_for_command(args: argparse.Namespace, **options: Any) -> ExamDatabase:
    """Open the database of a command (`open_database(path, **options)`), with
    its passphrase if it is encrypted (see `read_passphrase`).

    Raises:
        DatabaseError: As `open_database`; `PassphraseRequiredError` names the
            ways to give the passphrase when there is none.
    """
    from sijoint_exam.store.database import (
        PassphraseRequiredError,
        is_encrypted,
        open_database,
    )

    path = database_path(args)
    passphrase = None
    if is_encrypted(path):
        passphrase = read_passphrase(path)
        if passphrase is None:
            raise PassphraseRequiredError(
                f'The database "{path}" is encrypted: run the command in a terminal '
                f"to be asked for its passphrase, or set ${PASSPHRASE_ENV}.",
                path=path,
            )
    return open_database(path, passphrase=passphrase, **options)


def open_existing_for_command(
    args: argparse.Namespace, **options: Any
) -> ExamDatabase | None:
    """`open_for_command` for a database that must already exist; on failure the
    reason goes to standard error and None comes back (exit status 1)."""
    from sijoint_exam.store.database import DatabaseError

    path = database_path(args)
    if not path.exists():
        print(f'There is no database "{path}".', file=sys.stderr)
        return None
    try:
        return open_for_command(args, **options)
    except DatabaseError as error:
        print(error, file=sys.stderr)
        return None


def one_or_period_problems(
    args: argparse.Namespace, *, output_required: bool
) -> list[str]:
    """What is wrong with `VISIT_ID [-o FILE]` against `--from --to --out-dir`
    (empty: nothing): one visit, or every visit of a period into a folder."""
    period = (args.from_date, args.to_date, args.out_dir)
    if args.visit_id is not None:
        problems = []
        if output_required and args.output is None:
            problems.append("-o FILE: required with VISIT_ID")
        if any(x is not None for x in period):
            problems.append("--from/--to/--out-dir: not with VISIT_ID")
        return problems
    if all(x is None for x in period):
        one = "VISIT_ID with -o FILE" if output_required else "VISIT_ID"
        return [f"give {one}, or --from DATE --to DATE --out-dir DIR"]
    problems = [
        f"{flag}: required for a period"
        for flag, value in zip(("--from", "--to", "--out-dir"), period, strict=True)
        if value is None
    ]
    if args.output is not None:
        problems.append("-o FILE: only with VISIT_ID (a period uses --out-dir)")
    if args.from_date and args.to_date and args.from_date > args.to_date:
        problems.append(f"--from {args.from_date} is after --to {args.to_date}")
    if args.out_dir is not None and not args.out_dir.is_dir():
        problems.append(f"--out-dir: {args.out_dir} is not a folder")
    return problems
