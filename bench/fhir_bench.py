"""FHIR export of 1,000 visits: the whole command (note PDFs included) against the
PDF batch export of the same visits, and the Bundles alone (no PDF rendering)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import report

VISITS = 1000
SYSTEM = "urn:oid:2.16.840.1.113883.19.5"


def _clinic(path: Path) -> int:
    """A database of demo patients with at least VISITS visits; how many it has."""
    from sijoint_exam.domain.demo import demo_clinic
    from sijoint_exam.store.database import open_database
    from sijoint_exam.store.repository import Repository

    count = 0
    with open_database(path) as db:
        repo = Repository(db)
        for patient, visits in demo_clinic(VISITS, dt.date(2026, 11, 20), seed=1000):
            patient_id = repo.add_patient(patient)
            for visit in visits:
                if count == VISITS:
                    return count
                repo.save_visit(patient_id, visit)
                count += 1
    return count


def _timed(command: list[str], env: dict[str, str], root: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=root, capture_output=True)
    return time.perf_counter() - start


def main(folder: Path, env: dict[str, str], root: Path) -> bool:
    database = folder / "fhir-bench.sqlite3"
    count = _clinic(database)
    fhir_out, pdf_out = folder / "fhir", folder / "pdf"
    fhir_out.mkdir()
    pdf_out.mkdir()
    period = ["--from", "2000-01-01", "--to", "2100-01-01"]
    program = [sys.executable, "-m", "sijoint_exam", "--db", str(database)]
    fhir_s = _timed(
        [*program, "export", "--format", "fhir", *period, "--out-dir", str(fhir_out),
         "--identifier-system", SYSTEM],
        env, root,
    )  # fmt: skip
    pdf_s = _timed(
        [*program, "export-pdf", *period, "--out-dir", str(pdf_out)], env, root
    )
    bundles_s = _bundles_only(database)
    size = sum(p.stat().st_size for p in fhir_out.iterdir()) / count / 1024
    print(
        f"  FHIR export of {count} visits: {fhir_s:.1f} s ({size:.0f} KiB a Bundle, "
        f"the note PDF inside); the PDF batch of the same visits {pdf_s:.1f} s; "
        f"the Bundles alone, no PDF rendering: {bundles_s:.1f} s"
    )
    return all(
        [
            report(f"FHIR export, {count} visits (command)", fhir_s, 120, "s"),
            report(f"FHIR Bundles alone, {count} visits", bundles_s, 10, "s"),
        ]
    )


def _bundles_only(database: Path) -> float:
    from sijoint_exam.exchange.fhir import build_bundle
    from sijoint_exam.exchange.fhir_bundle import VisitExport
    from sijoint_exam.store.database import open_database
    from sijoint_exam.store.repository import Repository

    with open_database(database, instance_lock=False) as db:
        repo = Repository(db)
        found = repo.visits_between(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
        stored = [
            (str(i), repo.get_patient(repo.visit_patient_id(i)), repo.get_visit(i))
            for i, _, _ in found
        ]
    pdf = b"%PDF-1.4" + bytes(40_000)  # the size of a typical note
    start = time.perf_counter()
    for key, patient, visit in stored:
        json.dumps(build_bundle(VisitExport(SYSTEM, key, patient, visit, pdf)))
    return time.perf_counter() - start
