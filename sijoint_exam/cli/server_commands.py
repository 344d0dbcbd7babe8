"""`server init` and `sync`: the clinic server's commands, run without a window.

The server's address is a libpq URI (postgresql://user@host:port/database) from
--server, else $SIJOINT_EXAM_SERVER, else the program's settings. Its password,
if it needs one, is in the user's ~/.pgpass, never in the address.
"""

from __future__ import annotations

import argparse
import os
import sys

from sijoint_exam.cli.common import (
    EXIT_FAILURE,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    database_argument,
)
from sijoint_exam.cli.sync_command import EXIT_CONFLICT

SERVER_ENV = "SIJOINT_EXAM_SERVER"


def server_argument(parser: argparse.ArgumentParser) -> None:
    """Add `--server URL`."""
    parser.add_argument(
        "--server",
        metavar="URL",
        default=None,
        help=(
            "the clinic server, postgresql://user@host:port/database (default: "
            f"${SERVER_ENV}, else the program's settings); its password goes in "
            "~/.pgpass, never in the address"
        ),
    )


def server_address(args: argparse.Namespace) -> str | None:
    """--server, else $SIJOINT_EXAM_SERVER, else the settings' clinic server."""
    given = getattr(args, "server", None) or os.environ.get(SERVER_ENV)
    if given:
        return given.strip()
    from sijoint_exam.paths import settings_path

    path = settings_path()
    if not path.is_file():
        return None
    from sijoint_exam.ui.settings import Settings

    return Settings(path).preferences.clinic_server.strip() or None


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `server init` and `sync`."""
    server = subparsers.add_parser(
        "server",
        help="set up the clinic server the rooms' workstations sync through",
        description="The clinic server (PostgreSQL 15 or newer).",
    )
    actions = server.add_subparsers(dest="server_command", metavar="ACTION")
    actions.required = True
    init = actions.add_parser(
        "init",
        help="create or upgrade the clinic server's schema and the workstations' role",
        description=(
            "Create (or bring up to date) the clinic server's schema, and the "
            "group role the workstations' login roles are made members of: it "
            "may read everything and add records, but never change or delete a "
            "signed visit, a signature, an addendum or the audit log. Run it as "
            "a superuser or as the database's owner with CREATEROLE."
        ),
    )
    server_argument(init)
    init.add_argument(
        "--group-role",
        default=None,
        metavar="NAME",
        help="the workstations' group role (default: sijoint_exam_workstation)",
    )
    init.set_defaults(run=run_server_init)

    sync = subparsers.add_parser(
        "sync",
        help="send this room's changes to the clinic server and take in the others'",
        description=(
            "Push this database's new and changed patients, visits, signatures, "
            "addenda and audit entries to the clinic server, then pull the other "
            "rooms'. Exit status: 0 synced; 1 the server or the database could "
            f"not be used; {EXIT_CONFLICT} a conflict a person must settle (each "
            "named on standard error)."
        ),
    )
    database_argument(sync)
    server_argument(sync)
    sync.add_argument(
        "--room",
        default=None,
        metavar="NAME",
        help="the name other rooms see for this workstation (kept for next time)",
    )
    sync.add_argument(
        "--as-new-room",
        action="store_true",
        help=(
            "after restoring an older backup: sync under a new workstation id (the "
            "old ones stay this database's), sending the whole audit log again and "
            "taking back what the server has that the backup lacked"
        ),
    )
    sync.set_defaults(run=run_sync)


def run_server_init(args: argparse.Namespace) -> int:
    """Create or migrate the schema; create and grant the group role."""
    from sijoint_exam.store.server import admin
    from sijoint_exam.store.server.connection import ServerError

    address = server_address(args)
    if not address:
        return _no_server()
    try:
        report = admin.initialise(address, args.group_role)
    except ServerError as error:
        return _fail(str(error))
    print(report)
    return EXIT_OK


def run_sync(args: argparse.Namespace) -> int:
    """Push, then pull; one line per conflict; a one-line failure otherwise."""
    from sijoint_exam.cli.sync_command import run

    address = server_address(args)
    if not address:
        return _no_server()
    return run(args, address)


def _no_server() -> int:
    print(
        "sijoint-exam: no clinic server is configured: give --server URL, set "
        f"${SERVER_ENV}, or enter it in the program's settings.",
        file=sys.stderr,
    )
    return EXIT_INVALID_INPUT


def _fail(message: str) -> int:
    print(f"sijoint-exam: {message}", file=sys.stderr)
    return EXIT_FAILURE


def run_verify_server(address: str) -> int:
    """`verify --server URL`: print every break; 1 if there is one."""
    from sijoint_exam.store.server.connection import ServerError, describe
    from sijoint_exam.store.server.verify import check

    try:
        problems, checked = check(address)
    except ServerError as error:
        return _fail(str(error))
    for problem in problems:
        print(problem)
    name = describe(address)
    if problems:
        print(f"{name}: {len(problems)} break(s) found.", file=sys.stderr)
        return EXIT_FAILURE
    print(
        f"{name}: intact ({checked['entries']} audit log entries, "
        f"{checked['signed']} signed visits checked)."
    )
    return EXIT_OK
