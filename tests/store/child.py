"""A second process for the store's tests: python tests/store/child.py MODE DB ...

Modes:
    drafts DB           autosave a draft per "edit" forever, printing each edit's
                        number once its transaction has committed
    writer DB NAME N    print "ready", wait for a line on stdin, then save N
                        patients with a visit each (no instance lock), print "done"
    hold DB             open DB with the instance lock, print "open", and keep it
                        open until stdin closes
    try DB              try to open DB with the instance lock; print "opened" or
                        "in use: <message>"
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.store.database import DatabaseInUseError, open_database
from sijoint_exam.store.repository import Repository

DAY = dt.date(2026, 11, 20)


def drafts(path: Path) -> None:
    with open_database(path) as db:
        repo = Repository(db)
        patient_id = repo.search_patients("D-0001")[0].id
        edit = 0
        while True:
            edit += 1
            repo.save_draft(
                patient_id, None, Visit(date=DAY, chief_complaint=f"edit {edit}")
            )
            print(edit, flush=True)


def writer(path: Path, name: str, count: int) -> None:
    with open_database(path, instance_lock=False) as db:
        repo = Repository(db)
        print("ready", flush=True)
        sys.stdin.readline()
        for number in range(count):
            patient = Patient(f"{name}-{number}", name, f"No {number}", DAY)
            patient_id = repo.add_patient(patient)
            repo.save_visit(patient_id, Visit(date=DAY, clinician=name))
        print("done", flush=True)


def hold(path: Path) -> None:
    with open_database(path):
        print("open", flush=True)
        sys.stdin.read()


def attempt(path: Path) -> None:
    try:
        with open_database(path):
            print("opened", flush=True)
    except DatabaseInUseError as error:
        print(f"in use: {error}", flush=True)


if __name__ == "__main__":
    mode, database, *rest = sys.argv[1:]
    if mode == "drafts":
        drafts(Path(database))
    elif mode == "writer":
        writer(Path(database), rest[0], int(rest[1]))
    elif mode == "hold":
        hold(Path(database))
    elif mode == "try":
        attempt(Path(database))
    else:
        raise SystemExit(f"unknown mode {mode}")
