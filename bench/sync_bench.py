"""The clinic server: 10,000 visits from one room to another, and the time from a
change in room A to room B having it.

A throwaway PostgreSQL is started on a loopback port (as the tests start it).
Room A records 10,000 visits (2,500 patients, half of the visits signed) and
syncs; room B, new, syncs and takes them all in. Then room A saves one visit and
syncs it, while room B waits on LISTEN/NOTIFY and pulls as soon as it hears:
the figure is from A's save to B's repository listing the visit. An open window
does the same on its worker thread (it listens, it does not poll).
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.measure import report
from bench.store_bench import visit_variants
from sijoint_exam.domain import visit_file
from sijoint_exam.domain.visit import Patient, Sex
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.store.server import admin
from sijoint_exam.store.server.listen import ChangeListener
from sijoint_exam.store.server.sync import sync
from sijoint_exam.store.sync_tables import workstation
from sijoint_exam.store.transactions import immediate

VISITS = 10_000
PER_PATIENT = 4
LATENCY_RUNS = 7


def _record(repo: Repository, db) -> None:
    contents = visit_variants(1000)
    with immediate(db):
        for number in range(VISITS // PER_PATIENT):
            patient_id = repo.add_patient(
                Patient(
                    mrn=f"B-{number:05d}",
                    family_name=f"Family{number}",
                    given_names="Alex",
                    date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=number),
                    sex=Sex.FEMALE,
                )
            )
            for visit_number in range(PER_PATIENT):
                index = number * PER_PATIENT + visit_number
                visit = visit_file.visit_from_dict(contents[index % len(contents)])
                visit_id = repo.save_visit(patient_id, visit)
                if index % 2:
                    repo.sign_visit(visit_id)


def _latency_ms(
    repo_a: Repository, db_a, path_b: Path, url_a: str, url_b: str
) -> float:
    """From A saving a visit to B listing it. B runs as an open window does: in
    its own thread (with its own connection), listening, pulling when it hears."""
    [patient] = repo_a.search_patients("Family0 ", limit=1)
    mrn = patient.patient.mrn
    ready, seen = threading.Event(), threading.Event()

    def room_b_window() -> None:
        with open_database(path_b, instance_lock=False) as db_b:
            repo_b = Repository(db_b)
            [here] = repo_b.search_patients(mrn, limit=1)
            before = len(repo_b.list_visits(here.id))
            listener = ChangeListener(url_b, workstation(db_b)[0])
            ready.set()
            try:
                while not seen.is_set() and listener.wait(30):
                    sync(db_b, url_b, "Room B")
                    if len(repo_b.list_visits(here.id)) > before:
                        seen.set()
            finally:
                listener.close()

    thread = threading.Thread(target=room_b_window)
    thread.start()
    ready.wait(60)
    started = time.perf_counter()
    visit = repo_a.get_visit(repo_a.list_visits(patient.id)[0].id)
    repo_a.save_visit(patient.id, visit)
    sync(db_a, url_a, "Room A")
    seen.wait(60)
    elapsed = (time.perf_counter() - started) * 1000
    thread.join()
    return elapsed


def main() -> bool:
    from tests.clinic_server import ClinicServer, _account, find_bindir, server_folder

    bindir = find_bindir()
    if bindir is None:
        print(
            "  sync: no PostgreSQL >= 15 found (scripts/bootstrap-system.sh --server)"
        )
        return False
    account = _account()
    folder = server_folder(account)
    server = ClinicServer(bindir, folder, account)
    server.initdb()
    server.start_on_a_free_port()
    try:
        database = server.new_database()
        admin.initialise(server.url(database=database))
        for role in ("room_a", "room_b"):
            server.admin_execute(
                f"CREATE ROLE {role} LOGIN IN ROLE sijoint_exam_workstation"
            )
        url_a = server.url("room_a", database)
        url_b = server.url("room_b", database)
        with tempfile.TemporaryDirectory() as tmp:
            db_a = open_database(Path(tmp) / "a.sqlite3")
            db_b = open_database(Path(tmp) / "b.sqlite3", instance_lock=False)
            repo_a = Repository(db_a, clinician="A. Therapist, PT")
            _record(repo_a, db_a)
            started = time.perf_counter()
            sent = sync(db_a, url_a, "Room A")
            push_s = time.perf_counter() - started
            started = time.perf_counter()
            got = sync(db_b, url_b, "Room B")
            pull_s = time.perf_counter() - started
            assert sent.sent_visits == got.received_visits == VISITS
            db_b.close()
            latencies = [
                _latency_ms(repo_a, db_a, Path(tmp) / "b.sqlite3", url_a, url_b)
                for _ in range(LATENCY_RUNS)
            ]
            db_a.close()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"  sync: {VISITS} visits sent in {push_s:.1f} s, taken in by another room "
        f"in {pull_s:.1f} s; change in room A to room B: median "
        f"{statistics.median(latencies):.0f} ms of {LATENCY_RUNS} (LISTEN/NOTIFY)"
    )
    return all(
        [
            report("sync: send 10,000 visits (room A)", push_s, 10, "s"),
            report("sync: take in 10,000 visits (room B)", pull_s, 15, "s"),
            report(
                "sync: change in room A seen in room B",
                statistics.median(latencies),
                1000,
                "ms",
            ),
        ]
    )
