"""verify() against the writer who lifts a guard trigger, edits, and puts it back:
every column a signature covers is named, and so is a guard that was replaced."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlite_utils import Database

from sijoint_exam.store import visit_content
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.verify import GUARD_TRIGGERS, verify
from tests.store.conftest import raw

SIGNED = "Visit 1 (signed by J. Doe, PT, 2026-11-20T09:30:00+00:00)"


@pytest.fixture
def signed(file_repo: Repository, sample_patient, sample_visit) -> Repository:
    """Visit 1 signed with an acknowledged check and given an addendum; visit 2
    unsigned; a second patient to move a visit to."""
    patient_id = file_repo.add_patient(sample_patient())
    file_repo.add_patient(sample_patient(mrn="B-2002", family_name="Park"))
    visit_id = file_repo.save_visit(patient_id, sample_visit())
    file_repo.save_visit(patient_id, sample_visit(plan="unsigned"))
    file_repo.sign_visit(visit_id, "J. Doe, PT", ["unguided_block"])
    file_repo.add_addendum(visit_id, "Block booked.", "A. Other, MD")
    return file_repo


def _behind_the_guards(db_path: Path, *statements: str) -> None:
    """Drop every guard trigger, run `statements`, and put each trigger back as
    it was, text and all."""
    with raw(db_path) as conn:
        kept = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        for name, _ in kept:
            if name in GUARD_TRIGGERS:
                conn.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            conn.execute(statement)
        for name, sql in kept:
            if name in GUARD_TRIGGERS:
                conn.execute(sql)


def _edited_content(db_path: Path, visit_id: int) -> bytes:
    with raw(db_path) as conn:
        (stored,) = conn.execute(
            "SELECT content FROM visit WHERE id = ?", [visit_id]
        ).fetchone()
    return visit_content.pack(
        visit_content.unpack(stored).replace("Left buttock", "Right buttock")
    )


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "UPDATE signature SET clinician = 'A. Other, MD'",
            "Visit 1 (signed by A. Other, MD, 2026-11-20T09:30:00+00:00): the signer "
            "was changed after signing (the audit log records J. Doe, PT).",
        ),
        (
            "UPDATE signature SET signed_at = '2026-11-21T08:00:00+00:00'",
            "Visit 1 (signed by J. Doe, PT, 2026-11-21T08:00:00+00:00): the time of "
            "signing was changed after signing (the audit log records "
            "2026-11-20T09:30:00+00:00).",
        ),
        (
            "UPDATE signature SET acknowledged_checks = "
            '\'["unguided_block","steroid_comparative"]\'',
            f"{SIGNED}: the acknowledged checks before signing were changed after "
            "signing (the audit log records unguided_block).",
        ),
        (
            "UPDATE signature SET content_sha256 = 'f' || substr(content_sha256, 2)",
            f"{SIGNED} was changed after it was signed.",
        ),
        (
            "UPDATE signature SET patient_id = 2",
            f"{SIGNED} was moved to another patient after signing.",
        ),
        (
            "UPDATE visit SET visit_date = '2026-01-05' WHERE id = 1",
            f"{SIGNED}: its date column reads '2026-01-05', its content "
            "'2026-11-20': it was changed outside the program.",
        ),
        (
            "UPDATE visit SET clinician = 'A. Other, MD' WHERE id = 1",
            f"{SIGNED}: its clinician column reads 'A. Other, MD', its content "
            "'J. Doe, PT': it was changed outside the program.",
        ),
        (
            "UPDATE visit SET symptomatic_side = 'right' WHERE id = 1",
            f"{SIGNED}: its symptomatic side column reads 'right', its content "
            "'left': it was changed outside the program.",
        ),
        (
            "UPDATE visit SET rule = 'cms_lcd_2023' WHERE id = 1",
            f"{SIGNED}: its scoring rule column reads 'cms_lcd_2023', its content "
            "'vanderwurff_2006': it was changed outside the program.",
        ),
        (
            "UPDATE visit SET patient_id = 2 WHERE id = 1",
            f"{SIGNED} was moved to another patient after signing.",
        ),
        (
            "UPDATE visit SET updated_at = '2026-11-19T09:30:00+00:00' WHERE id = 1",
            f"{SIGNED}: its times of creation and last change "
            "(2026-11-20T09:30:00+00:00, 2026-11-19T09:30:00+00:00) are not those "
            "the audit log records (2026-11-20T09:30:00+00:00, "
            "2026-11-20T09:30:00+00:00): they were changed outside the program.",
        ),
        (
            "UPDATE provocation_result SET result = 'negative' WHERE visit_id = 1",
            f"{SIGNED}: its provocation results were changed after it was signed.",
        ),
        (
            "UPDATE addendum SET clinician = 'J. Doe, PT'",
            "Addendum 1 to visit 1 (by J. Doe, PT, 2026-11-20T09:30:00+00:00) was "
            "changed after it was signed.",
        ),
    ],
    ids=[
        "signer",
        "signing time",
        "acknowledged checks",
        "signed hash",
        "signature's patient",
        "visit date",
        "visit clinician",
        "visit side",
        "visit rule",
        "visit's patient",
        "visit updated_at",
        "provocation result",
        "addendum signer",
    ],
)
def test_an_edit_behind_a_restored_guard_is_named(
    signed: Repository,
    file_db: Database,
    db_path: Path,
    statement: str,
    expected: str,
) -> None:
    assert verify(file_db) == []
    _behind_the_guards(db_path, statement)
    assert expected in verify(file_db)
    assert not [p for p in verify(file_db) if "trigger" in p]


def test_signed_content_edited_behind_a_restored_guard_is_named(
    signed: Repository, file_db: Database, db_path: Path
) -> None:
    edited = _edited_content(db_path, 1)
    _behind_the_guards(
        db_path, f"UPDATE visit SET content = x'{edited.hex()}' WHERE id = 1"
    )
    assert verify(file_db) == [
        f"{SIGNED} was changed after it was signed.",
        "Visit 1 differs from its last audit entry: it was changed outside the "
        "program.",
    ]


def test_an_unsigned_visit_s_columns_are_held_to_its_content(
    signed: Repository, file_db: Database, db_path: Path
) -> None:
    with raw(db_path) as conn:
        conn.execute("UPDATE visit SET visit_date = '2025-01-01' WHERE id = 2")
    assert verify(file_db) == [
        "Visit 2: its date column reads '2025-01-01', its content '2026-11-20': it "
        "was changed outside the program."
    ]


def test_a_guard_replaced_by_a_do_nothing_trigger_is_named(
    signed: Repository, file_db: Database, db_path: Path
) -> None:
    with raw(db_path) as conn:
        conn.execute("DROP TRIGGER signature_no_update")
        conn.execute(
            "CREATE TRIGGER signature_no_update BEFORE UPDATE ON signature"
            " BEGIN SELECT 1; END"
        )
        conn.execute("UPDATE signature SET clinician = 'A. Other, MD'")
    problems = verify(file_db)
    assert problems[0] == (
        'The trigger "signature_no_update" that keeps signed records or the audit '
        "log from changing has been replaced: its text is not the one the program "
        "wrote."
    )
    assert any("the signer was changed after signing" in p for p in problems)


def test_a_trigger_added_outside_the_program_is_named(
    signed: Repository, file_db: Database, db_path: Path
) -> None:
    with raw(db_path) as conn:
        conn.execute(
            "CREATE TRIGGER quiet_fix AFTER INSERT ON audit_log BEGIN SELECT 1; END"
        )
        conn.execute("DROP TRIGGER patient_search_update")
    assert verify(file_db) == [
        'The trigger "patient_search_update" that keeps patient in step has been '
        "removed.",
        'A trigger "quiet_fix" on audit_log was added outside the program: the '
        "program writes no such trigger.",
    ]


@pytest.mark.parametrize("release", ["schema-001", "schema-006"])
def test_a_database_of_an_earlier_release_verifies_clean_once_upgraded(
    release: str, tmp_path: Path
) -> None:
    """The triggers an upgrade rebuilds (migration 007) read as the program
    writes them: comparing their text finds nothing in an untouched file."""
    path = tmp_path / "clinic.sqlite3"
    data = Path(__file__).resolve().parents[1] / "data"
    shutil.copyfile(data / f"{release}.sqlite3", path)
    with open_database(path) as db:
        assert verify(db) == []
