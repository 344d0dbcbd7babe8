"""SQLCipher connections: which files are encrypted, and how to open them.

A plain database is opened with the standard library's `sqlite3`; an encrypted one
with `sqlcipher3` (SQLCipher 4 built into its wheel: AES-256 pages, each with an
HMAC, the key derived from the passphrase with PBKDF2-HMAC-SHA512). The two
modules raise their own exception classes, unrelated to each other: code that
may run on either catches the pairs below (`DATABASE_ERRORS`, ...).

The two modules are two copies of SQLite in one process, and POSIX file locks
belong to the process: one copy closing a file drops the other's locks on it
(and may delete a WAL the other still uses). So a file is only ever opened with
one of them at a time: a plain file with `sqlite3`, an encrypted one with
`sqlcipher3`; only `encryption.encrypt_database` reads a plain file with
`sqlcipher3`, after every `sqlite3` connection of this process to it is closed.

The passphrase is handed to SQLCipher and nowhere else: not logged, not stored.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, cast

from sqlcipher3 import dbapi2 as sqlcipher

# A plain SQLite file starts with these 16 bytes; an encrypted one starts with
# its random salt.
SQLITE_HEADER = b"SQLite format 3\x00"
# An encrypted file is whole pages, and pages are a power of two from 512 bytes.
_SMALLEST_PAGE = 512
MIN_PASSPHRASE_LENGTH = 8

SQLITE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
# What opening a database file may raise: the file system's errors and SQLite's.
OPEN_ERRORS: tuple[type[Exception], ...] = (OSError, *SQLITE_ERRORS)
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.DatabaseError,
    sqlcipher.DatabaseError,
)
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.IntegrityError,
    sqlcipher.IntegrityError,
)

Kind = Literal["new", "plain", "encrypted", "other"]

# The most memory the check on open may hold as page cache for a while: the whole
# of a 100,000-patient clinic (0.45-0.9 GB), and no more than a quarter of the
# machine's memory where the system says how much it has.
CHECK_CACHE_LIMIT = 1 << 30
# Room for the WAL's newer copies of pages beside the file's own (in pages).
_CHECK_CACHE_MARGIN = 2000


def file_kind(path: Path) -> Kind:
    """What the file at `path` is, from its first bytes and its size.

    "new": missing or empty. "plain": starts like a SQLite file (damaged or not).
    "encrypted": whole pages of what looks like random bytes, as SQLCipher writes;
    only the passphrase can tell it from other such bytes. "other": neither.
    """
    try:
        with open(path, "rb") as stream:
            head = stream.read(len(SQLITE_HEADER))
            size = stream.seek(0, 2)
    except FileNotFoundError:
        return "new"
    except OSError:  # a folder, no permission: opening it will say why
        return "other"
    if size == 0:
        return "new"
    if head == SQLITE_HEADER:
        return "plain"
    if size % _SMALLEST_PAGE == 0:
        return "encrypted"
    return "other"


def is_encrypted(path: Path) -> bool:
    """Whether the database file at `path` is encrypted (needs a passphrase)."""
    return file_kind(Path(path)) == "encrypted"


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too weak to set on a database.

    Raises:
        ValueError: Shorter than `MIN_PASSPHRASE_LENGTH` characters, blank at
            either end only, or holding a NUL character.
    """
    if "\0" in passphrase:
        raise ValueError("A passphrase cannot contain a NUL character.")
    if len(passphrase.strip()) < MIN_PASSPHRASE_LENGTH:
        raise ValueError(
            f"A passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters "
            "(not counting spaces at either end)."
        )


def normalized(passphrase: str) -> str:
    """The passphrase as SQLCipher is given it: Unicode NFC, so that "é" typed
    as one character or as e + accent (macOS) is the same passphrase."""
    if "\0" in passphrase:
        raise ValueError("A passphrase cannot contain a NUL character.")
    return unicodedata.normalize("NFC", passphrase)


def _literal(passphrase: str) -> str:
    """A SQL string literal (PRAGMA takes no bound parameters)."""
    return "'" + normalized(passphrase).replace("'", "''") + "'"


def connect(
    path: Path,
    passphrase: str | None = None,
    *,
    read_only: bool = False,
    cipher: bool = False,
    **kwargs: Any,
) -> sqlite3.Connection:
    """A connection to `path`: `sqlite3`'s without a passphrase, else a keyed
    SQLCipher one (the key is checked at the first read, not here).

    `read_only` opens the file so that it cannot be changed nor created; `cipher`
    asks for a SQLCipher connection even without a passphrase (to export a plain
    database into an encrypted one).
    """
    target = str(path)
    if read_only:
        target, kwargs = (
            Path(path).resolve().as_uri() + "?mode=ro",
            {
                **kwargs,
                "uri": True,
            },
        )
    if passphrase is None and not cipher:
        plain: sqlite3.Connection = sqlite3.connect(target, **kwargs)
        return plain
    conn = sqlcipher.connect(target, **kwargs)
    try:
        # SQLCipher prints decryption failures (a wrong passphrase) on stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        if passphrase is not None:
            conn.execute(f"PRAGMA key = {_literal(passphrase)}")
        # Sorts and temporary indexes stay in memory, never in plain temp files.
        conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    # The same interface as sqlite3's, under another class.
    return cast(sqlite3.Connection, conn)


