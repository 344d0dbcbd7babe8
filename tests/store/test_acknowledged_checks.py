"""The checks before signing a clinician acknowledged: stored with the signature,
written to its audit entry, read back, and held to that entry by verify()."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.domain.signing_checks import CHECK_IDS
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import verify
from tests.store.conftest import raw

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def saved(file_repo: Repository, sample_patient, sample_visit) -> int:
    patient_id = file_repo.add_patient(sample_patient())
    return file_repo.save_visit(patient_id, sample_visit())


def test_checks_are_stored_with_the_signature_in_their_listed_order(
    file_repo: Repository, saved: int
) -> None:
    signature = file_repo.sign_visit(
        saved,
        "J. Doe, PT",
        acknowledged_checks=[
            "unguided_block",
            "cauda_equina_urgency",
            "unguided_block",
        ],
    )
    expected = ("cauda_equina_urgency", "unguided_block")
    assert signature.acknowledged_checks == expected
    assert file_repo.signature(saved) == signature
    [entry] = [e for e in file_repo.audit_log("visit", saved) if e.action == "sign"]
    assert entry.detail == "acknowledged checks: cauda_equina_urgency, unguided_block"
    assert entry.clinician == "J. Doe, PT"


def test_a_signature_without_open_checks_acknowledges_none(
    file_repo: Repository, saved: int
) -> None:
    assert file_repo.sign_visit(saved, "J. Doe, PT").acknowledged_checks == ()
    [entry] = [e for e in file_repo.audit_log("visit", saved) if e.action == "sign"]
    assert entry.detail == ""


def test_an_unknown_check_is_refused_and_nothing_is_signed(
    file_repo: Repository, saved: int
) -> None:
    with pytest.raises(ValueError, match="Unknown check before signing: unguided"):
        file_repo.sign_visit(saved, "J. Doe, PT", ["unguided"])
    assert file_repo.signature(saved) is None
    assert [e.action for e in file_repo.audit_log("visit", saved)] == ["create"]


def test_every_check_id_can_be_acknowledged(
    file_repo: Repository, file_db: Database, saved: int
) -> None:
    signature = file_repo.sign_visit(saved, "J. Doe, PT", list(reversed(CHECK_IDS)))
    assert signature.acknowledged_checks == CHECK_IDS
    assert verify(file_db) == []


def test_checks_changed_behind_the_trigger_are_named_by_verify(
    file_repo: Repository, file_db: Database, saved: int, db_path: Path
) -> None:
    file_repo.sign_visit(saved, "J. Doe, PT", ["unguided_block"])
    with raw(db_path) as conn:
        (sql,) = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'signature_no_update'"
        ).fetchone()
        conn.execute("DROP TRIGGER signature_no_update")
        conn.execute("UPDATE signature SET acknowledged_checks = '[]'")
        conn.execute(sql)
    assert verify(file_db) == [
        "Visit 1 (signed by J. Doe, PT, 2026-11-20T09:30:00+00:00): the "
        "acknowledged checks before signing were changed after signing (the "
        "audit log records unguided_block)."
    ]


def test_a_database_signed_before_checks_were_stored_reads_none(
    tmp_path: Path,
) -> None:
    """The previous release's file: its signature acknowledged nothing, and the
    upgrade leaves verify with nothing to report."""
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(DATA / "schema-006.sqlite3", path)
    with open_database(path) as db:
        repo = Repository(db)
        [visit_id] = [
            row[0] for row in db.execute("SELECT visit_id FROM signature").fetchall()
        ]
        signature = repo.signature(visit_id)
        assert signature is not None
        assert signature.acknowledged_checks == ()
        assert verify(db) == []
