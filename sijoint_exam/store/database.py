"""Open the database file: check it, lock it, set the pragmas, back it up, migrate."""

from __future__ import annotations

import datetime as dt
import pathlib
import sqlite3
from collections.abc import Callable
from typing import NoReturn

from sqlite_utils import Database

from sijoint_exam.store import cipher, files, lock
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
    _refuse_empty(path, folder)
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
        _checked(conn, path, kind, key, folder)
    finally:
        conn.close()


def _connect_checked(
    path: pathlib.Path,
    backup_folder: pathlib.Path,
    passphrase: str | None,
    quick_check: bool = True,
) -> sqlite3.Connection:
    """Connect and run SQLite's quick check before anything writes to the file."""
    _refuse_empty(path, backup_folder)
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
            _checked(conn, path, kind, key, backup_folder)
    except BaseException:
        conn.close()
        raise
    return conn


def _checked(
    conn: sqlite3.Connection,
    path: pathlib.Path,
    kind: cipher.Kind,
    key: str | None,
    backup_folder: pathlib.Path,
) -> None:
    """Run the quick check on `conn`; raise what it found, by name."""
    try:
        report = _quick_check(conn)
    except cipher.DATABASE_ERRORS as exc:
        reason = getattr(exc, "sqlite_errorname", "")
        if kind == "encrypted" and reason == "SQLITE_NOTADB":
            raise WrongPassphraseError(
                f'The passphrase for "{path}" is not right.', path=path
            ) from None
        _raise_unreadable(path, exc, backup_folder, key)
    # SQLite reports problems as lines under a "*** in database main ***" heading.
    problems = [
        line
        for entry in report
        for line in entry.splitlines()
        if not line.startswith("***")
    ]
    if problems != ["ok"]:
        more = f", and {len(problems) - 1} more" if len(problems) > 1 else ""
        _raise_with_backup(
            f'The database "{path}" is damaged (SQLite found: {problems[0]}{more}). '
            "The file was left unchanged; restore it from a backup.",
            path,
            backup_folder,
            key,
        )


def _refuse_empty(path: pathlib.Path, backup_folder: pathlib.Path) -> None:
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
        _raise_with_backup(
            f'The database "{path}" is an empty file (0 bytes): it holds no '
            "records, and was not taken for a new database. If it held the "
            "clinic's records, restore it from a backup; to start a new database "
            "there, delete the empty file first. The file was left unchanged.",
            path,
            backup_folder,
        )


def _quick_check(conn: sqlite3.Connection) -> list[str]:
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


def _raise_with_backup(
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


def _raise_unreadable(
    path: pathlib.Path,
    exc: Exception,
    backup_folder: pathlib.Path,
    passphrase: str | None,
) -> NoReturn:
    reason = getattr(exc, "sqlite_errorname", "")
    if reason == "SQLITE_NOTADB":
        _raise_with_backup(
            f'"{path}" is not a sijoint-exam database: it is not a SQLite file. '
            "The file was left unchanged.",
            path,
            backup_folder,
            passphrase,
        )
    if reason == "SQLITE_CORRUPT":
        _raise_with_backup(
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
