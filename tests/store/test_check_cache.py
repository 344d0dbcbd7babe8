"""The check on open of an encrypted database: the whole file in the page cache
for the check only, and damage to any page still found."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from sijoint_exam.store import cipher
from sijoint_exam.store.database import (
    DatabaseError,
    WrongPassphraseError,
    open_database,
)
from sijoint_exam.store.encryption import create_encrypted_database

PASSPHRASE = "correct horse battery"
PAGE = 4096


@pytest.fixture
def encrypted(db_path: Path) -> Path:
    """An encrypted database of some hundred pages: clinicians with long names
    (table and index pages) beside the schema."""
    with create_encrypted_database(db_path, PASSPHRASE) as db:
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
            " WHERE i < 3000) INSERT INTO clinician"
            " SELECT printf('Clinician %05d ', i) || hex(randomblob(60)),"
            " '2026-11-20', '2026-11-20' FROM n"
        )
        db.conn.commit()
    return db_path


def _cache_size(conn) -> int:
    return int(conn.execute("PRAGMA cache_size").fetchone()[0])


def test_the_whole_encrypted_file_is_cached_for_the_check_only(
    encrypted: Path,
) -> None:
    with contextlib.closing(cipher.connect(encrypted, PASSPHRASE)) as conn:
        default = _cache_size(conn)
        with cipher.whole_file_cached(conn):
            pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
            assert pages > 100
            assert _cache_size(conn) >= pages
        assert _cache_size(conn) == default


def test_a_plain_connection_keeps_its_cache(db_path: Path) -> None:
    open_database(db_path).close()
    with contextlib.closing(cipher.connect(db_path)) as conn:
        default = _cache_size(conn)
        with cipher.whole_file_cached(conn):
            assert _cache_size(conn) == default


def test_a_file_over_the_limit_keeps_the_default_cache(
    encrypted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cipher, "CHECK_CACHE_LIMIT", 10 * PAGE)
    with contextlib.closing(cipher.connect(encrypted, PASSPHRASE)) as conn:
        default = _cache_size(conn)
        with cipher.whole_file_cached(conn):
            assert _cache_size(conn) == default


def test_the_open_database_is_left_with_the_default_cache(encrypted: Path) -> None:
    with contextlib.closing(cipher.connect(encrypted, PASSPHRASE)) as conn:
        default = _cache_size(conn)
    with open_database(encrypted, passphrase=PASSPHRASE) as db:
        assert _cache_size(db.conn) == default
        assert db.execute("SELECT count(*) FROM clinician").fetchone() == (3000,)


def test_a_wrong_passphrase_is_still_named(encrypted: Path) -> None:
    with pytest.raises(WrongPassphraseError):
        open_database(encrypted, passphrase="not the passphrase")


@pytest.mark.parametrize("cached", [True, False], ids=["whole file", "default"])
@pytest.mark.parametrize("where", ["second", "middle", "last"])
def test_damage_to_any_page_is_found(
    encrypted: Path, monkeypatch: pytest.MonkeyPatch, where: str, cached: bool
) -> None:
    if not cached:
        monkeypatch.setattr(cipher, "CHECK_CACHE_LIMIT", 0)
    data = bytearray(encrypted.read_bytes())
    pages = len(data) // PAGE
    page = {"second": 1, "middle": pages // 2, "last": pages - 1}[where]
    data[page * PAGE + 200 : page * PAGE + 208] = bytes(8)
    encrypted.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="is damaged") as caught:
        open_database(encrypted, passphrase=PASSPHRASE)
    assert not isinstance(caught.value, WrongPassphraseError)
    assert encrypted.read_bytes() == bytes(data)
