"""What two rooms can disagree on: demographics (the later edit wins, both stay
in the audit) and an MRN given to two patients (a conflict for a person)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sijoint_exam.store import audit
from sijoint_exam.store.verify import verify


def _at(hour: int, minute: int = 0):
    return lambda: dt.datetime(2026, 11, 20, hour, minute, tzinfo=dt.UTC)


@pytest.mark.parametrize("later_syncs_first", [False, True])
def test_demographics_edited_in_two_rooms_the_later_edit_wins(
    make_room, sample_patient, clinic, later_syncs_first
):
    room_a = make_room("Room A", "room_a", clock=_at(9))
    room_b = make_room("Room B", "room_b", clock=_at(9))
    patient = sample_patient()
    room_a.repo.add_patient(patient)
    room_a.sync()
    room_b.sync()
    [in_a] = room_a.repo.search_patients("")
    [in_b] = room_b.repo.search_patients("")
    earlier = replace(patient, family_name="Kim-Park")  # Room A, 10:00
    later = replace(patient, given_names="Sung-ae")  # Room B, 10:05
    room_a.repo._clock = _at(10)
    room_b.repo._clock = _at(10, 5)
    room_a.repo.update_patient(in_a.id, earlier)
    room_b.repo.update_patient(in_b.id, later)

    order = [room_b, room_a] if later_syncs_first else [room_a, room_b]
    for room in [*order, *order]:
        assert room.sync().conflicts == []

    assert room_a.repo.get_patient(in_a.id) == later
    assert room_b.repo.get_patient(in_b.id) == later
    # Both versions stay: in the server's versions and in the audit logs.
    with clinic.connect() as conn:
        versions = {
            row[0]
            for row in conn.execute(
                "SELECT family_name || '/' || given_names FROM patient_version"
            )
        }
        audited = {
            row[0]
            for row in conn.execute(
                "SELECT content_sha256 FROM audit_entry WHERE entity = 'patient'"
            )
        }
    assert {"Kim-Park/Sungae", "Kim/Sung-ae"} <= versions
    hashes = {
        audit.patient_sha256(
            p.__dict__ | {"date_of_birth": "1978-03-14", "sex": p.sex.value}
        )
        for p in (earlier, later)
    }
    assert hashes <= audited
    a_log = {e.content_sha256 for e in room_a.repo.audit_log("patient", in_a.id)}
    assert hashes <= a_log
    assert verify(room_a.db) == [] and verify(room_b.db) == []


def test_the_same_mrn_for_two_patients_is_a_conflict_until_one_is_corrected(
    make_room, sample_patient, sample_visit
):
    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    kim = sample_patient()
    lee = sample_patient(family_name="Lee", given_names="Min")
    kim_id = room_a.repo.add_patient(kim)
    room_a.repo.save_visit(kim_id, sample_visit())
    lee_id = room_b.repo.add_patient(lee)  # offline: the same MRN, another person
    room_b.repo.save_visit(lee_id, sample_visit(chief_complaint="Lee's pain"))

    assert room_a.sync().conflicts == []
    report = room_b.sync()
    [conflict] = report.conflicts
    assert conflict.mrn == "A-1001"
    assert "conflict" in conflict.message and "A-1001" in conflict.message
    assert "Lee, Min" in conflict.message and "Kim, Sungae" in conflict.message
    assert "Room A" in conflict.message
    assert report.sent_visits == 0  # nothing of Lee's went
    assert [s.patient for s in room_b.repo.search_patients("")] == [lee]  # no merge
    # It says so at every sync until a person settles it.
    assert [c.mrn for c in room_b.sync().conflicts] == ["A-1001"]
    assert [s.patient for s in room_a.repo.search_patients("")] == [kim]

    room_b.repo.update_patient(lee_id, replace(lee, mrn="B-2002"))
    settled = room_b.sync()
    assert settled.conflicts == []
    assert settled.sent_visits == 1 and settled.received_visits == 1
    room_a.sync()
    for room in (room_a, room_b):
        mrns = {s.patient.mrn: s.id for s in room.repo.search_patients("")}
        assert set(mrns) == {"A-1001", "B-2002"}
        assert len(room.repo.list_visits(mrns["B-2002"])) == 1
        assert len(room.repo.list_visits(mrns["A-1001"])) == 1
        assert verify(room.db) == []


def test_the_command_names_the_conflict_and_exits_non_zero(
    tmp_path, clinic, sample_patient, capsys
):
    from sijoint_exam.cli import main
    from sijoint_exam.store.database import open_database
    from sijoint_exam.store.repository import Repository

    for name, family in (("a", "Kim"), ("b", "Lee")):
        with open_database(tmp_path / f"{name}.sqlite3", instance_lock=False) as db:
            Repository(db).add_patient(sample_patient(family_name=family))
    assert (
        main(
            [
                "sync",
                "--db",
                str(tmp_path / "a.sqlite3"),
                "--server",
                clinic.url("room_a"),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "sync",
                "--db",
                str(tmp_path / "b.sqlite3"),
                "--server",
                clinic.url("room_b"),
            ]
        )
        == 3
    )
    err = capsys.readouterr().err
    assert "conflict" in err and '"A-1001"' in err
    assert "Traceback" not in err


def test_a_sync_in_small_steps_holds_back_all_of_a_conflicting_patient(
    make_room, sample_patient, sample_visit, monkeypatch
):
    """A first sync of a large database goes in steps; a patient held back in
    one step keeps their visits back in the next ones too."""
    from sijoint_exam.store.server import push

    monkeypatch.setattr(push, "CHUNK", 2)
    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    room_a.repo.add_patient(sample_patient())
    room_a.sync()
    lee = room_b.repo.add_patient(sample_patient(family_name="Lee"))  # A-1001 too
    osei = room_b.repo.add_patient(sample_patient(mrn="B-2", family_name="Osei"))
    for day in (1, 2, 3):
        room_b.repo.save_visit(lee, sample_visit(date=dt.date(2026, 11, day)))
        room_b.repo.save_visit(osei, sample_visit(date=dt.date(2026, 11, day)))
    report = room_b.sync()
    assert [c.mrn for c in report.conflicts] == ["A-1001"]
    assert report.sent_visits == 3  # Osei's, not Lee's
    room_b.repo.update_patient(
        lee, replace(sample_patient(family_name="Lee"), mrn="B-1")
    )
    assert room_b.sync().sent_visits == 3  # Lee's now
    room_a.sync()
    counts = {
        s.patient.mrn: len(room_a.repo.list_visits(s.id))
        for s in room_a.repo.search_patients("")
    }
    assert counts == {"A-1001": 0, "B-1": 3, "B-2": 3}
    assert verify(room_a.db) == [] and verify(room_b.db) == []
