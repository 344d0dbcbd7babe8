"""Open the database file: check it, lock it, set the pragmas, back it up, migrate."""

from __future__ import annotations

import datetime as dt
import pathlib
import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from sijoint_exam.store import cipher, files, integrity, lock
from sijoint_exam.store import migrations as schema
from sijoint_exam.store.cipher import is_encrypted
from sijoint_exam.store.errors import (
    DatabaseError,
    DatabaseInUseError,
    PassphraseRequiredError,
    WrongPassphraseError,
)

__all__ = [
    "DatabaseError",
    "DatabaseInUseError",
    "ExamDatabase",
    "PassphraseRequiredError",
    "WrongPassphraseError",
    "check_file",
    "default_backup_folder",
    "is_encrypted",
    "open_database",
]

_BUSY_TIMEOUT_MS = 5000


class ExamDatabase(Database):
    """A sqlite-utils Database that gives back its instance lock when closed.

    Attributes:
        encrypted: The file is encrypted with SQLCipher (opened with a passphrase).
    """

    _lock_key: str | None = None
    encrypted: bool = False

    def close(self) -> None:
        """Close the connection, then release the instance lock if it holds one."""
        try:
            super().close()
        finally:
            key, self._lock_key = self._lock_key, None
            if key is not None:
                lock.release(key)


def default_backup_folder(database: pathlib.Path) -> pathlib.Path:
    """`backups/` beside the database: for the default database, in the user
    data folder."""
    return database.parent / "backups"


def open_database(
    path: pathlib.Path | None,
    *,
    passphrase: str | None = None,
    instance_lock: bool = True,
    backup_folder: pathlib.Path | None = None,
    on_upgrade: Callable[[], None] | None = None,
    quick_check: bool = True,
) -> ExamDatabase:
    """Open (or create) the exam database and bring its schema up to date.

    Args:
        path: The SQLite file; None for a private in-memory database (tests).
        passphrase: The passphrase of an encrypted database (see `is_encrypted`).
            Given for a file that does not exist yet, it creates an encrypted
            database with it; a plain database refuses one.
        instance_lock: Refuse the file while another process holds it open with
            the lock, and hold the lock until `close()`. The window takes it; tools
            that only read or back up (`verify`, `backup`) need not.
        backup_folder: Where backups of this database are kept, to offer the
            latest good one when the file is damaged (default: `backups/` beside).
        on_upgrade: Called once before a schema upgrade of a database with
            records begins (the copy, then the migrations), so that the user can
            be told: on a large database it takes a minute or more.
        quick_check: Run SQLite's quick check before anything else. A second
            connection to a file this process has open and checked already (the
            window's background sync) may skip it: on a large file it costs a
            second or more each time.

    Raises:
        DatabaseError: The file is empty (0 bytes: never taken for a new
            database), not a SQLite database, is damaged, belongs to
            another program or a newer version, or could not be upgraded. A file
            that is refused is left exactly as it was. For a damaged file or one
            that is not SQLite, `latest_backup` names the newest good backup.
        DatabaseInUseError: Another copy of the program has the file open.
        PassphraseRequiredError: The file is encrypted and no passphrase was given.
        WrongPassphraseError: The passphrase does not open it. (SQLCipher cannot
            tell a wrong passphrase from a damaged first page.)
        ValueError: A passphrase for a new database is too weak
            (`cipher.check_new_passphrase`), or one was given with no file.
    """
    if path is None:
        if passphrase is not None:
            raise ValueError("An in-memory database cannot be encrypted.")
        db = ExamDatabase(memory=True, strict=True, execute_plugins=False)
        db.execute("PRAGMA foreign_keys = ON")
        schema.migrations.apply(db)
        return db
    path = pathlib.Path(path)
    folder = backup_folder if backup_folder is not None else default_backup_folder(path)
    conn = _connect_checked(path, folder, passphrase, quick_check)
    db = ExamDatabase(conn, strict=True, execute_plugins=False)
    db.encrypted = cipher.is_cipher(conn)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        _refuse_foreign_or_newer(db, path)
        if instance_lock:
            db._lock_key = lock.acquire(path)
        _migrate(db, path, on_upgrade)
    except BaseException:
        db.close()
        raise
    return db


