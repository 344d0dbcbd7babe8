"""The window's background sync: its status-bar label, and another room's
patient showing in the open window without a click."""

from __future__ import annotations

import socket

from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.server.sync import sync


def _room(path):
    db = open_database(path, instance_lock=False)
    return db, Repository(db, clinician="A. Therapist, PT")


def test_another_rooms_patient_shows_in_the_open_window(
    qtbot, tmp_path, clinic, make_main_window, sample_patient
):
    from sijoint_exam.ui.clinic_sync import ClinicSync

    db_b, repo_b = _room(tmp_path / "b.sqlite3")
    db_a, repo_a = _room(tmp_path / "a.sqlite3")
    try:
        window = make_main_window(repo_b)
        syncing = ClinicSync(
            window,
            db_b,
            tmp_path / "b.sqlite3",
            clinic.url("room_b"),
            window.refresh_lists,
        )
        syncing.start()
        qtbot.waitUntil(lambda: "synced" in syncing.label.text(), timeout=20_000)
        assert window.patient_list.model.rowCount() == 0

        repo_a.add_patient(sample_patient(family_name="Osei"))
        sync(db_a, clinic.url("room_a"), "Room A")
        # Heard through LISTEN/NOTIFY, pulled on the worker thread, listed here.
        qtbot.waitUntil(
            lambda: window.patient_list.model.rowCount() == 1, timeout=20_000
        )

        repo_b.add_patient(sample_patient(mrn="B-1", family_name="Ngata"))
        syncing._check()  # the timer's tick: one change waits, so it syncs
        qtbot.waitUntil(lambda: syncing.waiting() == 0, timeout=20_000)
        qtbot.waitUntil(lambda: "synced" in syncing.label.text(), timeout=20_000)
        syncing.stop()
        qtbot.waitUntil(lambda: not syncing.syncing, timeout=20_000)
    finally:
        db_a.close()
        db_b.close()


def test_an_unreachable_server_shows_offline_since(
    qtbot, tmp_path, make_main_window, sample_patient
):
    from sijoint_exam.ui.clinic_sync import ClinicSync

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    db, repo = _room(tmp_path / "b.sqlite3")
    try:
        window = make_main_window(repo)
        repo.add_patient(sample_patient(mrn="B-1"))
        syncing = ClinicSync(
            window,
            db,
            tmp_path / "b.sqlite3",
            f"postgresql://room_b@127.0.0.1:{port}/clinic",
            window.refresh_lists,
        )
        syncing.start()
        qtbot.waitUntil(lambda: "offline since" in syncing.label.text(), timeout=30_000)
        assert f"127.0.0.1:{port}" in syncing.label.toolTip()
        assert syncing.waiting() == 1  # the change stays in the outbox
        syncing.stop()
        qtbot.waitUntil(lambda: not syncing.syncing, timeout=30_000)
    finally:
        db.close()


def test_another_rooms_unsigned_visit_is_read_only_and_says_where(
    qtbot, tmp_path, clinic, make_main_window, sample_patient, sample_visit
):
    db_a, repo_a = _room(tmp_path / "a.sqlite3")
    db_b, repo_b = _room(tmp_path / "b.sqlite3")
    try:
        patient_id = repo_a.add_patient(sample_patient())
        repo_a.save_visit(patient_id, sample_visit())
        sync(db_a, clinic.url("room_a"), "Room 2")
        sync(db_b, clinic.url("room_b"), "Front desk")
        window = make_main_window(repo_b)
        [here] = repo_b.search_patients("")
        [summary] = repo_b.list_visits(here.id)
        window.open_patient(here.id, summary.id)
        assert "in progress in Room 2" in window.widgets.header_label.text()
        assert not window.form.isEnabled()
        assert not window.menu_actions.save.isEnabled()
        assert not window.menu_actions.sign.isEnabled()
        state = window.visit_list.model.index(0, 5).data()
        assert state == "in progress in Room 2"
    finally:
        db_a.close()
        db_b.close()


def test_an_encrypted_database_is_not_synced_in_the_background(
    make_main_window, settings, tmp_path
):
    """The window keeps no passphrase for a second connection: it says to use
    the command instead of syncing."""
    from dataclasses import replace

    from PySide6.QtWidgets import QApplication

    from sijoint_exam.app import _start_clinic_sync

    settings.preferences = replace(
        settings.preferences, clinic_server="postgresql://room_b@127.0.0.1/clinic"
    )
    window = make_main_window()
    app = QApplication.instance()
    _start_clinic_sync(app, window, None, tmp_path / "x.sqlite3", encrypted=True)
    assert "sijoint-exam sync" in window.statusBar().currentMessage()
    assert getattr(window, "clinic_sync", None) is None


def test_a_conflict_shows_in_the_status_bar_without_patient_details(
    qtbot, tmp_path, clinic, make_main_window, sample_patient
):
    from sijoint_exam.ui.clinic_sync import ClinicSync

    db_a, repo_a = _room(tmp_path / "a.sqlite3")
    db_b, repo_b = _room(tmp_path / "b.sqlite3")
    try:
        repo_a.add_patient(sample_patient())
        sync(db_a, clinic.url("room_a"), "Room A")
        repo_b.add_patient(sample_patient(family_name="Lee"))  # the same MRN
        window = make_main_window(repo_b)
        syncing = ClinicSync(
            window,
            db_b,
            tmp_path / "b.sqlite3",
            clinic.url("room_b"),
            window.refresh_lists,
        )
        syncing.start()
        qtbot.waitUntil(lambda: "conflict" in syncing.label.text(), timeout=20_000)
        assert syncing.label.text() == "Clinic server: 1 conflict to settle"
        assert "A-1001" in syncing.label.toolTip()
        syncing.stop()
        qtbot.waitUntil(lambda: not syncing.syncing, timeout=20_000)
    finally:
        db_a.close()
        db_b.close()