def is_cipher(conn: sqlite3.Connection) -> bool:
    """Whether `conn` is a SQLCipher connection."""
    return isinstance(conn, sqlcipher.Connection)


@contextlib.contextmanager
def whole_file_cached(conn: sqlite3.Connection) -> Iterator[None]:
    """Let the page cache of a SQLCipher connection hold the whole file for the
    duration (a whole-file check), then give that memory back.

    Every page SQLCipher reads from the file is decrypted and its HMAC-SHA512
    checked, about 7 µs a 4 KB page, most of it SHA-512. quick_check reads
    every table twice: first the b-tree walk of every tree in the file, then the
    row checks (NOT NULL, STRICT types), table by table. Between the two every
    other tree is read, so a cache smaller than the file (8 MB by default)
    has kept none of the table's pages: a 212,000-page clinic took 400,000
    decrypting reads. With room for every page, each is decrypted once.

    Not for plain connections: re-reading a plain page is a copy from the
    operating system's file cache, cheaper than fresh memory for a large cache.
    A file larger than the limit keeps the default cache: a cache smaller than
    one pass over the file saves nothing. Afterwards the cache size is set back
    and `shrink_memory` frees the pages, so the memory goes back to the system
    (setting the size back alone left a quarter of it in the process's heap).
    The check itself is unchanged: the same PRAGMA, over the whole file.
    """
    if not is_cipher(conn):
        yield
        return
    # These read page 1, which derives the key: a wrong passphrase raises here,
    # as it would at the check's first read.
    # (SQLCipher answers some pragmas with text, hence the int()s.)
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    if pages * page_size > _check_cache_limit():
        yield
        return
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {pages + _CHECK_CACHE_MARGIN}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")
        conn.execute("PRAGMA shrink_memory")


def _check_cache_limit() -> int:
    """`CHECK_CACHE_LIMIT`, or a quarter of the machine's memory if less."""
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        return CHECK_CACHE_LIMIT
    return min(CHECK_CACHE_LIMIT, memory // 4) if memory > 0 else CHECK_CACHE_LIMIT


def opens(path: Path, passphrase: str) -> bool:
    """Whether `passphrase` opens the encrypted file at `path` (reads page 1)."""
    try:
        conn = connect(path, passphrase, read_only=True)
    except DATABASE_ERRORS:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DATABASE_ERRORS:
        return False
    finally:
        conn.close()
    return True


def rekey(conn: sqlite3.Connection, passphrase: str) -> None:
    """Re-encrypt every page of the open, keyed database under `passphrase`."""
    conn.execute(f"PRAGMA rekey = {_literal(passphrase)}")


Fingerprint = tuple[list[tuple[str, str, str]], dict[str, int]]


def fingerprint(conn: sqlite3.Connection, schema: str = "main") -> Fingerprint:
    """What a faithful copy must have the same of: the schema (every table,
    index, trigger and view with its SQL) and the number of rows of each table
    that has rows of its own (virtual tables read theirs from others)."""
    found = conn.execute(
        f"SELECT type, name, sql, rootpage FROM {schema}.sqlite_master"
        " ORDER BY type, name"
    ).fetchall()
    counts = {
        name: conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0]
        for kind, name, _, rootpage in found
        if kind == "table" and rootpage
    }
    return [(kind, name, sql or "") for kind, name, sql, _ in found], counts


def export_encrypted(
    source: sqlite3.Connection, target: Path, passphrase: str
) -> Fingerprint:
    """Copy the database of the SQLCipher connection `source` into the new file
    `target`, encrypted with `passphrase` (SQLCipher's `sqlcipher_export`), with
    a rollback journal; returns the fingerprint of what was copied.

    The copy is read in one transaction that holds the write lock, so it is one
    consistent state, the one the fingerprint describes.
    """
    source.execute(
        "ATTACH DATABASE ? AS encrypted KEY ?", [str(target), normalized(passphrase)]
    )
    try:
        source.execute("PRAGMA encrypted.journal_mode = DELETE")
        source.execute("BEGIN IMMEDIATE")
        try:
            copied = fingerprint(source)
            source.execute("SELECT sqlcipher_export('encrypted')")
            source.execute("COMMIT")
        except BaseException:
            source.execute("ROLLBACK")
            raise
    finally:
        source.execute("DETACH DATABASE encrypted")
    return copied


def copy_keyed(source: sqlite3.Connection, target: Path) -> None:
    """Copy the encrypted database of `source` into the existing empty file
    `target`, encrypted with the same key.

    `VACUUM INTO` reads one consistent snapshot (pages in the WAL included) and
    writes it through the source's codec, with a rollback journal. SQLite's backup
    API would not do: a plain `sqlite3` target would get pages it cannot read, and
    a keyed SQLCipher one needs the passphrase, which the open database does not
    keep.
    """
    source.execute("VACUUM INTO ?", [str(target)])