def _key_for(
    path: pathlib.Path, kind: cipher.Kind, passphrase: str | None
) -> str | None:
    """The passphrase to key the connection with (None: a plain one), or why not."""
    if kind == "encrypted" and passphrase is None:
        raise PassphraseRequiredError(
            f'The database "{path}" is encrypted (or it is not a database at all): '
            "it opens only with its passphrase.",
            path=path,
        )
    if kind == "plain" and passphrase is not None:
        raise DatabaseError(
            f'The database "{path}" is not encrypted, so it opens without a '
            f'passphrase. To encrypt it: sijoint-exam encrypt --db "{path}"',
            path=path,
        )
    if kind == "new" and passphrase is not None:
        cipher.check_new_passphrase(passphrase)
    return passphrase if kind in ("new", "encrypted") else None


def check_file(path: pathlib.Path, backup_folder: pathlib.Path | None = None) -> None:
    """The check `open_database` runs first, on a read-only connection of its own.

    For a caller that runs the check apart from the opening: the window runs it
    on a worker thread while the patient list is already shown, then opens the
    file with `quick_check=False`. Nothing is written to the file here, not even
    a checkpoint of its WAL, whatever the check finds.

    Raises:
        DatabaseError, PassphraseRequiredError, WrongPassphraseError: As
            `open_database` would, for the same file. A file that does not exist
            yet passes: there is nothing in it to check.
    """
    path = pathlib.Path(path)
    folder = backup_folder if backup_folder is not None else default_backup_folder(path)
    integrity.refuse_empty(path, folder)
    kind = cipher.file_kind(path)
    key = _key_for(path, kind, None)
    if kind == "new":
        return
    try:
        conn = cipher.connect(path, key, read_only=True)
    except cipher.OPEN_ERRORS as exc:
        message = f'The database "{path}" could not be opened: {exc}.'
        raise DatabaseError(message, path=path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        integrity.check_connection(conn, path, kind, key, folder)
    finally:
        conn.close()


def _connect_checked(
    path: pathlib.Path,
    backup_folder: pathlib.Path,
    passphrase: str | None,
    quick_check: bool = True,
) -> sqlite3.Connection:
    """Connect and run SQLite's quick check before anything writes to the file."""
    integrity.refuse_empty(path, backup_folder)
    kind = cipher.file_kind(path)
    key = _key_for(path, kind, passphrase)
    try:
        files.private_folder(path.parent)
        files.create_private_file(path)
        conn = cipher.connect(path, key)
    except cipher.OPEN_ERRORS as exc:
        message = f'The database "{path}" could not be opened: {exc}.'
        raise DatabaseError(message, path=path) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        if quick_check:
            integrity.check_connection(conn, path, kind, key, backup_folder)
    except BaseException:
        conn.close()
        raise
    return conn


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
            "Update the program; the file was left unchanged.",
            path=path,
        )
    # Tables but no record of our schema: another program's database. Creating our
    # tables beside theirs would mix two programs' data in one file.
    other_tables = _content_tables(db)
    if other_tables and not applied:
        raise DatabaseError(
            f'"{path}" is not a sijoint-exam database: it holds other tables '
            f"({', '.join(sorted(other_tables))}). The file was left unchanged.",
            path=path,
        )


def _migrate(
    db: Database, path: pathlib.Path, on_upgrade: Callable[[], None] | None
) -> None:
    """Set the file pragmas; copy the file aside, then apply pending migrations."""
    backup = None
    if schema.migrations.pending(db) and _content_tables(db):
        if on_upgrade is not None:
            on_upgrade()
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
            f"The step that failed was undone.{kept}",
            path=path,
        ) from exc


def _backup_before_migration(db: Database, path: pathlib.Path) -> pathlib.Path:
    """Copy the database beside itself, named for the moment before the upgrade."""
    stamp = files.stamp(dt.datetime.now(dt.UTC))
    # Never overwrite an earlier copy.
    target = files.unused_path(
        path.with_name(f"{path.name}.before-migration-{stamp}.sqlite3")
    )
    try:
        files.copy_database(db.conn, target)
    except cipher.OPEN_ERRORS as exc:
        raise DatabaseError(
            f'The database "{path}" needs an upgrade, but the copy to "{target}" '
            f"made first failed: {exc}. Nothing was changed.",
            path=path,
        ) from exc
    return target
