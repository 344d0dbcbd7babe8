"""`sijoint-exam export-research`: nothing that identifies a patient leaves.

The database holds names, MRNs, full dates and free text made of words found nowhere
in the program (so a match can only be a leak); every output file is searched.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from sijoint_exam.cli import main
from sijoint_exam.domain.block import Block, BlockSide, Guidance, Reading
from sijoint_exam.domain.catalogue import Agent
from sijoint_exam.domain.visit import History, Patient, ProvocationFinding, Referral
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from tests.exchange.redcap_check import data_problems, dictionary_problems

FREE_TEXT = {
    "chief_complaint": "Quorvath ache near Zembla ridge",
    "assessment": "Plinthar pattern, Vexmoor sign",
    "plan": "Drellick programme, Ostrava review",
    "note": "Gruntfell wince",
    "history": "Fell from a Kappelwyn ladder",
    "referral": "Dr Talvenor, Briskwater Hall",
    "addendum": "Yarrowquist phoned back",
    "concentration": "Mirtelline 1%",
}
PATIENTS = (
    Patient("MRN-73120", "Haddawayne", "Ilsabet", dt.date(1931, 4, 17)),  # 95
    Patient("MRN-88415", "Okonkwerre", "Tobiah", dt.date(1984, 9, 3)),
)
DATES = (dt.date(2026, 10, 14), dt.date(2026, 11, 2))


@pytest.fixture
def database(tmp_path, sample_visit) -> Path:
    path = tmp_path / "clinic.sqlite3"
    block = Block(
        date=DATES[1], number=1, side=BlockSide.LEFT, agent=Agent.LIDOCAINE, pre=8,
        concentration=FREE_TEXT["concentration"], guidance=Guidance.FLUOROSCOPY,
        readings=(Reading(30, 1),),
    )  # fmt: skip
    with open_database(path) as db:
        repo = Repository(db)
        for patient in PATIENTS:
            pid = repo.add_patient(patient)
            for day in DATES:
                visit = sample_visit(
                    date=day,
                    clinician="Brannagh Quell, PT",
                    chief_complaint=FREE_TEXT["chief_complaint"],
                    assessment=FREE_TEXT["assessment"],
                    plan=FREE_TEXT["plan"],
                    history=History(
                        onset=dt.date(2026, 6, 9), mechanism=FREE_TEXT["history"]
                    ),
                    referral=Referral(recipient=FREE_TEXT["referral"]),
                    blocks=(block,),
                )
                findings = dict(visit.provocation)
                findings["compression"] = ProvocationFinding(
                    result=findings["compression"].result, note=FREE_TEXT["note"]
                )
                visit_id = repo.save_visit(pid, replace(visit, provocation=findings))
            repo.sign_visit(visit_id, "Brannagh Quell, PT")
            repo.add_addendum(visit_id, FREE_TEXT["addendum"], "Brannagh Quell, PT")
    return path


def _run(database: Path, out: Path, *extra: str) -> int:
    argv = ["--db", str(database), "export-research", "--from", "2026-01-01"]
    return main([*argv, "--to", "2026-12-31", "--out-dir", str(out), *extra])


def test_nothing_identifying_in_any_file(database, tmp_path) -> None:
    out = tmp_path / "dataset"
    out.mkdir()
    key = tmp_path / "private" / "key.csv"
    key.parent.mkdir()
    assert _run(database, out, "--keep-key", str(key)) == 0
    files = sorted(out.iterdir())
    assert [f.name for f in files] == [
        "blocks.csv",
        "data_dictionary.csv",
        "tests.csv",
        "visits.csv",
    ]
    text = "\n".join(f.read_text("utf-8") for f in files)
    forbidden = [w for p in PATIENTS for w in (p.mrn, p.family_name, p.given_names)]
    forbidden += ["Brannagh", "Quell"]
    forbidden += [
        w for t in FREE_TEXT.values() for w in re.findall(r"[A-Z][a-z]{4,}", t)
    ]
    assert len(forbidden) >= 20
    assert [w for w in forbidden if w.lower() in text.lower()] == []
    assert re.search(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}", text) is None
    visits = list(csv.DictReader(io.StringIO((out / "visits.csv").read_text("utf-8"))))
    assert len(visits) == 4
    assert {v["visit_year"] for v in visits} == {"2026"}
    assert sorted({v["age_at_visit"] for v in visits}) == ["42", "90+"]
    dictionary = (out / "data_dictionary.csv").read_text("utf-8")
    assert dictionary_problems(dictionary) == []
    for name in ("visits.csv", "tests.csv", "blocks.csv"):
        assert data_problems(dictionary, (out / name).read_text("utf-8")) == []
    # The key: owner-only, one row per patient.
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(key.read_text("utf-8"))))
    assert rows[0] == ["record_id", "mrn"]
    assert sorted(r[1] for r in rows[1:]) == sorted(p.mrn for p in PATIENTS)


def test_without_keep_key_no_key_is_written(database, tmp_path) -> None:
    out = tmp_path / "dataset"
    out.mkdir()
    assert _run(database, out) == 0
    assert len(list(out.iterdir())) == 4
    assert list(tmp_path.glob("**/*key*")) == []


def test_refuses_to_overwrite_or_keep_the_key_beside(
    database, tmp_path, capsys
) -> None:
    out = tmp_path / "dataset"
    out.mkdir()
    assert _run(database, out, "--keep-key", str(out / "key.csv")) == 2
    assert "must not be kept beside the dataset" in capsys.readouterr().err
    assert list(out.iterdir()) == []
    assert _run(database, out) == 0
    assert _run(database, out) == 2
    assert "choose an empty folder" in capsys.readouterr().err


def test_files_are_owner_only_and_a_failed_key_leaves_nothing(
    database, tmp_path, capsys
) -> None:
    out = tmp_path / "dataset"
    out.mkdir()
    missing = tmp_path / "no-such-folder" / "key.csv"
    assert _run(database, out, "--keep-key", str(missing)) == 1
    assert "cannot write" in capsys.readouterr().err
    assert list(out.iterdir()) == []  # the dataset went with the key that failed
    assert _run(database, out) == 0
    modes = {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == {0o600}
