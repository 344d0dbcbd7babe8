"""`sijoint-exam export --format fhir`: one visit or a period, logged, and refused
without the clinic's patient identifier system."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sijoint_exam.cli import main
from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from tests.exchange.conftest import SYSTEM
from tests.exchange.fhir_validation import problems

OTHER = Patient("B/7", "Ñúñez", "José", dt.date(1960, 5, 1))


@pytest.fixture
def database(tmp_path, sample_patient, sample_visit) -> Path:
    """Visit 1 (2026-11-20, signed) of A-1001; visit 2 (2026-12-05) of B/7."""
    path = tmp_path / "clinic.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        first = repo.add_patient(sample_patient())
        assert repo.save_visit(first, sample_visit()) == 1
        repo.sign_visit(1, "J. Doe, PT")
        second = repo.add_patient(OTHER)
        assert repo.save_visit(second, Visit(date=dt.date(2026, 12, 5))) == 2
    return path


def _exports(database: Path, visit_id: int) -> list[str]:
    with open_database(database, instance_lock=False) as db:
        entries = Repository(db).audit_log("visit", visit_id)
    return [e.detail for e in entries if e.action == "export"]


def test_one_visit_to_a_file(database, tmp_path) -> None:
    target = tmp_path / "visit-1.json"
    argv = ["--db", str(database), "export", "1", "--format", "fhir"]
    assert main([*argv, "--identifier-system", SYSTEM, "-o", str(target)]) == 0
    bundle = json.loads(target.read_text("utf-8"))
    assert problems(bundle) == []
    assert bundle["entry"][0]["resource"]["identifier"][0]["value"] == "A-1001"
    assert _exports(database, 1) == [f"FHIR R4 bundle: {target}"]


def test_identifier_system_from_settings(database, capsys) -> None:
    from sijoint_exam.paths import settings_path
    from sijoint_exam.ui.preferences import Preferences
    from sijoint_exam.ui.settings import Settings

    settings_path().parent.mkdir(parents=True)
    Settings(settings_path()).preferences = replace(
        Preferences(), patient_identifier_system=SYSTEM
    )
    assert main(["--db", str(database), "export", "2", "--format", "fhir"]) == 0
    bundle = json.loads(capsys.readouterr().out)
    assert bundle["entry"][0]["request"]["url"] == f"Patient?identifier={SYSTEM}|B/7"
    assert _exports(database, 2) == ["FHIR R4 bundle: standard output"]


def test_refused_without_an_identifier_system(database, tmp_path, capsys) -> None:
    target = tmp_path / "visit-1.json"
    argv = ["--db", str(database), "export", "1", "--format", "fhir", "-o", str(target)]
    assert main(argv) == 2
    assert "--identifier-system: no patient identifier system is set" in (
        capsys.readouterr().err
    )
    assert not target.exists()
    assert _exports(database, 1) == []


def test_a_period_one_bundle_per_visit(database, tmp_path, capsys) -> None:
    out = tmp_path / "fhir"
    out.mkdir()
    argv = ["--db", str(database), "export", "--format", "fhir"]
    period = ["--from", "2026-11-01", "--to", "2026-12-31", "--out-dir", str(out)]
    assert main([*argv, *period, "--identifier-system", SYSTEM]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "fhir-A-1001-2026-11-20-1.json",
        "fhir-B_7-2026-12-05-2.json",  # the MRN made safe for a file name
    ]
    for path in out.iterdir():
        assert problems(json.loads(path.read_text("utf-8"))) == []
    assert "2 FHIR bundle(s) written" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["1", "--from", "2026-01-01"], "--from/--to/--out-dir: not with VISIT_ID"),
        (["--from", "2026-12-01", "--to", "2026-11-01", "--out-dir", "."], "is after"),
        (["--from", "2026-11-01"], "--to: required for a period"),
        (["9"], "VISIT_ID: there is no visit with id 9"),
        (["1", "--identifier-system", "MRN"], "'MRN' is not an absolute URI"),
    ],
)
def test_bad_arguments_are_named(database, capsys, extra, message) -> None:
    argv = ["--db", str(database), "export", "--format", "fhir", *extra]
    if "--identifier-system" not in extra:
        argv += ["--identifier-system", SYSTEM]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_json_format_refuses_the_fhir_options(database, capsys) -> None:
    argv = ["--db", str(database), "export", "1", "--format", "json"]
    assert main([*argv, "--identifier-system", SYSTEM]) == 2
    assert "--identifier-system: only with --format fhir" in capsys.readouterr().err


def test_a_long_period_renders_the_notes_in_workers_alike(
    tmp_path, sample_patient, sample_visit
) -> None:
    import base64

    from sijoint_exam.cli.report_commands import PARALLEL_FROM

    path = tmp_path / "many.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        for n in range(PARALLEL_FROM + 1):
            pid = repo.add_patient(sample_patient(mrn=f"P-{n}"))
            repo.save_visit(pid, sample_visit(date=dt.date(2026, 11, 1 + n)))
    out = tmp_path / "fhir"
    out.mkdir()
    argv = ["--db", str(path), "export", "--format", "fhir", "--out-dir", str(out)]
    period = ["--from", "2026-11-01", "--to", "2026-11-30"]
    assert main([*argv, *period, "--identifier-system", SYSTEM]) == 0
    files = sorted(out.iterdir())
    assert len(files) == PARALLEL_FROM + 1
    single = tmp_path / "one.json"
    assert main(["--db", str(path), "export", "5", "--format", "fhir",
                 "--identifier-system", SYSTEM, "-o", str(single)]) == 0  # fmt: skip

    def note_pdf(bundle_path: Path) -> bytes:
        bundle = json.loads(bundle_path.read_text("utf-8"))
        (note,) = [
            e["resource"]
            for e in bundle["entry"]
            if e["resource"]["resourceType"] == "DocumentReference"
        ]
        return base64.b64decode(note["content"][0]["attachment"]["data"])

    (fifth,) = [f for f in files if f.name.endswith("-5.json")]
    assert note_pdf(fifth).startswith(b"%PDF")
    # Rendered in a worker or here, the same visit's note is the same bytes.
    assert note_pdf(fifth) == note_pdf(single)
    assert problems(json.loads(fifth.read_text("utf-8"))) == []
