"""An open window hears another room's push at once (LISTEN/NOTIFY)."""

from __future__ import annotations

from sijoint_exam.store.server.listen import ChangeListener
from sijoint_exam.store.sync_tables import workstation


def test_another_rooms_push_is_heard_and_ones_own_is_not(make_room, sample_patient):
    room_a, room_b = make_room("Room A", "room_a"), make_room("Room B", "room_b")
    listener = ChangeListener(room_b.url, workstation(room_b.db)[0])
    try:
        room_b.repo.add_patient(sample_patient(mrn="B-1"))
        room_b.sync()
        assert listener.wait(0.5) is False  # its own push is not news
        room_a.repo.add_patient(sample_patient())
        room_a.sync()
        assert listener.wait(30) is True
    finally:
        listener.close()
