"""Signing: a signed visit cannot change, through the repository or raw SQL;
corrections are addenda, as permanent as the signature."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.store import visit_content
from sijoint_exam.store.repository import (
    Addendum,
    NotFoundError,
    Repository,
    Signature,
    VisitSignedError,
)
from tests.store.conftest import NINE_THIRTY, raw


@pytest.fixture
def signed(file_repo: Repository, sample_patient, sample_visit) -> int:
    """A signed visit (and an unsigned one after it) in a database file."""
    patient_id = file_repo.add_patient(sample_patient())
    visit_id = file_repo.save_visit(patient_id, sample_visit())
    file_repo.save_visit(patient_id, sample_visit(plan="unsigned"))
    file_repo.sign_visit(visit_id, "J. Doe, PT")
    return visit_id


def test_sign_visit(db: Database, repo: Repository, sample_patient, sample_visit):
    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    assert repo.signature(visit_id) is None
    assert [summary.signed for summary in repo.list_visits(patient_id)] == [False]

    signature = repo.sign_visit(visit_id, "  J. Doe, PT ")

    content = visit_content.unpack(
        db.execute("SELECT content FROM visit").fetchone()[0]
    )
    expected = hashlib.sha256(content.encode("utf-8")).hexdigest()
    assert signature == Signature(visit_id, "J. Doe, PT", NINE_THIRTY, expected)
    assert repo.signature(visit_id) == signature
    assert [summary.signed for summary in repo.list_visits(patient_id)] == [True]
    assert repo.get_visit(visit_id) == sample_visit()


def test_sign_refuses(repo: Repository, sample_patient, sample_visit) -> None:
    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    with pytest.raises(NotFoundError):
        repo.sign_visit(999, "J. Doe, PT")
    with pytest.raises(ValueError, match="clinician"):
        repo.sign_visit(visit_id, " ")
    draft_id = repo.save_draft(patient_id, visit_id, sample_visit(plan="unsaved"))
    with pytest.raises(ValueError, match="unsaved changes"):
        repo.sign_visit(visit_id, "J. Doe, PT")
    assert repo.signature(visit_id) is None
    repo.discard_draft(draft_id)
    repo.sign_visit(visit_id, "J. Doe, PT")
    with pytest.raises(VisitSignedError, match="already signed by J. Doe, PT"):
        repo.sign_visit(visit_id, "A. Other")


def test_signed_visit_cannot_be_saved_over_nor_drafted(
    file_repo: Repository, signed: int, sample_visit
) -> None:
    patient_id = file_repo.visit_patient_id(signed)
    with pytest.raises(VisitSignedError, match="signed by J. Doe, PT.*addendum"):
        file_repo.save_visit(patient_id, sample_visit(plan="changed"), signed)
    with pytest.raises(VisitSignedError):
        file_repo.save_draft(patient_id, signed, sample_visit(plan="changed"))
    assert file_repo.get_visit(signed) == sample_visit()
    assert file_repo.drafts() == []


RAW_CHANGES = {
    "update the visit": "UPDATE visit SET content = X'00' WHERE id = {id}",
    "update its date": "UPDATE visit SET visit_date = '1999-01-01' WHERE id = {id}",
    "move it to another patient": "UPDATE visit SET patient_id = 1 WHERE id = {id}",
    "delete the visit": "DELETE FROM visit WHERE id = {id}",
    "replace the visit": (
        "INSERT OR REPLACE INTO visit SELECT id, patient_id, visit_date, clinician,"
        " symptomatic_side, rule, X'00', created_at, updated_at FROM visit"
        " WHERE id = {id}"
    ),
    "update a result": (
        "UPDATE provocation_result SET result = 'negative' WHERE visit_id = {id}"
    ),
    "delete a result": "DELETE FROM provocation_result WHERE visit_id = {id}",
    "add a result": (
        "INSERT INTO provocation_result VALUES ({id}, 'sacral_thrust', 'none',"
        " 'positive')"
    ),
    "replace a result": (
        "INSERT OR REPLACE INTO provocation_result VALUES ({id}, 'distraction',"
        " 'none', 'negative')"
    ),
    "move a result onto it": (
        "UPDATE provocation_result SET visit_id = {id} WHERE visit_id = {id} + 1"
        " AND test_id = 'sacral_thrust'"
    ),
    "update the signature": (
        "UPDATE signature SET content_sha256 = 'x' WHERE visit_id = {id}"
    ),
    "delete the signature": "DELETE FROM signature WHERE visit_id = {id}",
    "replace the signature": (
        "INSERT OR REPLACE INTO signature VALUES ({id}, 1, 'X', 'now', 'x', '[]')"
    ),
}


@pytest.mark.parametrize("change", RAW_CHANGES.values(), ids=RAW_CHANGES.keys())
def test_raw_sql_cannot_change_a_signed_visit(
    db_path: Path, signed: int, change: str
) -> None:
    with raw(db_path) as conn:
        # A row to move onto the signed visit, on the unsigned one after it.
        conn.execute(
            "INSERT INTO provocation_result VALUES (?, 'sacral_thrust', 'none', 'x')",
            [signed + 1],
        )
        before = conn.execute("SELECT * FROM visit").fetchall()
        results = conn.execute("SELECT * FROM provocation_result").fetchall()
        with pytest.raises(sqlite3.IntegrityError, match="signed|permanent"):
            conn.execute(change.format(id=signed))
        assert conn.execute("SELECT * FROM visit").fetchall() == before
        assert conn.execute("SELECT * FROM provocation_result").fetchall() == results
        assert conn.execute("SELECT count(*) FROM signature").fetchone() == (1,)


def test_raw_sql_can_still_change_an_unsigned_visit(db_path: Path, signed: int) -> None:
    """The triggers guard signed visits only (else the test above proves nothing)."""
    unsigned = signed + 1
    with raw(db_path) as conn:
        conn.execute(
            "UPDATE visit SET visit_date = '1999-01-01' WHERE id = ?", [unsigned]
        )
        conn.execute("DELETE FROM provocation_result WHERE visit_id = ?", [unsigned])
        assert conn.execute(
            "SELECT visit_date FROM visit WHERE id = ?", [unsigned]
        ).fetchone() == ("1999-01-01",)


def test_addenda(file_repo: Repository, signed: int, sample_visit) -> None:
    first = file_repo.add_addendum(signed, " Thigh thrust was right-sided. ", "J. Doe")
    second = file_repo.add_addendum(signed, "Block booked.", "A. Other, MD")
    assert first == Addendum(
        first.id,
        signed,
        "Thigh thrust was right-sided.",
        "J. Doe",
        NINE_THIRTY,
        first.content_sha256,
    )
    assert len(first.content_sha256) == 64
    assert first.content_sha256 != second.content_sha256
    assert file_repo.addenda(signed) == [first, second]
    assert file_repo.addenda(signed + 1) == []
    # The original stays as it was signed.
    assert file_repo.get_visit(signed) == sample_visit()


def test_addenda_refuse(file_repo: Repository, signed: int) -> None:
    with pytest.raises(ValueError, match="not signed"):
        file_repo.add_addendum(signed + 1, "text", "J. Doe")
    with pytest.raises(NotFoundError):
        file_repo.add_addendum(999, "text", "J. Doe")
    with pytest.raises(ValueError, match="text"):
        file_repo.add_addendum(signed, "  ", "J. Doe")
    with pytest.raises(ValueError, match="clinician"):
        file_repo.add_addendum(signed, "text", "")
    assert file_repo.addenda(signed) == []


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE addendum SET text = 'rewritten'",
        "DELETE FROM addendum",
        "INSERT OR REPLACE INTO addendum SELECT id, visit_id, 'rewritten', clinician,"
        " created_at, content_sha256 FROM addendum",
        # An addendum to an unsigned visit: the visit itself is to be corrected.
        "INSERT INTO addendum (visit_id, text, clinician, created_at, content_sha256)"
        " SELECT visit_id + 1, 'x', 'x', 'x', 'x' FROM addendum",
    ],
    ids=["update", "delete", "replace", "to an unsigned visit"],
)
def test_raw_sql_cannot_change_addenda(
    file_repo: Repository, db_path: Path, signed: int, change: str
) -> None:
    file_repo.add_addendum(signed, "Block booked.", "J. Doe")
    with raw(db_path) as conn:
        before = conn.execute("SELECT * FROM addendum").fetchall()
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(change)
        assert conn.execute("SELECT * FROM addendum").fetchall() == before
