"""The hostile-file corpus (tests/data/hostile/): each file is refused by `import`
with exit status 2 and one line naming the field, and the database is left
byte for byte as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sijoint_exam.cli import main
from tests.cli.test_visit_commands import SAMPLE, run, write

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"

# Each file, and the start of the one line that refuses it (after "FILE: ").
EXPECTED = {
    "mrn-nul.json": "patient.mrn: character 5 is a control character (U+0000 NUL)",
    "mrn-right-to-left-override.json": "patient.mrn: character 3 is a "
    "bidirectional control character (U+202E RIGHT-TO-LEFT OVERRIDE)",
    "mrn-delete-character.json": "patient.mrn: character 7 is a control "
    "character (U+007F DELETE)",
    "mrn-lone-surrogate.json": "patient.mrn: character 3 is an unpaired surrogate",
    "mrn-too-long.json": "patient.mrn: is 102 characters long; at most 40",
    "family-name-nul.json": "patient.family_name: character 4 is a control",
    "family-name-right-to-left-override.json": "patient.family_name: character 1 "
    "is a bidirectional control character (U+202E",
    "family-name-500-kb.json": "patient.family_name: is 500,000 characters long; "
    "at most 200",
    "given-names-isolate.json": "patient.given_names: character 4 is a "
    "bidirectional control character (U+2066",
    "clinician-line-feed.json": "visit.clinician: character 11 is a control "
    "character (U+000A LINE FEED), refused in identifiers and names",
    "recipient-embedding.json": "visit.referral.recipient: character 1 is a "
    "bidirectional control character (U+202B",
    "chief-complaint-nul.json": "visit.chief_complaint: character 13 is a control "
    "character (U+0000 NUL), refused in free text",
    "plan-terminal-escape.json": "visit.plan: character 7 is a control character "
    "(U+001B ESCAPE)",
    "assessment-c1-control.json": "visit.assessment: character 9 is a control "
    "character (U+009B)",
    "test-note-too-long.json": "visit.provocation.faber.note: is 12,000 characters "
    "long; at most 10,000",
    "referral-10000-copies.json": "visit.referral.copies: has 10,000 items; at most 20",
    "pain-10000-regions.json": "visit.pain.regions: has 10,000 items; at most 19",
    "block-10000-readings.json": "visit.blocks[0].readings: has 10,000 items; at "
    "most 50",
    "visit-1000-blocks.json": "visit.blocks: has 1,000 items; at most 20",
    "odi-1000-answers.json": "visit.odi.answers: has 1,000 items; at most 10",
    "alignment-500-patterns.json": "visit.alignment.patterns: has 500 items; at "
    "most 32",
    "key-with-nul.json": "visit: character 5 of a key is a control character",
    "acknowledged-check-unknown.json": 'visit.signing.acknowledged_checks[0]: "sign_'
    'anyway" is not one of',
    "pain-nested-500-deep.json": "visit.pain: [[[",
}


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 20


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the sample visit, as a clinic's would."""
    path = tmp_path_factory.mktemp("hostile") / "clinic.sqlite3"
    assert main(["import", str(SAMPLE), "--db", str(path)]) == 0
    return path


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_is_refused_with_one_line_naming_the_field(
    name: str, database: Path, capsys
) -> None:
    capsys.readouterr()
    before = database.read_bytes()
    path = HOSTILE / name
    assert main(["import", str(path), "--db", str(database)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith(f"{path}: {EXPECTED[name]}"), line
    assert database.read_bytes() == before
    assert not database.with_name(database.name + "-wal").exists()


def test_the_whole_corpus_at_once_in_a_process_of_its_own(tmp_path: Path) -> None:
    db = tmp_path / "clinic.sqlite3"
    assert run("import", str(SAMPLE), "--db", str(db), home=tmp_path).returncode == 0
    before = db.read_bytes()
    files = sorted(str(p) for p in HOSTILE.iterdir())
    result = run("import", *files, "--db", str(db), home=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == len(files)
    assert db.read_bytes() == before


def test_score_refuses_them_too(capsys) -> None:
    assert main(["score", str(HOSTILE / "mrn-nul.json")]) == 2
    assert capsys.readouterr().err.startswith("patient.mrn: character 5")


def test_at_most_twenty_problem_lines_then_how_many_more(tmp_path: Path, capsys):
    doc = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for i in range(35):
        doc["visit"][f"extra_{i}"] = 1
    path = write(tmp_path / "many.json", doc)
    assert main(["score", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 21
    assert lines[0].startswith("visit.extra_0: unknown key")
    assert lines[-1] == "and 15 more"
    assert main(["import", str(path), "--db", str(tmp_path / "c.sqlite3")]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1] == f"{path}: and 15 more"
    assert not (tmp_path / "c.sqlite3").exists()


def test_the_ten_thousand_regions_give_one_line_not_ten_thousand(capsys) -> None:
    """Before the limits, 10,000 regions were refused with 9,999 lines."""
    assert main(["score", str(HOSTILE / "pain-10000-regions.json")]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1
