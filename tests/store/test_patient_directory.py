"""The patient list before the store is open, and the integrity check run apart
from the opening: read-only, and a damaged file still refused unchanged."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from sijoint_exam.store.database import (
    DatabaseError,
    PassphraseRequiredError,
    check_file,
    open_database,
)
from sijoint_exam.store.patient_directory import PatientDirectory
from sijoint_exam.store.repository import Repository

NAMES = [("Ñúñez", "María"), ("김", "선애"), ("Lefèvre", "Anne-Sophie"), ("Weiß", "")]


@pytest.fixture
def clinic(tmp_path: Path, sample_patient) -> Path:
    """A closed database file with four patients."""
    path = tmp_path / "clinic.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        for number, (family, given) in enumerate(NAMES):
            repo.add_patient(
                sample_patient(mrn=f"M-{number}", family_name=family, given_names=given)
            )
    return path


def damage_table(path: Path, table: str) -> bytes:
    """Point the first cell of `table`'s root page past the page's end: a damage
    that no read of the other tables meets. The check finds it (as an offset out
    of range, or the page as malformed, by where the cell was)."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        [(root,)] = conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?", [table]
        )
        [(page_size,)] = conn.execute("PRAGMA page_size")
    content = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    header = 8 if content[start] == 0x0D else 12  # leaf or interior table page
    content[start + header : start + header + 2] = b"\xff\xfb"
    path.write_bytes(bytes(content))
    return bytes(content)


def test_the_directory_finds_what_the_store_finds(clinic: Path) -> None:
    directory = PatientDirectory.open(clinic)
    assert directory is not None
    try:
        with open_database(clinic, instance_lock=False) as db:
            repo = Repository(db)
            for text in ("", "nunez", "ÑÚÑ", "선애", "lefevre anne", "weiss", "M-3"):
                early = directory.search_patients(text)
                assert early == repo.search_patients(text), text
            # In name order, NOCASE folding ASCII only, as the store's list does.
            assert [s.patient.family_name for s in directory.search_patients("")] == [
                "Lefèvre",
                "Weiß",
                "Ñúñez",
                "김",
            ]
            assert directory.search_patients("nobody") == []
    finally:
        directory.close()


def test_the_directory_never_writes(clinic: Path) -> None:
    before = clinic.read_bytes()
    directory = PatientDirectory.open(clinic)
    assert directory is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        directory._conn.execute("DELETE FROM patient")
    directory.close()
    assert clinic.read_bytes() == before


def test_the_directory_reads_a_wal_left_by_a_crash_without_checkpointing_it(
    tmp_path: Path, sample_patient
) -> None:
    """A patient added just before a power cut is in the WAL only: it is listed,
    and the database file itself is not written (no checkpoint)."""
    live = tmp_path / "live.sqlite3"
    crashed = tmp_path / "crashed.sqlite3"
    with open_database(live) as db:
        db.execute("PRAGMA wal_autocheckpoint = 0")
        Repository(db).add_patient(sample_patient(family_name="Okafor"))
        # The files as a crash would leave them: the commit in the WAL only.
        shutil.copyfile(live, crashed)
        shutil.copyfile(f"{live}-wal", f"{crashed}-wal")
    before = crashed.read_bytes()
    directory = PatientDirectory.open(crashed)
    assert directory is not None
    assert [s.patient.family_name for s in directory.search_patients("")] == ["Okafor"]
    directory.close()
    assert crashed.read_bytes() == before
    assert Path(f"{crashed}-wal").stat().st_size > 0  # still there, uncheckpointed


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda path: None, id="no file yet"),
        pytest.param(lambda path: path.write_bytes(b""), id="empty file"),
        pytest.param(
            lambda path: path.write_bytes(b"not sqlite" * 50), id="not sqlite"
        ),
        pytest.param(
            lambda path: sqlite3.connect(path).execute("CREATE TABLE x (y)"),
            id="another program's database",
        ),
    ],
)
def test_no_directory_where_the_opening_must_speak_first(tmp_path: Path, make) -> None:
    path = tmp_path / "clinic.sqlite3"
    make(path)
    assert PatientDirectory.open(path) is None


def test_no_directory_for_an_encrypted_file(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    open_database(path, passphrase="correct horse battery staple 7").close()
    assert PatientDirectory.open(path) is None
    with pytest.raises(PassphraseRequiredError):
        check_file(path)


def test_check_file_passes_a_good_file_and_a_new_one(clinic: Path) -> None:
    before = clinic.read_bytes()
    check_file(clinic)
    assert clinic.read_bytes() == before
    check_file(clinic.with_name("not-yet.sqlite3"))
    assert not clinic.with_name("not-yet.sqlite3").exists()  # nor created


def test_a_damaged_file_is_listed_early_then_refused_unchanged(clinic: Path) -> None:
    """Damage outside the patient table: the list can show it (read-only), the
    check refuses it, and no byte of it has changed."""
    damaged = damage_table(clinic, "audit_log")
    directory = PatientDirectory.open(clinic)
    assert directory is not None
    assert len(directory.search_patients("")) == len(NAMES)
    with pytest.raises(DatabaseError, match="is damaged") as caught:
        check_file(clinic)
    directory.close()
    assert str(clinic) in str(caught.value)
    assert clinic.read_bytes() == damaged


def test_check_file_refuses_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(DatabaseError, match="empty file"):
        check_file(path)
    assert path.read_bytes() == b""
