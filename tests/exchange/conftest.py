"""What the exchange tests share: the sample visit and a store with it signed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sijoint_exam.domain.note import Letterhead
from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.domain.visit_file import parse_document
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-visit.json"
SYSTEM = "urn:oid:2.16.840.1.113883.19.5"  # HL7's example OID for an organisation
SIGNER = "J. Doe, PT"
ADDENDUM = "Sexual dysfunction asked by phone: no."


@pytest.fixture(scope="session")
def sample() -> tuple[Patient, Visit]:
    parsed = parse_document(
        json.loads(SAMPLE.read_text("utf-8")), dt.date(2026, 12, 31)
    )
    assert not isinstance(parsed, list)
    return parsed


@pytest.fixture
def signed_store(tmp_path, sample):
    """A database with the sample visit (id 1) signed, with one addendum, and an
    unsigned copy of it (id 2); yields the open repository."""
    patient, visit = sample
    with open_database(tmp_path / "clinic.sqlite3") as db:
        repo = Repository(db)
        patient_id = repo.add_patient(patient)
        assert repo.save_visit(patient_id, visit) == 1
        repo.sign_visit(1, SIGNER)
        repo.add_addendum(1, ADDENDUM, SIGNER)
        assert repo.save_visit(patient_id, visit) == 2
        yield repo


LETTERHEAD = Letterhead("Sample Spine Clinic")
