"""`sync` from the command line: two rooms, a letter from the other room's exam,
an unreachable server, a conflict."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

from pypdf import PdfReader

from sijoint_exam.cli import main
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository


def _record(path, patient, visit, sign=True):
    with open_database(path, instance_lock=False) as db:
        repo = Repository(db, clinician="A. Therapist, PT")
        patient_id = repo.add_patient(patient)
        visit_id = repo.save_visit(patient_id, visit)
        if sign:
            repo.sign_visit(visit_id)


def test_room_b_writes_the_letter_for_the_exam_signed_in_room_a(
    tmp_path, clinic, sample_patient, sample_visit, capsys
):
    room_a, room_b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    _record(room_a, sample_patient(family_name="Ñúñez"), sample_visit())
    with open_database(room_b, instance_lock=False):
        pass
    sync = ["sync", "--room"]
    assert (
        main([*sync, "Room A", "--db", str(room_a), "--server", clinic.url("room_a")])
        == 0
    )
    assert (
        main(
            [*sync, "Front desk", "--db", str(room_b), "--server", clinic.url("room_b")]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "received 1 visit(s)" in out
    with open_database(room_b, instance_lock=False) as db:
        [visit_id] = [row[0] for row in db.execute("SELECT id FROM visit")]
    letter = tmp_path / "letter.pdf"
    assert (
        main(
            [
                "export-pdf",
                str(visit_id),
                "--kind",
                "referral",
                "-o",
                str(letter),
                "--db",
                str(room_b),
            ]
        )
        == 0
    )
    text = "".join(page.extract_text() for page in PdfReader(letter).pages)
    assert "Ñúñez" in text
    assert "DRAFT" not in text  # signed in Room A, signed here too
    exported = tmp_path / "visit.json"
    assert (
        main(
            [
                "export",
                str(visit_id),
                "--format",
                "json",
                "-o",
                str(exported),
                "--db",
                str(room_b),
            ]
        )
        == 0
    )
    assert '"thigh_thrust"' in exported.read_text("utf-8")


def test_the_server_from_the_environment(
    tmp_path, clinic, sample_patient, sample_visit, monkeypatch, capsys
):
    room_a = tmp_path / "a.sqlite3"
    _record(room_a, sample_patient(), sample_visit())
    monkeypatch.setenv("SIJOINT_EXAM_SERVER", clinic.url("room_a"))
    assert main(["sync", "--db", str(room_a)]) == 0
    assert "sent 1 visit(s)" in capsys.readouterr().out


def test_no_server_configured_says_how_to_give_one(tmp_path, capsys):
    assert main(["sync", "--db", str(tmp_path / "a.sqlite3")]) == 2
    assert "SIJOINT_EXAM_SERVER" in capsys.readouterr().err


def test_an_unreachable_server_fails_within_a_minute_in_one_line(tmp_path):
    """A port nothing answers on (a server switched off), in a real process."""
    room_a = tmp_path / "a.sqlite3"
    with open_database(room_a, instance_lock=False):
        pass
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sijoint_exam",
            "sync",
            "--db",
            str(room_a),
            "--server",
            f"postgresql://room_a@127.0.0.1:{port}/clinic",
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert time.monotonic() - started < 60
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert f"127.0.0.1:{port}/clinic" in line
    assert "could not connect" in line


def test_a_server_without_the_schema_says_to_run_server_init(
    tmp_path, clinic_server, capsys
):
    empty = clinic_server.new_database()
    room_a = tmp_path / "a.sqlite3"
    with open_database(room_a, instance_lock=False):
        pass
    url = clinic_server.url(database=empty)
    assert main(["sync", "--db", str(room_a), "--server", url]) == 1
    err = capsys.readouterr().err
    assert "server init" in err and err.count("\n") == 1


def test_a_restored_backup_is_refused_until_synced_as_a_new_room(
    tmp_path, clinic, sample_patient, sample_visit, capsys
):
    import shutil

    room_a = tmp_path / "a.sqlite3"
    _record(room_a, sample_patient(mrn="A-1"), sample_visit())
    sync = ["sync", "--db", str(room_a), "--server", clinic.url("room_a")]
    assert main(sync) == 0
    backup = tmp_path / "backup.sqlite3"
    assert main(["backup", str(backup), "--db", str(room_a)]) == 0
    _record(room_a, sample_patient(mrn="A-2"), sample_visit())
    assert main(sync) == 0
    shutil.copyfile(backup, room_a)
    for leftover in (tmp_path / "a.sqlite3-wal", tmp_path / "a.sqlite3-shm"):
        leftover.unlink(missing_ok=True)
    _record(room_a, sample_patient(mrn="A-3"), sample_visit())
    capsys.readouterr()
    assert main(sync) == 1
    assert "--as-new-room" in capsys.readouterr().err
    assert main([*sync, "--as-new-room"]) == 0
    with open_database(room_a, instance_lock=False) as db:
        mrns = {row[0] for row in db.execute("SELECT mrn FROM patient")}
    assert mrns == {"A-1", "A-2", "A-3"}
