"""One running program per database: an exclusive lock on a file beside it.

The lock is taken with `flock` (POSIX) or `msvcrt.locking` (Windows) on
`<database>.lock`. The operating system drops it when the process ends, however it
ends (SIGKILL, a power cut), so a stale lock can never keep the user out; the file
itself stays behind and only names the last holder. SQLite's own locks cannot do
this job: they are held per transaction, not for as long as a window is open.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sys
from pathlib import Path

from sijoint_exam.store.errors import DatabaseError, DatabaseInUseError
from sijoint_exam.store.files import FILE_MODE

# Connections of one process share its lock: a second connection in the same
# process (a test reopening the file, the CLI inside the app) is the same instance.
# Kept per process because the operating system's locks are per process too.
_held: dict[str, _Lock] = {}


class _Lock:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.users = 1


def lock_path(database: Path) -> Path:
    """The lock file of a database."""
    return database.with_name(database.name + ".lock")


def acquire(database: Path) -> str:
    """Take the instance lock of `database`; returns the key to release it with.

    Raises:
        DatabaseInUseError: Another process holds it.
        DatabaseError: The lock file cannot be created (a read-only folder).
    """
    key = os.path.realpath(database)
    held = _held.get(key)
    if held is not None:
        held.users += 1
        return key
    path = lock_path(database)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
    except OSError as exc:
        raise DatabaseError(
            f'The database "{database}" cannot be opened for work: its lock file '
            f'"{path}" cannot be created ({exc.strerror or exc}).',
            path=database,
        ) from exc
    try:
        _lock(fd)
    except OSError:
        holder = _read_holder(fd)
        os.close(fd)
        raise DatabaseInUseError(
            f'The database "{database}" is already open in another copy of '
            f"sijoint-exam{holder}. Close that one first; only one program at a time "
            "may work on a database.",
            path=database,
        ) from None
    _write_holder(fd)
    _held[key] = _Lock(fd)
    return key


def held_here(database: Path) -> bool:
    """Whether this process holds the instance lock of `database` already."""
    return os.path.realpath(database) in _held


def release(key: str) -> None:
    """Give back a lock taken with `acquire`."""
    held = _held.get(key)
    if held is None:
        return
    held.users -= 1
    if held.users == 0:
        del _held[key]
        _unlock(held.fd)
        os.close(held.fd)


def _write_holder(fd: int) -> None:
    """Note who holds the lock, for the message the next one will see."""
    since = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    note = f"process {os.getpid()} on {socket.gethostname()}, since {since}"
    # Fixed width, so a shorter note overwrites a longer one whole.
    os.lseek(fd, _NOTE_OFFSET, os.SEEK_SET)
    os.write(fd, note.encode("utf-8")[:_NOTE_SIZE].ljust(_NOTE_SIZE))


def _read_holder(fd: int) -> str:
    try:
        os.lseek(fd, _NOTE_OFFSET, os.SEEK_SET)
        note = os.read(fd, _NOTE_SIZE).decode("utf-8", "replace").strip("\0 \n")
    except OSError:
        return ""
    return f" ({note})" if note else ""


_NOTE_SIZE = 200

if sys.platform == "win32":  # pragma: no cover - the tests run on POSIX
    import msvcrt

    # Windows locks a byte range and refuses reads of it: lock byte 0 and write the
    # note after it.
    _NOTE_OFFSET = 1

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    _NOTE_OFFSET = 0

    def _lock(fd: int) -> None:
        # flock, not lockf: POSIX record locks are dropped when any descriptor of
        # the file closes, even another one in the same process.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
