"""`verify`, `backup` and `restore`: the store's commands, run without a window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sijoint_exam.cli.common import (
    EXIT_FAILURE,
    EXIT_OK,
    clinician_argument,
    command_clinician,
    database_argument,
    database_path,
    open_for_command,
    read_passphrase,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the store's subcommands."""
    verify = subparsers.add_parser(
        "verify",
        help="check the audit log's chain and every signed visit's hash",
        description=(
            "Recompute the audit log's hash chain and the hash of every signed "
            "visit and addendum, and compare every record with its last audit "
            "entry. Prints each break; exit status 1 if there is any. With "
            "--server, check the clinic server instead: every room's audit log "
            "chain, every signed visit and addendum, every visit against its "
            "room's log."
        ),
    )
    database_argument(verify)
    verify.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help="check the clinic server at this libpq URI (password in ~/.pgpass)",
    )
    verify.set_defaults(run=run_verify)

    backup = subparsers.add_parser(
        "backup",
        help="copy the database, while it may be in use, to a safe place",
        description=(
            "Back the database up with SQLite's online backup. DEST may be a "
            "folder (a dated file is written in it; ending DEST with a slash "
            "creates the folder if need be) or a new file; an existing file is "
            "never overwritten. Without DEST: the backups folder beside the "
            "database, rotated like the daily backups."
        ),
    )
    # Text, not Path: Path drops the trailing slash that says DEST is a folder.
    backup.add_argument("destination", nargs="?", metavar="DEST")
    database_argument(backup)
    clinician_argument(backup)
    backup.set_defaults(run=run_backup)

    restore = subparsers.add_parser(
        "restore",
        help="replace the database with a backup (the current one is kept aside)",
        description=(
            "Check FILE with SQLite's integrity check, move the current database "
            "aside (it is never overwritten or deleted) and put a copy of FILE in "
            "its place. Close the program first."
        ),
    )
    restore.add_argument("backup_file", type=Path, metavar="FILE")
    database_argument(restore)
    clinician_argument(restore)
    restore.set_defaults(run=run_restore)


def run_verify(args: argparse.Namespace) -> int:
    """Print every break `verify` finds; 1 if there is one, or no database."""
    if args.server is not None:
        from sijoint_exam.cli.server_commands import run_verify_server

        return run_verify_server(args.server)
    from sijoint_exam.store.database import DatabaseError
    from sijoint_exam.store.verify import verify

    path = database_path(args)
    if not path.exists():
        return _fail(f'There is no database "{path}".')
    try:
        # No instance lock: verify only reads, and may run beside the window.
        with open_for_command(args, instance_lock=False) as db:
            problems = verify(db)
            entries = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
            signed = db.execute("SELECT count(*) FROM signature").fetchone()[0]
    except DatabaseError as error:
        return _fail(str(error))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{path}: {len(problems)} break(s) found.", file=sys.stderr)
        return EXIT_FAILURE
    print(
        f"{path}: intact ({_count(entries, 'audit log entry', 'audit log entries')},"
        f" {_count(signed, 'signed visit', 'signed visits')} checked)."
    )
    return EXIT_OK


# What ends a path that names a folder: / (and \ on Windows).
_SEPARATORS = tuple(sep for sep in (os.sep, os.altsep) if sep)


def run_backup(args: argparse.Namespace) -> int:
    """Back up into DEST, or into the default folder (then rotate)."""
    from sijoint_exam.store import backup, files
    from sijoint_exam.store.database import DatabaseError, default_backup_folder
    from sijoint_exam.store.repository import Repository

    path = database_path(args)
    if not path.exists():
        return _fail(f'There is no database "{path}".')
    try:
        with open_for_command(args, instance_lock=False) as db:
            repository = Repository(db, clinician=command_clinician(args))
            if args.destination is None:
                folder = default_backup_folder(path)
                files.private_folder(folder)
                written = repository.backup_to(folder)
                notice = backup.rotate(path, folder).notice()
                if notice:
                    print(f"sijoint-exam: {notice}", file=sys.stderr)
            else:
                destination = Path(args.destination)
                if args.destination.endswith(_SEPARATORS):  # a folder, maybe new
                    files.private_folder(destination)
                written = repository.backup_to(destination)
    except (DatabaseError, OSError) as error:
        return _fail(str(error))
    print(written)
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    """Restore FILE over the database, keeping the current one aside."""
    from sijoint_exam.store.backup import restore_database
    from sijoint_exam.store.database import DatabaseError, is_encrypted

    path = database_path(args)
    was_encrypted = is_encrypted(path)
    passphrase = None
    if is_encrypted(args.backup_file):
        # A backup opens with the passphrase the database had when it was made.
        prompt = f'Passphrase of the backup "{args.backup_file}": '
        passphrase = read_passphrase(args.backup_file, prompt=prompt)
    try:
        kept = restore_database(
            args.backup_file,
            path,
            passphrase=passphrase,
            clinician=command_clinician(args),
        )
    except (DatabaseError, OSError) as error:
        return _fail(str(error))
    print(f'Restored "{path}" from "{args.backup_file}".')
    if kept is not None:
        print(f'The database it replaced is kept at "{kept}".')
    if was_encrypted and not is_encrypted(path):
        print(
            f'sijoint-exam: the restored database "{path}" is not encrypted (the '
            "backup was made before the database was); to encrypt it again: "
            f'sijoint-exam encrypt --db "{path}"',
            file=sys.stderr,
        )
    return EXIT_OK


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _fail(message: str) -> int:
    print(f"sijoint-exam: {message}", file=sys.stderr)
    return EXIT_FAILURE
