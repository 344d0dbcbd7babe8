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

import sqlite3
import unicodedata
from pathlib import Path
from typing import Literal

from sqlcipher3 import dbapi2 as sqlcipher

# A plain SQLite file starts with these 16 bytes; an encrypted one starts with
# its random salt.
SQLITE_HEADER = b"SQLite format 3\x00"
# An encrypted file is whole pages, and pages are a power of two from 512 bytes.
_SMALLEST_PAGE = 512
MIN_PASSPHRASE_LENGTH = 8

SQLITE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, sqlcipher.Error)
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.DatabaseError,
    sqlcipher.DatabaseError,
)
INTEGRITY_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.IntegrityError,
    sqlcipher.IntegrityError,
)

Kind = Literal["new", "plain", "encrypted", "other"]


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
    **kwargs,
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
        return sqlite3.connect(target, **kwargs)
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
    return conn  # type: ignore[return-value]


def is_cipher(conn: sqlite3.Connection) -> bool:
    """Whether `conn` is a SQLCipher connection."""
    return isinstance(conn, sqlcipher.Connection)


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
