"""Two rooms, one clinic server: what one records, the other sees after a sync."""

from __future__ import annotations

import datetime as dt

from sijoint_exam.domain.visit_file import canonical_json, visit_to_dict
from sijoint_exam.store.verify import verify


def test_a_visit_signed_in_room_a_is_in_room_b_after_one_sync(
    make_room, sample_patient, sample_visit
):
    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    patient_id = room_a.repo.add_patient(sample_patient())
    visit = sample_visit()
    visit_id = room_a.repo.save_visit(patient_id, visit)
    room_a.repo.sign_visit(visit_id)
    room_a.repo.add_addendum(visit_id, "Pain settled by the next morning.")

    sent = room_a.sync()
    assert (sent.sent_visits, sent.conflicts) == (1, [])
    received = room_b.sync()
    assert received.received_visits == 1

    [found] = room_b.repo.search_patients("Kim")
    assert found.patient == sample_patient()
    [summary] = room_b.repo.list_visits(found.id)
    assert summary.signed
    got = room_b.repo.get_visit(summary.id)
    assert canonical_json(visit_to_dict(got)) == canonical_json(visit_to_dict(visit))
    signature = room_b.repo.signature(summary.id)
    assert signature is not None
    assert signature.clinician == "Clinician of Room A"
    assert signature.content_sha256 == room_a.repo.signature(visit_id).content_sha256
    [addendum] = room_b.repo.addenda(summary.id)
    assert addendum.text == "Pain settled by the next morning."
    # Room B's own records check out: its audit log names what it received.
    assert verify(room_b.db) == []
    assert verify(room_a.db) == []
    received_entries = [
        entry for entry in room_b.repo.audit_log() if entry.action == "receive"
    ]
    assert {entry.entity for entry in received_entries} == {
        "patient",
        "visit",
        "signature",
        "addendum",
    }


def test_a_second_sync_sends_and_receives_nothing_new(make_room, sample_patient):
    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    room_a.repo.add_patient(sample_patient())
    room_a.sync()
    room_b.sync()
    again_a, again_b = room_a.sync(), room_b.sync()
    assert again_a.sent_visits == again_b.received_visits == 0
    assert len(room_b.repo.search_patients("")) == 1
    assert len(room_a.repo.search_patients("")) == 1


def test_rooms_exchange_in_both_directions_and_audit_entries_travel(
    make_room, sample_patient, sample_visit, clinic
):
    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    a_patient = room_a.repo.add_patient(sample_patient())
    room_b.repo.add_patient(sample_patient(mrn="B-7", family_name="Osei"))
    room_a.repo.save_visit(a_patient, sample_visit())
    room_a.sync()
    room_b.sync()
    room_a.sync()
    assert {s.patient.mrn for s in room_a.repo.search_patients("")} == {"A-1001", "B-7"}
    assert {s.patient.mrn for s in room_b.repo.search_patients("")} == {"A-1001", "B-7"}
    with clinic.connect() as conn:
        per_room = dict(
            conn.execute(
                "SELECT w.room, count(*) FROM audit_entry a"
                " JOIN workstation w ON w.uid = a.workstation GROUP BY w.room"
            ).fetchall()
        )
        writers = {row[0] for row in conn.execute("SELECT written_by FROM visit")}
    assert set(per_room) == {"Room A", "Room B"}
    assert writers == {"room_a"}
    # Room A's log holds its own entries; Room B's came across as a copy.
    copied = room_a.db.execute("SELECT DISTINCT room FROM clinic_audit").fetchall()
    assert copied == [("Room B",)]


