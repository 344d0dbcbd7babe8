"""`server init`: the schema, the workstations' role and what it may not do."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from sijoint_exam.store.server import admin, schema


def _register(conn, room: str = "Room A") -> str:
    uid = str(uuid.uuid4())
    conn.execute("INSERT INTO workstation (uid, room) VALUES (%s, %s)", [uid, room])
    return uid


def _signed_visit(conn) -> str:
    """A patient, a visit and its signature written as a room would."""
    room = _register(conn)
    patient, visit = str(uuid.uuid4()), str(uuid.uuid4())
    conn.execute(
        "INSERT INTO patient (uid, mrn, family_name, given_names, date_of_birth,"
        " sex, created_at, edited_at, edited_by, clinician)"
        " VALUES (%s, 'A-1', 'Kim', 'Sungae', '1978-03-14', 'female', 't', 't',"
        " %s, '')",
        [patient, room],
    )
    conn.execute(
        "INSERT INTO visit (uid, patient_uid, workstation, visit_date, clinician,"
        " symptomatic_side, rule, content_json, created_at, updated_at)"
        " VALUES (%s, %s, %s, '2026-11-20', 'J. Doe', 'left', 'laslett', '{}',"
        " 't', 't')",
        [visit, patient, room],
    )
    sha = conn.execute("SELECT content_sha256 FROM visit WHERE uid = %s", [visit])
    conn.execute(
        "INSERT INTO signature (visit_uid, workstation, clinician, signed_at,"
        " content_sha256) VALUES (%s, %s, 'J. Doe', 't', %s)",
        [visit, room, sha.fetchone()[0]],
    )
    return visit


def test_init_creates_the_schema_once_and_again_changes_nothing(clinic):
    with clinic.connect() as conn:
        names = [row[0] for row in conn.execute("SELECT name FROM schema_migration")]
        triggers = {
            row[0]
            for row in conn.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            )
        }
    assert names == [name for name, _ in schema.MIGRATIONS]
    assert set(schema.GUARD_TRIGGERS) <= triggers
    again = admin.initialise(clinic.url())
    assert "the schema was up to date" in again
    assert "granted again" in again


def test_a_room_cannot_change_or_delete_a_signed_visit(clinic):
    with clinic.connect("room_a") as conn:
        visit = _signed_visit(conn)
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="signed"):
            conn.execute(
                "UPDATE visit SET content_json = '{\"x\": 1}' WHERE uid = %s", [visit]
            )
        for statement in (
            "DELETE FROM visit",
            "DELETE FROM signature",
            "UPDATE signature SET clinician = 'Someone else'",
            "UPDATE audit_entry SET detail = 'x'",
            "DELETE FROM audit_entry",
            "TRUNCATE signature CASCADE",
            "UPDATE visit SET written_by = 'room_b'",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        content = conn.execute("SELECT content_json FROM visit").fetchone()[0]
    assert content == "{}"


def test_even_the_owner_cannot_change_a_signed_visit_or_a_signature(clinic):
    with clinic.connect("room_a") as conn:
        visit = _signed_visit(conn)
    with clinic.connect() as conn:
        for statement in (
            "UPDATE visit SET content_json = '{}' WHERE uid = %s",
            "DELETE FROM signature WHERE visit_uid = %s",
            "UPDATE signature SET clinician = 'X' WHERE visit_uid = %s",
        ):
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
                conn.execute(statement, [visit])
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
            conn.execute("TRUNCATE audit_entry")


def test_each_row_names_the_login_role_that_wrote_it_whatever_it_claims(clinic):
    with clinic.connect("room_a") as conn:
        room = _register(conn)
        conn.execute(
            "INSERT INTO patient (uid, mrn, family_name, given_names, date_of_birth,"
            " sex, created_at, edited_at, edited_by, clinician, written_by)"
            " VALUES (%s, 'A-2', 'Lee', 'Min', '1990-01-01', 'male', 't', 't', %s, '',"
            " 'room_b')",
            [str(uuid.uuid4()), room],
        )
        assert conn.execute("SELECT written_by FROM patient").fetchone()[0] == "room_a"
    # Room B cannot write as Room A's workstation.
    with clinic.connect("room_b") as conn:
        with pytest.raises(
            psycopg.errors.InsufficientPrivilege, match="not registered"
        ):
            conn.execute(
                "INSERT INTO patient (uid, mrn, family_name, given_names,"
                " date_of_birth, sex, created_at, edited_at, edited_by, clinician)"
                " VALUES"
                " (%s, 'A-3', 'Lee', 'Min', '1990-01-01', 'male', 't', 't', %s, '')",
                [str(uuid.uuid4()), room],
            )


def test_a_signature_must_match_the_visit_on_the_server(clinic):
    with clinic.connect("room_a") as conn:
        visit = _signed_visit(conn)
        conn.execute("SELECT 1")
        other = str(uuid.uuid4())
        room, patient = conn.execute(
            "SELECT workstation, patient_uid FROM visit WHERE uid = %s", [visit]
        ).fetchone()
        conn.execute(
            "INSERT INTO visit (uid, patient_uid, workstation, visit_date, clinician,"
            " symptomatic_side, rule, content_json, created_at, updated_at)"
            " VALUES (%s, %s, %s, '2026-11-21', 'J. Doe', 'left', 'r', '{}', 't', 't')",
            [other, patient, room],
        )
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="match"):
            conn.execute(
                "INSERT INTO signature (visit_uid, workstation, clinician, signed_at,"
                " content_sha256) VALUES (%s, %s, 'J. Doe', 't', %s)",
                [other, room, "0" * 64],
            )
