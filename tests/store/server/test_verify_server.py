"""`verify --server` finds an edit planted on the server, whoever planted it."""

from __future__ import annotations

import pytest

from sijoint_exam.cli import main


@pytest.fixture
def synced(make_room, sample_patient, sample_visit):
    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    patient_id = room_a.repo.add_patient(sample_patient())
    signed = room_a.repo.save_visit(patient_id, sample_visit())
    room_a.repo.sign_visit(signed)
    room_a.repo.add_addendum(signed, "Reviewed with the patient.")
    room_a.repo.save_visit(patient_id, sample_visit(chief_complaint="Follow-up"))
    room_a.sync()
    room_b.sync()
    return room_a, room_b


def test_an_intact_server_verifies(synced, clinic, capsys):
    assert main(["verify", "--server", clinic.url("room_b")]) == 0
    out = capsys.readouterr().out
    assert "intact" in out and "1 signed visits" in out


@pytest.mark.parametrize(
    ("plant", "found"),
    [
        (
            "UPDATE visit SET content_json = replace(content_json, 'left',"
            " 'right') WHERE uid IN (SELECT visit_uid FROM signature)",
            "was changed after it was signed",
        ),
        (
            "UPDATE visit SET content_json = replace(content_json, 'Follow-up',"
            " 'Discharged') WHERE uid NOT IN (SELECT visit_uid FROM signature)",
            "changed outside the program",
        ),
        (
            "UPDATE audit_entry SET clinician = 'Someone else' WHERE id = 2",
            "was changed after it was written",
        ),
        ("DELETE FROM audit_entry WHERE id = 2", "audit log entry 2 is missing"),
        ("UPDATE addendum SET text = 'Never reviewed.'", "Addendum"),
    ],
)
def test_a_planted_edit_is_found(synced, clinic, capsys, plant, found):
    # Only the owner, with the guard triggers switched off, can get this far.
    with clinic.connect() as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(plant)
    assert main(["verify", "--server", clinic.url("room_b")]) == 1
    out, err = capsys.readouterr()
    assert found in out
    assert "break(s) found" in err


def test_a_disabled_guard_trigger_is_a_break(synced, clinic, capsys):
    with clinic.connect() as conn:
        conn.execute("ALTER TABLE visit DISABLE TRIGGER visit_signed_no_change")
    assert main(["verify", "--server", clinic.url()]) == 1
    assert "visit_signed_no_change" in capsys.readouterr().out
