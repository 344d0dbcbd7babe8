"""Encryption at rest: create an encrypted database, change its passphrase, and
encrypt a plain one (export, verify, swap, keep the old file until verified).

An encrypted database is a SQLCipher 4 file: every page, of the database and of
its WAL, is AES-256 encrypted and authenticated; the key is derived from the
passphrase. Backups of it are encrypted with the same key (`copy_database`). The
passphrase itself is never stored: whoever loses it loses the records.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from sijoint_exam.store import audit, cipher, files, lock
from sijoint_exam.store.backup import database_path
from sijoint_exam.store.database import (
    ExamDatabase,
    default_backup_folder,
    open_database,
)
from sijoint_exam.store.errors import (
    DatabaseError,
    DatabaseInUseError,
    WrongPassphraseError,
)

__all__ = [
    "change_passphrase",
    "create_encrypted_database",
    "encrypt_database",
    "passphrase_opens",
    "plain_copies",
]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_encrypted_database(
    path: Path,
    passphrase: str,
    *,
    instance_lock: bool = True,
    backup_folder: Path | None = None,
) -> ExamDatabase:
    """Create a new, encrypted database at `path` and return it open (the
    options as for `open_database`).

    Raises:
        ValueError: The passphrase is too weak (`cipher.check_new_passphrase`).
        DatabaseError: A file is there already (an empty one is used).
    """
    path = Path(path)
    if cipher.file_kind(path) != "new":
        raise DatabaseError(
            f'"{path}" already exists; a new encrypted database is only created '
            "where there is no file. To encrypt an existing database: "
            f'sijoint-exam encrypt --db "{path}"',
            path=path,
        )
    cipher.check_new_passphrase(passphrase)
    return open_database(
        path,
        passphrase=passphrase,
        instance_lock=instance_lock,
        backup_folder=backup_folder,
    )


def change_passphrase(
    path_or_db: Path | Database,
    old: str,
    new: str,
    *,
    clinician: str = "",
) -> None:
    """Re-encrypt an encrypted database under the passphrase `new` (SQLCipher's
    rekey: every page is rewritten, in one transaction).

    `path_or_db` is the file (opened here with the instance lock, so not while
    the program has it open) or the database open in the program; either way
    `old` must open the file. The change is recorded in the audit log. Backups
    made before keep the old passphrase.

    Raises:
        ValueError: `new` is too weak.
        WrongPassphraseError: `old` does not open the database.
        DatabaseError: The database is not encrypted, is in use, or is unusable.
    """
    cipher.check_new_passphrase(new)
    if isinstance(path_or_db, Database):
        path = database_path(path_or_db)
        if not getattr(path_or_db, "encrypted", False):
            raise _not_encrypted(path)
        if not cipher.opens(path, old):
            raise WrongPassphraseError(
                f'The passphrase for "{path}" is not right.', path=path
            )
        _rekey(path_or_db, path, new, clinician)
        return
    path = Path(path_or_db)
    if not cipher.is_encrypted(path):
        raise _not_encrypted(path)
    _refuse_if_open_here(path)
    with open_database(path, passphrase=old) as db:
        _rekey(db, path, new, clinician)


def passphrase_opens(path_or_db: Path | Database, passphrase: str) -> bool:
    """Whether `passphrase` opens the encrypted database, open or not (the lock
    screen's check). Reads the first page through a new connection, so it takes
    the key derivation's time, about 0.1 s; False for a plain database."""
    if isinstance(path_or_db, Database):
        path = database_path(path_or_db)
    else:
        path = Path(path_or_db)
    return cipher.is_encrypted(path) and cipher.opens(path, passphrase)


def _refuse_if_open_here(path: Path) -> None:
    """This process's open database must be closed first (or, for a new
    passphrase, be the one passed in): see `cipher` on two SQLites in a process."""
    if lock.held_here(path):
        raise DatabaseInUseError(
            f'The database "{path}" is open in this program; close it first.',
            path=path,
        )


def _not_encrypted(path: Path) -> DatabaseError:
    if not path.exists():
        return DatabaseError(f'There is no database "{path}".', path=path)
    return DatabaseError(
        f'The database "{path}" is not encrypted, so it has no passphrase to '
        f'change. To encrypt it: sijoint-exam encrypt --db "{path}"',
        path=path,
    )


def _rekey(db: Database, path: Path, new: str, clinician: str) -> None:
    cipher.rekey(db.conn, new)
    if not cipher.opens(path, new):  # pragma: no cover - SQLCipher's own failure
        raise DatabaseError(
            f'The passphrase of "{path}" could not be changed: the database does '
            "not open with the new one.",
            path=path,
        )
    log = audit.AuditLog(db, clinician=lambda: clinician)
    log.append(
        audit.REKEY,
        "database",
        None,
        log.head(),
        detail="passphrase changed; backups made before keep the old one",
    )


def encrypt_database(
    plain_path: Path,
    passphrase: str,
    *,
    clinician: str = "",
    clock: Callable[[], dt.datetime] = _utc_now,
) -> Path:
    """Encrypt the plain database at `plain_path` with `passphrase`, in place.

    The database is checked and brought up to date as any opening does, then
    exported into a new encrypted file beside it. That copy must pass SQLite's
    quick check and hold the same schema and the same number of rows in every
    table; only then is it put in the database's place. If anything fails, the
    copy is removed and the plain database stays where it was, unchanged.

    The plain database is not deleted: it is kept beside, as
    `<name>.plain-before-encryption-<UTC time>.sqlite3`, and that path returned.
    It still holds every record in the clear: once the encrypted database has
    been seen to open, delete it securely (and see `plain_copies`).

    Raises:
        ValueError: The passphrase is too weak.
        DatabaseInUseError: The program (or another tool) has the database open.
        DatabaseError: It is already encrypted, missing or unusable, or the
            encrypted copy did not match it.
    """
    path = Path(plain_path)
    cipher.check_new_passphrase(passphrase)
    kind = cipher.file_kind(path)
    if kind == "encrypted":
        raise DatabaseError(
            f'The database "{path}" is encrypted already. To change its '
            f'passphrase: sijoint-exam change-passphrase --db "{path}"',
            path=path,
        )
    if kind == "new":
        raise DatabaseError(f'There is no database "{path}" to encrypt.', path=path)
    _refuse_if_open_here(path)
    key = lock.acquire(path)
    try:
        with open_database(path):  # checked, migrated; then closed
            pass
        copy = _encrypted_copy(path, passphrase)
        if _wal(path).exists():
            _remove(copy)
            raise DatabaseInUseError(
                f'The database "{path}" is open in another program (perhaps '
                "sijoint-exam verify or export); try again once it has finished. "
                "Nothing was changed.",
                path=path,
            )
        kept = files.unused_path(
            path.with_name(
                f"{path.name}.plain-before-encryption-{files.stamp(clock())}.sqlite3"
            )
        )
        _swap(path, copy, kept)
        with open_database(path, passphrase=passphrase) as db:
            log = audit.AuditLog(db, clock, clinician=lambda: clinician)
            log.append(
                audit.ENCRYPT,
                "database",
                None,
                log.head(),
                detail=f"encrypted; the plain database from before is kept at {kept}",
            )
    finally:
        lock.release(key)
    return kept


def _encrypted_copy(path: Path, passphrase: str) -> Path:
    """Export `path` into a new encrypted file beside it and check that file;
    returns it. On any failure the file is removed."""
    copy = files.unused_path(path.with_name(path.name + ".encrypting"))
    files.create_private_file(copy)
    try:
        source = cipher.connect(path, cipher=True, isolation_level=None)
        try:
            expected = cipher.export_encrypted(source, copy, passphrase)
        finally:
            source.close()
        problem = _mismatch(copy, passphrase, expected)
    except BaseException:
        _remove(copy)
        raise
    if problem:
        _remove(copy)
        raise DatabaseError(
            f'Encrypting "{path}" failed: the encrypted copy {problem}. The copy '
            "was removed; the database was left unchanged.",
            path=path,
        )
    return copy


def _mismatch(copy: Path, passphrase: str, expected: cipher.Fingerprint) -> str:
    """How the encrypted copy differs from what was exported ("" if it does not)."""
    if cipher.file_kind(copy) != "encrypted":
        return "is not encrypted"
    problems = files.sqlite_problems(copy, passphrase=passphrase)
    if problems:
        return f"is damaged ({problems[0]})"
    conn = cipher.connect(copy, passphrase, read_only=True)
    try:
        objects, counts = cipher.fingerprint(conn)
    finally:
        conn.close()
    if objects != expected[0]:
        return "does not have the same tables, indexes and triggers"
    differing = sorted(
        name
        for name in {*counts, *expected[1]}
        if counts.get(name) != expected[1].get(name)
    )
    if differing:
        return f"does not have the same number of rows in {', '.join(differing)}"
    return ""


def _swap(path: Path, copy: Path, kept: Path) -> None:
    """Put `copy` in the place of `path`, keeping `path` as `kept`.

    A hard link keeps the plain file under its new name first, so that at every
    moment some database is at `path`; where links are not possible, two renames.
    """
    try:
        os.link(path, kept)
    except OSError:
        os.replace(path, kept)
    else:
        files.fsync_folder(path.parent)
    os.replace(copy, path)
    files.fsync_folder(path.parent)


def _wal(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _remove(copy: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        copy.with_name(copy.name + suffix).unlink(missing_ok=True)


def plain_copies(path: Path, backup_folder: Path | None = None) -> list[Path]:
    """Unencrypted copies of the database `path` that the program made: the copy
    kept by `encrypt_database`, copies made before an upgrade or a restore (beside
    the database), and plain backups (in `backup_folder`, default `backups/`).

    After encrypting, these still hold the records in the clear.
    """
    path = Path(path)
    folder = backup_folder if backup_folder is not None else default_backup_folder(path)
    beside = sorted(path.parent.glob(f"{_glob_escape(path.name)}.*.sqlite3"))
    backups = [found for _, found in files.backups_of(path, folder)]
    return [copy for copy in [*beside, *backups] if cipher.file_kind(copy) == "plain"]


def _glob_escape(name: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in name)
