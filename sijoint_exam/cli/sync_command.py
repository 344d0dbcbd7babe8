"""`sync`: push this room's changes to the clinic server and pull the others'."""

from __future__ import annotations

import argparse
import socket
import sys

from sijoint_exam.cli.common import (
    EXIT_FAILURE,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    database_path,
    open_existing_for_command,
)

# A sync that found a conflict a person must settle (an MRN given to two patients).
EXIT_CONFLICT = 3


def run(args: argparse.Namespace, address: str) -> int:
    """Sync the database with the server at `address`."""
    from sijoint_exam.store.cipher import SQLITE_ERRORS
    from sijoint_exam.store.server.connection import ServerError, check_address
    from sijoint_exam.store.server.sync import set_room, start_new_line, sync

    try:
        check_address(address)
    except ServerError as error:
        print(f"sijoint-exam: {error}", file=sys.stderr)
        return EXIT_INVALID_INPUT
    path = database_path(args)
    db = open_existing_for_command(args)
    if db is None:
        return EXIT_FAILURE
    with db:
        try:
            if args.room is not None:
                set_room(db, args.room)
            if args.as_new_room:
                start_new_line(db)
            report = sync(db, address, f"{socket.gethostname()}: {path.name}")
        except ValueError as error:
            print(f"sijoint-exam: {error}", file=sys.stderr)
            return EXIT_INVALID_INPUT
        except ServerError as error:
            print(f"sijoint-exam: {error}", file=sys.stderr)
            return EXIT_FAILURE
        except SQLITE_ERRORS as error:
            # What was taken in before stays; the next sync goes on from there.
            print(f'sijoint-exam: the database "{path}": {error}', file=sys.stderr)
            return EXIT_FAILURE
    for conflict in report.conflicts:
        print(f"sijoint-exam: {conflict.message}", file=sys.stderr)
    print(f"{path}: {report.summary()}.")
    return EXIT_CONFLICT if report.conflicts else EXIT_OK
