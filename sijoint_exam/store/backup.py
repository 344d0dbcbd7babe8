"""Online backups, their rotation, and restoring one.

A backup is a copy made with SQLite's backup API while the program runs, named
`<database stem>-<UTC time>.sqlite3`, owner-only, in a folder that is owner-only
too. The daily backup keeps the newest copy of each of the last 14 days that have
one and of each of the last 12 months (its month-end copy); files with other names
are never touched, nor, once the database is encrypted, the plain backups from
before: they are listed for the user to delete securely
(`encryption.plain_copies`), which unlinking them would only pretend to do. A
restore checks the file first and keeps the database it replaces aside; neither
file is ever overwritten.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from sijoint_exam.store import audit, cipher, files, lock
from sijoint_exam.store import migrations as schema
from sijoint_exam.store.database import open_database
from sijoint_exam.store.errors import (
    DatabaseError,
    PassphraseRequiredError,
    WrongPassphraseError,
)
from sijoint_exam.store.files import copy_database

KEEP_DAYS = 14
KEEP_MONTHS = 12

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rotation:
    """What a rotation did: the backups it removed, and the plain backups of an
    encrypted database it left for the user to delete securely."""

    removed: list[Path] = field(default_factory=list)
    left_plain: list[Path] = field(default_factory=list)

    def notice(self) -> str:
        """What to tell the user about the plain backups left ("" if none)."""
        if not self.left_plain:
            return ""
        listed = "; ".join(str(path) for path in self.left_plain)
        return (
            f"Backup rotation left {len(self.left_plain)} unencrypted backup(s) from "
            "before the database was encrypted, listed for secure deletion: "
            f"{listed}. Delete them securely."
        )


def database_path(db: Database) -> Path:
    """The file of an open database."""
    row = db.execute("PRAGMA database_list").fetchone()
    if not row or not row[2]:
        raise ValueError("An in-memory database has no file to back up.")
    return Path(row[2])


def backup_to(
    db: Database, destination: Path, log: audit.AuditLog, now: dt.datetime
) -> Path:
    """Back `db` up into the folder `destination` (a dated file in it) or into the
    new file `destination`; logs it and returns the file written.

    Raises:
        FileExistsError: `destination` is an existing file.
    """
    source = database_path(db)
    destination = Path(destination)
    if destination.is_dir():
        target = files.backup_path(source, destination, now)
    elif destination.exists():
        raise FileExistsError(
            f'"{destination}" already exists; a backup never overwrites a file.'
        )
    else:
        target = destination
    copy_database(db.conn, target)
    # The entry names the last one the copy holds, so the log says which state of
    # the records the backup has.
    log.append(
        audit.BACKUP,
        "database",
        None,
        log.head(),
        detail=f"backup to {target}",
        at=audit.iso_utc(now),
    )
    return target


def backup_if_due(
    db: Database, folder: Path, log: audit.AuditLog, now: dt.datetime
) -> Path | None:
    """The daily backup: called on start and on exit, it copies the database into
    `folder` unless a backup was taken there today already (the day of `now`, in
    its time zone), then rotates."""
    source = database_path(db)
    today = now.date()
    taken = [moment for moment, _ in files.backups_of(source, folder)]
    if any(moment.astimezone(now.tzinfo).date() == today for moment in taken):
        return None
    files.private_folder(folder)
    target = backup_to(db, folder, log, now)
    rotate(source, folder, now.tzinfo)
    return target


def rotate(database: Path, folder: Path, zone: dt.tzinfo | None = dt.UTC) -> Rotation:
    """Remove the backups of `database` in `folder` that the rotation does not
    keep; days and months are counted in `zone`. Of an encrypted database, a
    plain backup (from before it was encrypted) is left where it is and named
    in the result and the log: it is listed for secure deletion."""
    backups = files.backups_of(database, folder)
    newest_of_day: dict[dt.date, Path] = {}
    newest_of_month: dict[tuple[int, int], Path] = {}
    for moment, path in backups:  # oldest first: later ones replace earlier
        local = moment.astimezone(zone)
        newest_of_day[local.date()] = path
        newest_of_month[(local.year, local.month)] = path
    keep = {newest_of_day[day] for day in sorted(newest_of_day)[-KEEP_DAYS:]}
    keep |= {newest_of_month[m] for m in sorted(newest_of_month)[-KEEP_MONTHS:]}
    due = [path for _, path in backups if path not in keep]
    encrypted = cipher.file_kind(database) == "encrypted"
    left = [path for path in due if encrypted and cipher.file_kind(path) == "plain"]
    removed = [path for path in due if path not in left]
    for path in removed:
        path.unlink()
    rotation = Rotation(removed, left)
    if left:
        log.warning("%s", rotation.notice())
    return rotation


def restore_database(
    source: Path,
    target: Path,
    *,
    passphrase: str | None = None,
    now: dt.datetime | None = None,
    clinician: str = "",
) -> Path | None:
    """Replace the database `target` with the backup `source`.

    The backup is checked first (SQLite's full integrity check, and that it is a
    sijoint-exam database this version can open). The database it replaces, even a
    damaged one, is renamed aside, never overwritten nor deleted. The restore is
    recorded in the restored database's audit log. An encrypted backup is restored
    encrypted, and opens with the `passphrase` it was made with; a plain one is
    restored plain.

    Returns:
        Where the replaced database was kept (None if there was none).

    Raises:
        DatabaseError: `source` is unusable, or `target` is open elsewhere.
        PassphraseRequiredError, WrongPassphraseError: `source` is encrypted.
    """
    source, target = Path(source), Path(target)
    moment = now or dt.datetime.now(dt.UTC)
    if not cipher.is_encrypted(source):
        passphrase = None
    _check_backup(source, passphrase)
    files.private_folder(target.parent)
    key = lock.acquire(target)
    try:
        incoming = files.unused_path(target.with_name(target.name + ".restoring"))
        with contextlib.closing(files.read_only(source, passphrase)) as conn:
            copy_database(conn, incoming)
        kept = _move_aside(target, moment)
        os.replace(incoming, target)
        files.fsync_folder(target.parent)
        with open_database(target, passphrase=passphrase) as db:
            detail = f"restored from {source}"
            if kept is not None:
                detail += f"; the database it replaced is kept at {kept}"
            log = audit.AuditLog(db, clinician=lambda: clinician)
            log.append(
                audit.RESTORE,
                "database",
                None,
                log.head(),
                detail=detail,
                at=audit.iso_utc(moment),
            )
    finally:
        lock.release(key)
    return kept


def _check_backup(source: Path, passphrase: str | None) -> None:
    if not source.is_file():
        raise DatabaseError(f'There is no backup file "{source}".', path=source)
    if cipher.is_encrypted(source):
        if passphrase is None:
            raise PassphraseRequiredError(
                f'The backup "{source}" is encrypted (or it is not a database at '
                "all): it is restored with the passphrase it was made with.",
                path=source,
            )
        if not cipher.opens(source, passphrase):
            raise WrongPassphraseError(
                f'The passphrase for "{source}" is not right.', path=source
            )
    problems = files.sqlite_problems(source, "integrity_check", passphrase)
    if problems:
        raise DatabaseError(
            f'"{source}" cannot be restored: SQLite found it damaged or not a '
            f"database ({problems[0]}). Nothing was changed.",
            path=source,
        )
    try:
        with contextlib.closing(files.read_only(source, passphrase)) as conn:
            applied = {
                name
                for (name,) in conn.execute(
                    f"SELECT name FROM {schema.migrations.migrations_table}"
                    " WHERE migration_set = ?",
                    [schema.migrations.name],
                )
            }
    except cipher.DATABASE_ERRORS:
        applied = set()
    if not applied:
        raise DatabaseError(
            f'"{source}" cannot be restored: it is not a sijoint-exam database. '
            "Nothing was changed.",
            path=source,
        )
    unknown = sorted(applied - set(schema.known_names()))
    if unknown:
        raise DatabaseError(
            f'"{source}" cannot be restored: it was written by a newer version of '
            f"sijoint-exam ({', '.join(unknown)}). Nothing was changed.",
            path=source,
        )


def _move_aside(target: Path, moment: dt.datetime) -> Path | None:
    """Rename the database (and its WAL, which belongs to it) out of the way."""
    if not target.exists():
        return None
    kept = files.unused_path(
        target.with_name(f"{target.name}.replaced-{files.stamp(moment)}.sqlite3")
    )
    # The -wal file may hold committed transactions: it moves with its database,
    # under the matching name, so the kept copy is complete. -shm is only an index
    # of the WAL and moves too, so nothing of the old file is left to be mistaken
    # for the new one's.
    for suffix in ("-wal", "-shm", ""):
        part = target.with_name(target.name + suffix)
        if part.exists():
            os.replace(part, kept.with_name(kept.name + suffix))
    return kept
