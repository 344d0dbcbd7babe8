"""Encryption at rest: encrypted databases, passphrases, rekey, plain -> encrypted."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.store import audit, backup, cipher
from sijoint_exam.store import migrations as schema
from sijoint_exam.store.database import (
    DatabaseError,
    DatabaseInUseError,
    PassphraseRequiredError,
    WrongPassphraseError,
    is_encrypted,
    open_database,
)
from sijoint_exam.store.encryption import (
    change_passphrase,
    create_encrypted_database,
    encrypt_database,
    passphrase_opens,
    plain_copies,
)
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import verify
from tests.store.conftest import NINE_THIRTY, read_line
from tests.store.test_database import _upgraded_set

PASSPHRASE = "correct horse battery"
NEW_PASSPHRASE = "Stapel Pferd Ñandú 말"
FAMILY, GIVEN = "Łukasz-Ñúñez", "김선애"
PATIENT = Patient("A-7731", FAMILY, GIVEN, dt.date(1971, 5, 2))
KEPT_NAME = re.compile(
    r"exam\.sqlite3\.plain-before-encryption-20261120T093000Z\.sqlite3"
)


def _fill(db: Database) -> Repository:
    """The patient with a signed visit, by clinician "Dr A"."""
    repo = Repository(db, clock=lambda: NINE_THIRTY, clinician="Dr A")
    patient_id = repo.add_patient(PATIENT)
    visit_id = repo.save_visit(
        patient_id, Visit(date=dt.date(2026, 11, 20), assessment=f"{FAMILY} seen")
    )
    repo.sign_visit(visit_id)
    return repo


def _names_in(data: bytes) -> list[str]:
    return [name for name in (FAMILY, GIVEN) if name.encode("utf-8") in data]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def encrypted(db_path: Path) -> Path:
    """An encrypted database holding the patient."""
    with create_encrypted_database(db_path, PASSPHRASE) as db:
        _fill(db)
    return db_path


@pytest.fixture
def plain(db_path: Path) -> Path:
    with open_database(db_path) as db:
        _fill(db)
    return db_path


def test_encrypted_round_trip(encrypted: Path) -> None:
    assert is_encrypted(encrypted)
    assert not encrypted.read_bytes().startswith(cipher.SQLITE_HEADER)
    with open_database(encrypted, passphrase=PASSPHRASE) as db:
        assert db.encrypted
        assert db.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
        # What SECURITY.md states.
        settings = ("kdf_iter", "cipher_kdf_algorithm", "cipher_hmac_algorithm")
        assert [db.execute(f"PRAGMA {name}").fetchone()[0] for name in settings] == [
            "256000",
            "PBKDF2_HMAC_SHA512",
            "HMAC_SHA512",
        ]
        assert db.execute("PRAGMA temp_store").fetchone()[0] == 2  # memory
        repo = Repository(db)
        [found] = repo.search_patients("nunez 김")
        assert found.patient == PATIENT
        assert repo.signature(1) is not None
        assert verify(db) == []
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_plain_database_is_not_encrypted(plain: Path) -> None:
    assert not is_encrypted(plain)
    with open_database(plain) as db:
        assert not db.encrypted
    with pytest.raises(DatabaseError, match="is not encrypted"):
        open_database(plain, passphrase=PASSPHRASE)


def test_without_a_passphrase_it_asks_for_one(encrypted: Path) -> None:
    before = _sha(encrypted)
    with pytest.raises(PassphraseRequiredError, match="opens only with its passphrase"):
        open_database(encrypted)
    assert _sha(encrypted) == before


def test_wrong_passphrase_says_so_plainly(encrypted: Path, capfd) -> None:
    before = _sha(encrypted)
    with pytest.raises(WrongPassphraseError) as caught:
        open_database(encrypted, passphrase="correct horse batterY")
    assert str(caught.value) == f'The passphrase for "{encrypted}" is not right.'
    assert caught.value.__suppress_context__ and caught.value.path == encrypted
    # SQLCipher's own complaint ("hmac check failed") is not printed.
    assert capfd.readouterr() == ("", "")
    assert _sha(encrypted) == before
    with open_database(encrypted, passphrase=PASSPHRASE):
        pass


def test_a_damaged_encrypted_database_is_damaged_not_a_wrong_passphrase(
    encrypted: Path,
) -> None:
    data = bytearray(encrypted.read_bytes())
    data[3 * 4096 + 100 : 3 * 4096 + 120] = bytes(20)
    encrypted.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="is damaged") as caught:
        open_database(encrypted, passphrase=PASSPHRASE)
    assert not isinstance(caught.value, WrongPassphraseError)


def test_a_new_database_needs_a_passphrase_of_eight_characters(db_path: Path) -> None:
    for weak in ("", "short", "   seven   ", "nul\0in the middle"):
        with pytest.raises(ValueError, match="passphrase"):
            create_encrypted_database(db_path, weak)
    assert not db_path.exists()


def test_create_refuses_an_existing_file(plain: Path) -> None:
    with pytest.raises(DatabaseError, match="already exists"):
        create_encrypted_database(plain, PASSPHRASE)


def test_passphrase_is_the_same_composed_or_decomposed(db_path: Path) -> None:
    with create_encrypted_database(db_path, "Crème brûlée 2026"):
        pass
    decomposed = "Cre\u0300me bru\u0302le\u0301e 2026"
    with open_database(db_path, passphrase=decomposed) as db:
        assert db.encrypted


def test_names_are_not_in_the_encrypted_file_its_wal_or_its_backup(
    db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    with create_encrypted_database(db_path, PASSPHRASE) as db:
        repo = _fill(db)
        wal = db_path.with_name(db_path.name + "-wal")
        assert wal.stat().st_size > 0  # the records are in the WAL now
        assert _names_in(wal.read_bytes()) == []
        assert _names_in(db_path.read_bytes()) == []
        backup = repo.backup_to(folder)
    assert _names_in(db_path.read_bytes()) == []
    assert _names_in(backup.read_bytes()) == []
    assert cipher.file_kind(backup) == "encrypted"
    # The backup opens with the database's passphrase, in rollback-journal mode.
    conn = cipher.connect(backup, PASSPHRASE, read_only=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("SELECT family_name FROM patient").fetchall() == [(FAMILY,)]
    finally:
        conn.close()


def test_names_are_in_a_plain_file_and_its_backup(plain: Path, tmp_path: Path) -> None:
    # The same search finds them when nothing is encrypted: it can fail.
    with open_database(plain) as db:
        backup = Repository(db).backup_to(tmp_path / "backups")
    assert _names_in(plain.read_bytes()) == [FAMILY, GIVEN]
    assert _names_in(backup.read_bytes()) == [FAMILY, GIVEN]


def test_the_passphrase_is_written_nowhere(encrypted: Path, caplog) -> None:
    caplog.set_level("DEBUG")
    with open_database(encrypted, passphrase=PASSPHRASE) as db:
        Repository(db).backup_if_due(encrypted.parent / "backups")
    change_passphrase(encrypted, PASSPHRASE, NEW_PASSPHRASE)
    secrets = [PASSPHRASE.encode(), NEW_PASSPHRASE.encode("utf-8")]
    files = [path for path in encrypted.parent.rglob("*") if path.is_file()]
    assert len(files) >= 3  # database, lock file, backup
    for path in files:
        assert not [s for s in secrets if s in path.read_bytes()], path
    assert PASSPHRASE not in caplog.text and NEW_PASSPHRASE not in caplog.text


def test_rekey_by_path_old_fails_new_works(encrypted: Path) -> None:
    change_passphrase(encrypted, PASSPHRASE, NEW_PASSPHRASE)
    with pytest.raises(WrongPassphraseError):
        open_database(encrypted, passphrase=PASSPHRASE)
    with open_database(encrypted, passphrase=NEW_PASSPHRASE) as db:
        repo = Repository(db)
        assert repo.get_patient(1) == PATIENT
        assert repo.audit_log()[-1].action == audit.REKEY
        assert verify(db) == []


def test_rekey_of_the_open_database_and_work_goes_on(encrypted: Path) -> None:
    with open_database(encrypted, passphrase=PASSPHRASE) as db:
        assert passphrase_opens(db, PASSPHRASE)
        assert not passphrase_opens(db, NEW_PASSPHRASE)
        with pytest.raises(WrongPassphraseError):
            change_passphrase(db, "not the passphrase", NEW_PASSPHRASE)
        with pytest.raises(DatabaseInUseError, match="open in this program"):
            change_passphrase(encrypted, PASSPHRASE, NEW_PASSPHRASE)
        change_passphrase(db, PASSPHRASE, NEW_PASSPHRASE, clinician="Dr B")
        Repository(db).add_patient(Patient("A-2", "Kim", "Sungae", dt.date(1980, 1, 1)))
    assert not passphrase_opens(encrypted, PASSPHRASE)
    assert passphrase_opens(encrypted, NEW_PASSPHRASE)
    with open_database(encrypted, passphrase=NEW_PASSPHRASE) as db:
        repo = Repository(db)
        assert [s.patient.mrn for s in repo.search_patients()] == ["A-2", "A-7731"]
        rekeyed = [e for e in repo.audit_log() if e.action == audit.REKEY]
        assert [e.clinician for e in rekeyed] == ["Dr B"]


def test_rekey_refuses_a_plain_database_and_a_weak_passphrase(
    encrypted: Path, tmp_path: Path
) -> None:
    plain = tmp_path / "plain.sqlite3"
    open_database(plain).close()
    with pytest.raises(DatabaseError, match="not encrypted"):
        change_passphrase(plain, PASSPHRASE, NEW_PASSPHRASE)
    assert not passphrase_opens(plain, PASSPHRASE)
    with pytest.raises(ValueError, match="at least 8"):
        change_passphrase(encrypted, PASSPHRASE, "1234")
    assert cipher.opens(encrypted, PASSPHRASE)


def test_encrypt_a_plain_database_keeps_the_old_file(plain: Path) -> None:
    with open_database(plain) as db:
        before = cipher.fingerprint(db.conn)
    kept = encrypt_database(plain, PASSPHRASE, clock=lambda: NINE_THIRTY)
    assert KEPT_NAME.fullmatch(kept.name) and kept.parent == plain.parent
    assert cipher.file_kind(kept) == "plain" and is_encrypted(plain)
    assert _names_in(kept.read_bytes()) == [FAMILY, GIVEN]
    assert _names_in(plain.read_bytes()) == []
    assert oct(plain.stat().st_mode & 0o777) == "0o600"
    assert plain_copies(plain) == [kept]
    with open_database(plain, passphrase=PASSPHRASE) as db:
        objects, counts = cipher.fingerprint(db.conn)
        assert objects == before[0]
        counts["audit_log"] -= 1  # the entry that records the encryption
        assert counts == before[1]
        repo = Repository(db)
        assert repo.get_patient(1) == PATIENT
        assert [p.id for p in repo.search_patients("łukasz")] == [1]
        assert verify(db) == []
        last = repo.audit_log()[-1]
        assert (last.action, str(kept) in last.detail) == (audit.ENCRYPT, True)


def test_encrypt_refuses_an_encrypted_or_missing_database(
    encrypted: Path, tmp_path: Path
) -> None:
    with pytest.raises(DatabaseError, match="encrypted already"):
        encrypt_database(encrypted, PASSPHRASE)
    with pytest.raises(DatabaseError, match="There is no database"):
        encrypt_database(tmp_path / "none.sqlite3", PASSPHRASE)


def test_failed_verification_removes_the_copy_and_leaves_the_plain_database(
    plain: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_export = cipher.export_encrypted

    def export_then_lose_a_row(source, target, passphrase):
        copied = real_export(source, target, passphrase)
        conn = cipher.connect(target, passphrase, isolation_level=None)
        try:
            conn.execute("DELETE FROM patient WHERE id = 1")
        finally:
            conn.close()
        return copied

    monkeypatch.setattr(cipher, "export_encrypted", export_then_lose_a_row)
    listing = sorted(plain.parent.iterdir())
    before = _sha(plain)
    with pytest.raises(DatabaseError, match="number of rows in patient") as caught:
        encrypt_database(plain, PASSPHRASE)
    assert "left unchanged" in str(caught.value)
    assert sorted(plain.parent.iterdir()) == listing  # no copy, nothing kept aside
    assert _sha(plain) == before
    with open_database(plain) as db:
        assert Repository(db).get_patient(1) == PATIENT


def test_encrypt_waits_for_other_programs_to_let_go(plain: Path, spawn) -> None:
    # A tool that reads without the instance lock (verify, export) ...
    reader = spawn("writer", plain, "W", 0)
    assert read_line(reader) == "ready"
    listing = sorted(plain.parent.iterdir())
    before = _sha(plain)
    with pytest.raises(DatabaseInUseError, match="open in another program"):
        encrypt_database(plain, PASSPHRASE)
    assert sorted(plain.parent.iterdir()) == listing
    assert _sha(plain) == before
    reader.communicate("\n", timeout=30)
    # ... and the window, which holds it, in another process or in this one.
    holder = spawn("hold", plain)
    assert read_line(holder) == "open"
    with pytest.raises(DatabaseInUseError, match="already open in another copy"):
        encrypt_database(plain, PASSPHRASE)
    holder.communicate("", timeout=30)
    with open_database(plain):
        with pytest.raises(DatabaseInUseError, match="open in this program"):
            encrypt_database(plain, PASSPHRASE)
    assert not is_encrypted(plain)


def test_restore_an_encrypted_backup(encrypted: Path, tmp_path: Path) -> None:
    from sijoint_exam.store.backup import restore_database

    with open_database(encrypted, passphrase=PASSPHRASE) as db:
        backup = Repository(db).backup_to(tmp_path / "copy.sqlite3")
    with pytest.raises(PassphraseRequiredError, match="passphrase it was made with"):
        restore_database(backup, encrypted)
    with pytest.raises(WrongPassphraseError):
        restore_database(backup, encrypted, passphrase=NEW_PASSPHRASE)
    kept = restore_database(backup, encrypted, passphrase=PASSPHRASE)
    assert kept is not None and is_encrypted(kept) and is_encrypted(encrypted)
    with open_database(encrypted, passphrase=PASSPHRASE) as db:
        assert Repository(db).audit_log()[-1].action == audit.RESTORE


def test_copy_before_an_upgrade_is_encrypted_too(
    encrypted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "migrations", _upgraded_set())
    with open_database(encrypted, passphrase=PASSPHRASE):
        pass
    [copy] = encrypted.parent.glob("*.before-migration-*")
    assert is_encrypted(copy) and cipher.opens(copy, PASSPHRASE)
    assert _names_in(copy.read_bytes()) == []


def test_damaged_encrypted_database_offers_its_latest_encrypted_backup(
    encrypted: Path,
) -> None:
    folder = encrypted.parent / "backups"
    with open_database(encrypted, passphrase=PASSPHRASE) as db:
        backup = Repository(db).backup_if_due(folder)
    data = bytearray(encrypted.read_bytes())
    data[2 * 4096 + 50 : 2 * 4096 + 60] = bytes(10)
    encrypted.write_bytes(bytes(data))
    with pytest.raises(DatabaseError) as caught:
        open_database(encrypted, passphrase=PASSPHRASE)
    assert caught.value.latest_backup == backup


def test_rotation_leaves_the_plain_backups_listed_for_secure_deletion(
    plain: Path, caplog
) -> None:
    """Before: the daily rotation after encrypting unlinked the plain backups of
    the days before, which encrypting had listed for secure deletion."""
    folder = plain.parent / "backups"
    october = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
    with open_database(plain) as db:
        for day in range(14):
            moment = october + dt.timedelta(days=day)
            Repository(db, clock=lambda m=moment: m).backup_if_due(folder)
    encrypt_database(plain, PASSPHRASE, clock=lambda: NINE_THIRTY)
    listed = plain_copies(plain)
    assert len([p for p in listed if p.parent == folder]) == 14
    with open_database(plain, passphrase=PASSPHRASE) as db:
        for day in range(14):  # two weeks of encrypted backups: October is due
            moment = NINE_THIRTY + dt.timedelta(days=day)
            Repository(db, clock=lambda m=moment: m).backup_if_due(folder)
    assert all(path.exists() for path in listed)
    assert plain_copies(plain) == listed
    assert "left 13 unencrypted backup(s) from before the database was encrypted" in (
        caplog.text
    )
    rotation = backup.rotate(plain, folder)
    assert rotation.removed == []
    assert len(rotation.left_plain) == 13  # October's month-end is kept anyway