def test_room_b_cannot_change_or_sign_room_a_unsigned_visit(
    make_room, sample_patient, sample_visit
):
    import pytest

    from sijoint_exam.store.errors import VisitElsewhereError

    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    patient_id = room_a.repo.add_patient(sample_patient())
    room_a.repo.save_visit(patient_id, sample_visit())
    room_a.sync()
    room_b.sync()
    [found] = room_b.repo.search_patients("")
    [summary] = room_b.repo.list_visits(found.id)
    with pytest.raises(VisitElsewhereError, match="in progress in Room A"):
        room_b.repo.save_visit(found.id, sample_visit(chief_complaint="x"), summary.id)
    with pytest.raises(VisitElsewhereError, match="Room A"):
        room_b.repo.sign_visit(summary.id)
    with pytest.raises(VisitElsewhereError):
        room_b.repo.save_draft(found.id, summary.id, sample_visit())


def test_room_a_edits_its_unsigned_visit_and_room_b_gets_the_new_version(
    make_room, sample_patient, sample_visit
):
    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    patient_id = room_a.repo.add_patient(sample_patient())
    visit_id = room_a.repo.save_visit(patient_id, sample_visit())
    room_a.sync()
    room_b.sync()
    room_a.repo.save_visit(patient_id, sample_visit(chief_complaint="Worse"), visit_id)
    room_a.repo.sign_visit(visit_id)
    room_a.sync()
    room_b.sync()
    [found] = room_b.repo.search_patients("")
    [summary] = room_b.repo.list_visits(found.id)
    assert room_b.repo.get_visit(summary.id).chief_complaint == "Worse"
    assert summary.signed
    assert verify(room_b.db) == []


def test_a_room_offline_keeps_working_and_everything_arrives_after(
    make_room, sample_patient, sample_visit, clinic
):
    from sijoint_exam.store.server.connection import ServerError

    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    room_a.sync()
    with clinic.server.stopped():
        patient_id = room_a.repo.add_patient(sample_patient())
        for day in (1, 2, 3):
            visit_id = room_a.repo.save_visit(
                patient_id, sample_visit(date=dt.date(2026, 11, day))
            )
        room_a.repo.sign_visit(visit_id)
        try:
            room_a.sync()
        except ServerError as error:
            failed = str(error)
        else:
            failed = ""
    assert "127.0.0.1" in failed and "\n" not in failed
    assert room_a.sync().sent_visits == 3
    assert room_b.sync().received_visits == 3
    [found] = room_b.repo.search_patients("")
    assert [s.signed for s in room_b.repo.list_visits(found.id)] == [True, False, False]


def test_the_checks_acknowledged_at_signing_travel_with_the_signature(
    make_room, sample_patient, sample_visit, clinic
):
    from sijoint_exam.domain.signing_checks import CHECK_IDS

    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    patient_id = room_a.repo.add_patient(sample_patient())
    visit_id = room_a.repo.save_visit(patient_id, sample_visit())
    checks = CHECK_IDS[:2]
    room_a.repo.sign_visit(visit_id, acknowledged_checks=checks)
    room_a.sync()
    room_b.sync()
    [found] = room_b.repo.search_patients("")
    [summary] = room_b.repo.list_visits(found.id)
    assert room_b.repo.signature(summary.id).acknowledged_checks == checks
    assert verify(room_b.db) == []
    # What Room B holds is what was signed: a signer changed behind the
    # triggers' back is found.
    room_b.db.execute("DROP TRIGGER signature_no_update")
    room_b.db.execute("UPDATE signature SET acknowledged_checks = '[]'")
    assert any("after it was received" in p for p in verify(room_b.db))


def test_renaming_a_room_reaches_the_others(make_room, sample_patient, sample_visit):
    from sijoint_exam.store.server.sync import set_room

    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    patient_id = room_a.repo.add_patient(sample_patient())
    room_a.repo.save_visit(patient_id, sample_visit())
    room_a.sync()
    room_b.sync()
    [found] = room_b.repo.search_patients("")
    [summary] = room_b.repo.list_visits(found.id)
    assert summary.elsewhere == "Room A"
    set_room(room_a.db, "Room 2")
    room_a.sync()  # nothing to send but the name
    room_b.sync()
    assert room_b.repo.room_elsewhere(summary.id) == "Room 2"
    assert room_b.repo.list_visits(found.id)[0].elsewhere == "Room 2"


