"""Open the database file: check it, set the pragmas, back it up, then migrate it."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import sqlite3

from sqlite_utils import Database

from sijoint_exam.store import migrations as schema

# Patient records: readable by the owner only, whatever the umask.
_FILE_MODE = 0o600
_BUSY_TIMEOUT_MS = 5000


class DatabaseError(Exception):
    """The database file cannot be used; the message names the file and says why."""


def open_database(path: pathlib.Path | None) -> Database:
    """Open (or create) the exam database and bring its schema up to date.

    Args:
        path: The SQLite file; None for a private in-memory database (tests).

    Raises:
        DatabaseError: The file is not a SQLite database, is damaged, belongs to
            another program or a newer version, or could not be upgraded. A file
            that is refused is left exactly as it was.
    """
    if path is None:
        db = Database(memory=True, strict=True, execute_plugins=False)
        db.execute("PRAGMA foreign_keys = ON")
        schema.migrations.apply(db)
        return db
    path = pathlib.Path(path)
    db = Database(_connect_checked(path), strict=True, execute_plugins=False)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        _refuse_foreign_or_newer(db, path)
        _migrate(db, path)
    except BaseException:
        db.close()
        raise
    return db


def _connect_checked(path: pathlib.Path) -> sqlite3.Connection:
    """Connect and run SQLite's quick check before anything writes to the file."""
    created = not path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path)
    except (OSError, sqlite3.Error) as exc:
        message = f'The database "{path}" could not be opened: {exc}.'
        raise DatabaseError(message) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        report = [str(row[0]) for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(_unreadable_message(path, exc)) from exc
    # SQLite reports problems as lines under a "*** in database main ***" heading.
    problems = [
        line
        for entry in report
        for line in entry.splitlines()
        if not line.startswith("***")
    ]
    if problems != ["ok"]:
        conn.close()
        more = f", and {len(problems) - 1} more" if len(problems) > 1 else ""
        raise DatabaseError(
            f'The database "{path}" is damaged (SQLite found: {problems[0]}{more}). '
            "The file was left unchanged; restore it from a backup."
        )
    if created and path.exists():
        os.chmod(path, _FILE_MODE)
    return conn


def _unreadable_message(path: pathlib.Path, exc: sqlite3.DatabaseError) -> str:
    reason = getattr(exc, "sqlite_errorname", "")
    if reason == "SQLITE_NOTADB":
        return (
            f'"{path}" is not a sijoint-exam database: it is not a SQLite file '
            "(or it is encrypted). The file was left unchanged."
        )
    if reason == "SQLITE_CORRUPT":
        return (
            f'The database "{path}" is damaged ({exc}). '
            "The file was left unchanged; restore it from a backup."
        )
    if reason == "SQLITE_BUSY":
        return (
            f'The database "{path}" is in use by another program '
            "(perhaps another copy of sijoint-exam); close it and try again."
        )
    return f'The database "{path}" could not be read: {exc}.'


def _content_tables(db: Database) -> set[str]:
    """Tables other than SQLite's own and the migrations bookkeeping."""
    return {
        name
        for name in db.table_names()
        if not name.startswith("sqlite_") and name != schema.migrations.migrations_table
    }


def _refuse_foreign_or_newer(db: Database, path: pathlib.Path) -> None:
    """Refuse, before writing anything, a file this version must not migrate."""
    applied = {migration.name for migration in schema.migrations.applied(db)}
    unknown = sorted(applied - set(schema.known_names()))
    if unknown:
        raise DatabaseError(
            f'The database "{path}" was written by a newer version of sijoint-exam '
            f"(schema changes this version does not know: {', '.join(unknown)}). "
            "Update the program; the file was left unchanged."
        )
    # Tables but no record of our schema: another program's database. Creating our
    # tables beside theirs would mix two programs' data in one file.
    other_tables = _content_tables(db)
    if other_tables and not applied:
        raise DatabaseError(
            f'"{path}" is not a sijoint-exam database: it holds other tables '
            f"({', '.join(sorted(other_tables))}). The file was left unchanged."
        )


def _migrate(db: Database, path: pathlib.Path) -> None:
    """Set the file pragmas; copy the file aside, then apply pending migrations."""
    backup = None
    if schema.migrations.pending(db) and _content_tables(db):
        backup = _backup_before_migration(db, path)
    # WAL lets a reader (a backup, a report) run beside the form's writes; FULL
    # syncs every commit, because a saved exam must survive a power cut.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    try:
        schema.migrations.apply(db)
    except Exception as exc:
        kept = f' A copy from before the upgrade is at "{backup}".' if backup else ""
        raise DatabaseError(
            f'Upgrading the database "{path}" failed: {exc}. '
            f"The step that failed was undone.{kept}"
        ) from exc


def _backup_before_migration(db: Database, path: pathlib.Path) -> pathlib.Path:
    """Copy the database beside itself, named for the moment before the upgrade."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.before-migration-{stamp}.sqlite3")
    counter = 1
    while target.exists():  # never overwrite an earlier copy
        counter += 1
        target = path.with_name(
            f"{path.name}.before-migration-{stamp}-{counter}.sqlite3"
        )
    # The backup API copies a consistent snapshot, including pages still in the
    # WAL file, which a plain file copy would miss.
    try:
        copy = sqlite3.connect(target)
        try:
            db.conn.backup(copy)
        finally:
            copy.close()
        os.chmod(target, _FILE_MODE)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(
            f'The database "{path}" needs an upgrade, but the copy to "{target}" '
            f"made first failed: {exc}. Nothing was changed."
        ) from exc
    return target
