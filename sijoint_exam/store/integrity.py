"""The check of a database file before anything writes to it: SQLite's quick
check, and what the user is told of a file that fails it (by name, with the
latest good backup to restore)."""

from __future__ import annotations

import pathlib
import sqlite3
from typing import NoReturn

from sijoint_exam.store import cipher, files
from sijoint_exam.store.errors import DatabaseError, WrongPassphraseError


def check_connection(
    conn: sqlite3.Connection,
    path: pathlib.Path,
    kind: cipher.Kind,
    key: str | None,
    backup_folder: pathlib.Path,
) -> None:
    """Run the quick check on `conn`; raise what it found, by name."""
    try:
        report = quick_check(conn)
    except cipher.DATABASE_ERRORS as exc:
        reason = getattr(exc, "sqlite_errorname", "")
        if kind == "encrypted" and reason == "SQLITE_NOTADB":
            raise WrongPassphraseError(
                f'The passphrase for "{path}" is not right.', path=path
            ) from None
        raise_unreadable(path, exc, backup_folder, key)
    # SQLite reports problems as lines under a "*** in database main ***" heading.
    problems = [
        line
        for entry in report
        for line in entry.splitlines()
        if not line.startswith("***")
    ]
    if problems != ["ok"]:
        more = f", and {len(problems) - 1} more" if len(problems) > 1 else ""
        raise_with_backup(
            f'The database "{path}" is damaged (SQLite found: {problems[0]}{more}). '
            "The file was left unchanged; restore it from a backup.",
            path,
            backup_folder,
            key,
        )


def refuse_empty(path: pathlib.Path, backup_folder: pathlib.Path) -> None:
    """Refuse a database file that exists but holds nothing at all.

    SQLite would take it for a new database and the program would start an
    empty record where the clinic's records were expected (a file emptied by a
    failed copy or a full disk, say). Starting afresh is the user's decision:
    deleting the empty file makes it.
    """
    try:
        empty = path.is_file() and path.stat().st_size == 0
    except OSError:
        return  # opening it will say why
    if empty:
        raise_with_backup(
            f'The database "{path}" is an empty file (0 bytes): it holds no '
            "records, and was not taken for a new database. If it held the "
            "clinic's records, restore it from a backup; to start a new database "
            "there, delete the empty file first. The file was left unchanged.",
            path,
            backup_folder,
        )


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """SQLite's quick check of every page and row, CHECK constraints aside.

    quick_check evaluates each row's CHECK constraints too, and the one on
    provocation_result.side (migration 001) makes that most of its cost: 2.4 s
    of 3 s at 3.3 million rows. SQLite enforces CHECK constraints on every write;
    what the check on open is for is damage to the file, which the page, record,
    type and NOT NULL checks find. So they are set aside for this one statement.

    On an encrypted database the check is bound by decrypting pages, which it
    would do twice for most of them with the default cache; `whole_file_cached`
    lets it decrypt each once. The check stays the whole-file one: checking
    table by table on two connections would use both cores, but SQLite then
    skips the freelist, the pages no tree uses, and pages two tables both claim
    (btree.c, "partial integrity-check"), which is damage a write makes worse.
    """
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        with cipher.whole_file_cached(conn):
            return [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
    finally:
        conn.execute("PRAGMA ignore_check_constraints = OFF")


def raise_with_backup(
    message: str,
    path: pathlib.Path,
    backup_folder: pathlib.Path,
    passphrase: str | None = None,
) -> NoReturn:
    """Raise DatabaseError for a file that cannot be read, offering a backup."""
    latest = files.latest_good_backup(path, backup_folder, passphrase=passphrase)
    if latest is not None:
        message += (
            f' The latest good backup is "{latest}"; restore it with:'
            f' sijoint-exam restore "{latest}" --db "{path}"'
        )
    raise DatabaseError(message, path=path, latest_backup=latest)


def raise_unreadable(
    path: pathlib.Path,
    exc: Exception,
    backup_folder: pathlib.Path,
    passphrase: str | None,
) -> NoReturn:
    reason = getattr(exc, "sqlite_errorname", "")
    if reason == "SQLITE_NOTADB":
        raise_with_backup(
            f'"{path}" is not a sijoint-exam database: it is not a SQLite file. '
            "The file was left unchanged.",
            path,
            backup_folder,
            passphrase,
        )
    if reason == "SQLITE_CORRUPT":
        raise_with_backup(
            f'The database "{path}" is damaged ({exc}). '
            "The file was left unchanged; restore it from a backup.",
            path,
            backup_folder,
            passphrase,
        )
    raise DatabaseError(_unreadable_message(path, exc), path=path) from exc


def _unreadable_message(path: pathlib.Path, exc: Exception) -> str:
    reason = getattr(exc, "sqlite_errorname", "")
    if reason == "SQLITE_BUSY":
        return (
            f'The database "{path}" is in use by another program '
            "(perhaps another copy of sijoint-exam); close it and try again."
        )
    return f'The database "{path}" could not be read: {exc}.'
