"""Files and folders the store creates: owner-only, and their backups by name."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sqlite3
import tempfile
from pathlib import Path

from sijoint_exam.store import cipher

# Patient records: readable by the owner only, whatever the umask.
FILE_MODE = 0o600
FOLDER_MODE = 0o700

_STAMP = "%Y%m%dT%H%M%SZ"


def private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents owner-only (folders that exist stay
    as they are: a parent such as the home folder is not ours to change)."""
    missing = []
    for level in (folder, *folder.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):  # created meanwhile: fine
            level.mkdir(mode=FOLDER_MODE)
            os.chmod(level, FOLDER_MODE)


def create_private_file(path: Path) -> bool:
    """Create an empty owner-only file; False if it already existed."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    os.chmod(path, FILE_MODE)  # the umask may have removed bits, never added any
    return True


def fsync_folder(folder: Path) -> None:
    """Make a rename or new file in `folder` survive a power cut (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def unused_path(path: Path) -> Path:
    """`path`, or the same name with -2, -3 … before the suffix if it is taken."""
    candidate, counter = path, 1
    while candidate.exists():
        counter += 1
        candidate = path.with_name(f"{path.stem}-{counter}{path.suffix}")
    return candidate


def stamp(moment: dt.datetime) -> str:
    """A UTC moment as it appears in file names: 20261120T093000Z."""
    return moment.astimezone(dt.UTC).strftime(_STAMP)


def backup_path(database: Path, folder: Path, moment: dt.datetime) -> Path:
    """Where a backup of `database` taken at `moment` goes in `folder`."""
    return unused_path(folder / f"{database.stem}-{stamp(moment)}.sqlite3")


def backups_of(database: Path, folder: Path) -> list[tuple[dt.datetime, Path]]:
    """The backups of `database` in `folder`, oldest first, with when they were
    taken (from their names; other files are never counted, nor touched)."""
    pattern = re.compile(
        re.escape(database.stem) + r"-(\d{8}T\d{6}Z)(?:-\d+)?\.sqlite3"
    )
    found = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for path in folder.iterdir():
            match = pattern.fullmatch(path.name)
            if match:
                taken = dt.datetime.strptime(match[1], _STAMP).replace(tzinfo=dt.UTC)
                found.append((taken, path))
    return sorted(found)


def read_only(path: Path, passphrase: str | None = None) -> sqlite3.Connection:
    """A connection that cannot change the file (nor create one); keyed with
    `passphrase` if the file is encrypted (a plain file does not use it)."""
    key = passphrase if cipher.file_kind(path) == "encrypted" else None
    return cipher.connect(path, key, read_only=True)


def sqlite_problems(
    path: Path, pragma: str = "quick_check", passphrase: str | None = None
) -> list[str]:
    """What SQLite's quick (or integrity) check finds wrong with a file; [] if
    nothing. A file that is not SQLite at all, or an encrypted one that
    `passphrase` does not open, is one problem; so is an empty file, which
    SQLite would take for an empty database."""
    with contextlib.suppress(OSError):  # a missing file: connecting says so
        if path.stat().st_size == 0:
            return ["the file is empty (0 bytes)"]
    try:
        with contextlib.closing(read_only(path, passphrase)) as conn:
            report = [str(row[0]) for row in conn.execute(f"PRAGMA {pragma}")]
    except cipher.DATABASE_ERRORS as exc:
        return [str(exc)]
    # Problems come as lines under a "*** in database main ***" heading.
    lines = [
        line for entry in report for line in entry.splitlines() if line[:3] != "***"
    ]
    return [] if lines == ["ok"] else lines


def latest_good_backup(
    database: Path, folder: Path, tries: int = 3, passphrase: str | None = None
) -> Path | None:
    """The newest backup of `database` that passes the quick check, looking at the
    newest `tries` only (each check reads the whole file); an encrypted backup
    counts if `passphrase` opens it."""
    for _, path in reversed(backups_of(database, folder)[-tries:]):
        if not sqlite_problems(path, passphrase=passphrase):
            return path
    return None


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy a database, live, into a new owner-only file that is complete or absent.

    The backup API copies a consistent snapshot, including pages still in the WAL
    file, which a plain file copy would miss. The copy is written under a temporary
    name, synced, and only then renamed into place: a crash leaves no half a copy.
    The copy uses a rollback journal, so it can be checked read-only. The copy of
    an encrypted database is encrypted with the same key (`cipher.copy_keyed`).
    """
    partial = unused_path(target.with_name(target.name + ".partial"))
    private_folder(target.parent)
    create_private_file(partial)
    try:
        if cipher.is_cipher(source):
            cipher.copy_keyed(source, partial)
        else:
            copy = sqlite3.connect(partial)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode = DELETE")
            finally:
                copy.close()
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        if target.exists():  # never overwrite: the caller chose a free name
            raise FileExistsError(f'"{target}" already exists')
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    fsync_folder(target.parent)


def write_text_whole(path: Path, text: str) -> None:
    """Write `text` (UTF-8) via a temporary file beside `path`, replaced into place
    only once complete: an export never leaves half a file."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
