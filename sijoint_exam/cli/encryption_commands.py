"""`encrypt` and `change-passphrase`: encryption at rest, run without a window.

Passphrases are asked on the terminal (not echoed; a new one twice) or, for
scripts, read from $SIJOINT_EXAM_PASSPHRASE (and $SIJOINT_EXAM_NEW_PASSPHRASE for
the new one) - never from the command line, which the shell's history keeps.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sijoint_exam.cli.common import (
    EPILOG,
    EXIT_FAILURE,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    clinician_argument,
    command_clinician,
    database_argument,
    database_path,
    read_new_passphrase,
    read_passphrase,
)

LOSS_WARNING = (
    "Keep the passphrase somewhere safe: without it nobody, not even the program's "
    "authors, can read the records or their backups."
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `encrypt` and `change-passphrase`."""
    encrypt = subparsers.add_parser(
        "encrypt",
        help="encrypt the database with a passphrase (SQLCipher)",
        description=(
            "Encrypt a plain database: it is copied into a new encrypted file, the "
            "copy is checked against it, and only then put in its place. The plain "
            "file is kept beside it, for you to delete securely once the encrypted "
            "one has been seen to open. Without a database, creates a new "
            "encrypted one. The passphrase is asked twice on the terminal, or "
            f"read from ${PASSPHRASE_ENV}."
        ),
        epilog=EPILOG,
    )
    database_argument(encrypt)
    clinician_argument(encrypt)
    encrypt.set_defaults(run=run_encrypt)

    change = subparsers.add_parser(
        "change-passphrase",
        help="change the passphrase of an encrypted database",
        description=(
            "Re-encrypt the database under a new passphrase. Close the program "
            "first. Backups made before keep the old passphrase. The passphrases "
            f"are asked on the terminal, or read from ${PASSPHRASE_ENV} (the "
            f"current one) and ${NEW_PASSPHRASE_ENV} (the new one)."
        ),
        epilog=EPILOG,
    )
    database_argument(change)
    clinician_argument(change)
    change.set_defaults(run=run_change_passphrase)


def run_encrypt(args: argparse.Namespace) -> int:
    """Encrypt the plain database, or create an encrypted one."""
    from sijoint_exam.store.database import DatabaseError, is_encrypted
    from sijoint_exam.store.encryption import (
        create_encrypted_database,
        encrypt_database,
        plain_copies,
    )

    path = database_path(args)
    if is_encrypted(path):
        return _fail(
            f'The database "{path}" is encrypted already. To change its passphrase: '
            f'sijoint-exam change-passphrase --db "{path}"'
        )
    passphrase = _new_passphrase(path, PASSPHRASE_ENV)
    if passphrase is None:
        return EXIT_INVALID_INPUT
    try:
        if not path.exists() or path.stat().st_size == 0:
            create_encrypted_database(path, passphrase).close()
            print(f'Created the encrypted database "{path}".')
            print(LOSS_WARNING)
            return EXIT_OK
        kept = encrypt_database(path, passphrase, clinician=command_clinician(args))
    except ValueError as error:
        return _invalid(str(error))
    except (DatabaseError, OSError) as error:
        return _fail(str(error))
    print(f'Encrypted "{path}".')
    print(LOSS_WARNING)
    copies = plain_copies(path)
    print(
        f'The plain database from before is kept at "{kept}". Once the encrypted '
        "one has opened, delete every unencrypted copy securely (on an SSD or a "
        "copy-on-write file system only full-disk encryption makes deleted data "
        "unreadable):"
    )
    for copy in copies:
        print(f"  {copy}")
    return EXIT_OK


def run_change_passphrase(args: argparse.Namespace) -> int:
    """Rekey the encrypted database."""
    from sijoint_exam.store.database import DatabaseError, is_encrypted
    from sijoint_exam.store.encryption import change_passphrase

    path = database_path(args)
    if not is_encrypted(path):
        if not path.exists():
            return _fail(f'There is no database "{path}".')
        return _fail(
            f'The database "{path}" is not encrypted, so it has no passphrase to '
            f'change. To encrypt it: sijoint-exam encrypt --db "{path}"'
        )
    old = read_passphrase(path, prompt=f'Current passphrase for "{path}": ')
    if old is None:
        return _invalid(_no_passphrase(PASSPHRASE_ENV))
    new = _new_passphrase(path, NEW_PASSPHRASE_ENV)
    if new is None:
        return EXIT_INVALID_INPUT
    try:
        change_passphrase(path, old, new, clinician=command_clinician(args))
    except ValueError as error:
        return _invalid(str(error))
    except (DatabaseError, OSError) as error:
        return _fail(str(error))
    print(
        f'The passphrase of "{path}" was changed. Backups made before still open '
        "with the old passphrase only."
    )
    return EXIT_OK


def _new_passphrase(path: Path, env: str) -> str | None:
    """The passphrase to set; None (after saying why) when there is none."""
    try:
        passphrase = read_new_passphrase(path, env=env)
    except ValueError as error:
        _invalid(str(error))
        return None
    if passphrase is None:
        _invalid(_no_passphrase(env))
    return passphrase


def _no_passphrase(env: str) -> str:
    return f"no passphrase: run the command in a terminal to be asked, or set ${env}"


def _invalid(message: str) -> int:
    print(f"sijoint-exam: {message}", file=sys.stderr)
    return EXIT_INVALID_INPUT


def _fail(message: str) -> int:
    print(f"sijoint-exam: {message}", file=sys.stderr)
    return EXIT_FAILURE