def test_a_copy_of_a_rooms_database_used_elsewhere_is_refused_not_lost(
    make_room, sample_patient, clinic, tmp_path
):
    import shutil

    import pytest

    from sijoint_exam.store.database import open_database
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.store.server.connection import ServerError
    from sijoint_exam.store.server.sync import sync

    room_a = make_room("Room A", "room_a")
    room_a.repo.add_patient(sample_patient(mrn="A-1"))
    room_a.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(room_a.path, copy)
    room_a.repo.add_patient(sample_patient(mrn="A-2"))
    room_a.sync()
    with open_database(copy, instance_lock=False) as elsewhere:
        Repository(elsewhere).add_patient(sample_patient(mrn="A-3"))
        with pytest.raises(ServerError, match="differs from entry"):
            sync(elsewhere, clinic.url("room_a"), "Room A")
    with clinic.connect() as conn:
        mrns = {row[0] for row in conn.execute("SELECT mrn FROM patient")}
    assert mrns == {"A-1", "A-2"}
    assert room_a.sync().conflicts == []  # the room itself goes on syncing


def test_a_room_restored_from_an_older_backup_starts_a_new_line_and_loses_nothing(
    make_room, sample_patient, sample_visit, clinic, tmp_path
):
    import shutil

    import pytest

    from sijoint_exam.store.database import open_database
    from sijoint_exam.store.repository import Repository
    from sijoint_exam.store.server.connection import ServerError
    from sijoint_exam.store.server.sync import start_new_line, sync
    from sijoint_exam.store.server.verify import check

    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    first = room_a.repo.add_patient(sample_patient(mrn="A-1"))
    room_a.repo.save_visit(first, sample_visit())  # unsigned: Room A's to edit
    room_a.sync()
    backup = tmp_path / "backup.sqlite3"
    room_a.repo.backup_to(backup)
    later = room_a.repo.add_patient(sample_patient(mrn="A-2"))
    room_a.repo.sign_visit(room_a.repo.save_visit(later, sample_visit()))
    [unsigned] = room_a.repo.list_visits(first)
    room_a.repo.save_visit(first, sample_visit(plan="After the backup"), unsigned.id)
    room_a.sync()
    room_a.db.close()

    shutil.copyfile(backup, room_a.path)  # the disk failed; last night's backup
    with open_database(room_a.path, instance_lock=False) as restored:
        repo = Repository(restored, clinician="A. Therapist, PT")
        repo.add_patient(sample_patient(mrn="A-3"))
        url = clinic.url("room_a")
        with pytest.raises(ServerError, match="--as-new-room"):
            sync(restored, url, "Room A")
        start_new_line(restored)
        report = sync(restored, url, "Room A")
        assert report.conflicts == []
        # The signed visit the backup lacked, and the unsigned one's later version.
        assert report.received_visits == 2
        mrns = {s.patient.mrn: s.id for s in repo.search_patients("")}
        assert set(mrns) == {"A-1", "A-2", "A-3"}
        [own] = repo.list_visits(mrns["A-1"])
        assert own.elsewhere is None  # still this room's to edit
        assert repo.get_visit(own.id).plan == "After the backup"  # not reverted
        repo.save_visit(mrns["A-1"], sample_visit(plan="Review"), own.id)
        sync(restored, url, "Room A")
        assert verify(restored) == []
    room_b.sync()
    assert {s.patient.mrn for s in room_b.repo.search_patients("")} == {
        "A-1",
        "A-2",
        "A-3",
    }
    [visit] = room_b.repo.list_visits(
        next(s.id for s in room_b.repo.search_patients("A-1"))
    )
    assert room_b.repo.get_visit(visit.id).plan == "Review"
    problems, _ = check(clinic.url())
    assert problems == []
