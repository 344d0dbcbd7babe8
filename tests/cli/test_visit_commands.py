"""`score`, `import`, `export` in a subprocess, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-visit.json"


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    # The user's folders are never touched: XDG points into the test's folder.
    env = {
        **{k: v for k, v in os.environ.items() if k != "SIJOINT_EXAM_DB"},
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    return subprocess.run(
        [sys.executable, "-m", "sijoint_exam", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
    )


def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def refused(result: subprocess.CompletedProcess[str], *lines: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    for line in lines:
        assert line in result.stderr.splitlines(), result.stderr


# ---------------------------------------------------------------------------
# score
# ---------------------------------------------------------------------------


def test_score_json_is_the_printed_sample_output(tmp_path):
    result = run("score", str(SAMPLE), "--json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["cluster"]["result"] == "positive"
    assert (out["cluster"]["positive"], out["cluster"]["negative"]) == (3, 2)
    assert out["cluster"]["per_side"] == {"left": 3, "right": 0}
    assert out["cluster"]["post_test_probability"] == 0.501
    assert out["cluster"]["post_test_interval"] == [0.338, 0.664]
    assert out["headline"] == {"kind": "cluster_positive", "sides": ["left"]}
    assert out["cluster"]["likelihood_ratio"] == 4.02
    (block,) = out["blocks"]
    assert (block["peak_relief_percent"], block["result"]) == (86, "positive")
    assert out["comparative"] is None
    assert out["odi"] == {"percent": 51.1, "band": "severe", "answered": 9}
    assert out["aslr_total"] == 2
    assert out["red_flags"] == {"emergency": False, "undocumented": ["sexual"]}
    assert result.stderr == ""


def test_score_text(tmp_path):
    result = run("score", str(SAMPLE), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Visit 2026-11-20 — Kim, Sungae (A-1001)\n")
    assert "3 of 5 positive on the left — cluster positive — consistent with SIJ" in (
        result.stdout
    )
    assert "ODI 2.1a: 51.1% — severe disability" in result.stdout


def test_score_needs_no_database(tmp_path):
    run("score", str(SAMPLE), home=tmp_path)
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        (
            lambda d: d["visit"]["pain"].update(now=11),
            "visit.pain.now: 11 is outside 0–10",
        ),
        (
            lambda d: d.update(version=2),
            "version: 2 is not supported (this program reads version 1)",
        ),
        (
            lambda d: d["visit"]["pain"].update(nwo=3),
            "visit.pain.nwo: unknown key (allowed: now, best_24h, worst_24h, regions)",
        ),
        (
            lambda d: d["visit"].update(date="1978-01-01", history={}),
            "visit.date: 1978-01-01 is before the date of birth 1978-03-14",
        ),
        (
            lambda d: d["visit"]["blocks"][0].update(pre=0),
            "visit.blocks[0].pre: 0 is refused: relief cannot be computed (1–10)",
        ),
    ],
)
def test_score_refuses_an_invalid_file_naming_the_field(tmp_path, edit, line):
    doc = sample()
    edit(doc)
    result = run("score", str(write(tmp_path / "bad.json", doc)), home=tmp_path)
    refused(result, line)


def test_score_gives_every_problem_one_line_each(tmp_path):
    doc = sample()
    doc["visit"]["pain"]["now"] = 11
    doc["visit"]["aslr"]["left"] = 9
    doc["visit"]["odi"]["answers"][0] = 7
    result = run("score", str(write(tmp_path / "bad.json", doc)), home=tmp_path)
    refused(
        result,
        "visit.pain.now: 11 is outside 0–10",
        "visit.odi.answers[0]: 7 is outside 0–5",
        "visit.aslr.left: 9 is outside 0–5",
    )
    assert len(result.stderr.splitlines()) == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{\n", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"<visit/>", "not valid JSON"),
        (b'{"version": NaN}', "not valid JSON: NaN is not a JSON number"),
        (b'{"a": 1, "a": 2}', "not valid JSON: the key 'a' appears twice"),
        (b"\xff\xfe{}", "not UTF-8 text"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b"a" * 5_000_000, "larger than 1024 KiB, not a visit file"),
        (b"[1, 2]", "document: [1, 2] is not a JSON object"),
    ],
)
def test_score_refuses_what_is_not_a_visit_file(tmp_path, content, message):
    path = tmp_path / "odd.json"
    path.write_bytes(content)
    result = run("score", str(path), home=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert message in line


def test_score_of_a_missing_file_is_a_failure_to_open(tmp_path):
    result = run("score", str(tmp_path / "none.json"), home=tmp_path)
    assert result.returncode == 1
    assert "none.json: cannot be read" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------------------
# import and export
# ---------------------------------------------------------------------------


def test_import_then_export_gives_the_file_back(tmp_path):
    db = str(tmp_path / "clinic.sqlite3")
    result = run("import", str(SAMPLE), "--db", db, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1\n"
    exported = run("export", "1", "--format", "json", "--db", db, home=tmp_path)
    assert exported.returncode == 0, exported.stderr
    expected = sample()
    # An explicit not_tested is the same as an omitted test: left out.
    del expected["visit"]["provocation"]["sacral_thrust"]
    assert json.loads(exported.stdout) == expected
    assert list(json.loads(exported.stdout)["visit"]) == list(expected["visit"])


def test_a_signed_visit_is_exported_with_its_acknowledged_checks(tmp_path):
    from sijoint_exam.store.database import open_database
    from sijoint_exam.store.repository import Repository

    db = tmp_path / "clinic.sqlite3"
    run("import", str(SAMPLE), str(SAMPLE), "--db", str(db), home=tmp_path)
    with open_database(db) as opened:
        Repository(opened).sign_visit(1, "J. Doe, PT", ["unguided_block"])
    signed = run("export", "1", "--format", "json", "--db", str(db), home=tmp_path)
    unsigned = run("export", "2", "--format", "json", "--db", str(db), home=tmp_path)
    exported = json.loads(signed.stdout)
    assert exported["visit"]["signing"] == {"acknowledged_checks": ["unguided_block"]}
    assert "signing" not in json.loads(unsigned.stdout)["visit"]
    # The export of a signed visit is accepted; the visit it makes is unsigned.
    again = run(
        "import",
        str(write(tmp_path / "signed.json", exported)),
        "--db",
        str(db),
        home=tmp_path,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == "3\n"
    third = run("export", "3", "--format", "json", "--db", str(db), home=tmp_path)
    assert json.loads(third.stdout) == json.loads(unsigned.stdout)


def test_export_to_a_file(tmp_path):
    db = str(tmp_path / "clinic.sqlite3")
    run("--db", db, "import", str(SAMPLE), home=tmp_path)
    target = tmp_path / "out.json"
    args = ("--db", db, "export", "1", "--format", "json", "-o", str(target))
    result = run(*args, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    to_stdout = run("--db", db, "export", "1", "--format", "json", home=tmp_path)
    assert target.read_text(encoding="utf-8") == to_stdout.stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_each_import_is_a_new_visit_of_the_same_patient(tmp_path):
    db = str(tmp_path / "clinic.sqlite3")
    result = run("import", str(SAMPLE), str(SAMPLE), "--db", db, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["1", "2"]
    again = run("import", str(SAMPLE), "--db", db, home=tmp_path)
    assert again.stdout == "3\n"
    for visit_id in ("1", "3"):
        out = run("export", visit_id, "--format", "json", "--db", db, home=tmp_path)
        assert json.loads(out.stdout)["patient"] == sample()["patient"]


def test_an_mrn_of_someone_else_is_refused_and_nothing_is_written(tmp_path):
    db = str(tmp_path / "clinic.sqlite3")
    run("import", str(SAMPLE), "--db", db, home=tmp_path)
    doc = sample()
    doc["patient"]["given_names"] = "Minji"
    other = write(tmp_path / "other.json", doc)
    result = run("import", str(other), "--db", db, home=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{other}: patient.mrn: 'A-1001' belongs to Kim, Sungae")
    missing = run("export", "2", "--format", "json", "--db", db, home=tmp_path)
    assert missing.returncode == 2


def test_two_files_that_disagree_about_an_mrn_are_refused(tmp_path):
    doc = sample()
    doc["patient"]["date_of_birth"] = "1980-01-01"
    other = write(tmp_path / "other.json", doc)
    db = tmp_path / "clinic.sqlite3"
    result = run("import", str(SAMPLE), str(other), "--db", str(db), home=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "patient.mrn" in result.stderr


def test_one_invalid_file_imports_nothing(tmp_path):
    doc = sample()
    doc["visit"]["pain"]["now"] = 11
    bad = write(tmp_path / "bad.json", doc)
    db = tmp_path / "clinic.sqlite3"
    result = run("import", str(SAMPLE), str(bad), "--db", str(db), home=tmp_path)
    refused(result, f"{bad}: visit.pain.now: 11 is outside 0–10")
    assert not db.exists()


def test_export_of_an_unknown_visit(tmp_path):
    db = str(tmp_path / "clinic.sqlite3")
    run("import", str(SAMPLE), "--db", db, home=tmp_path)
    result = run("export", "42", "--format", "json", "--db", db, home=tmp_path)
    refused(result, "VISIT_ID: there is no visit with id 42")


def test_export_without_a_database(tmp_path):
    db = tmp_path / "none.sqlite3"
    result = run("export", "1", "--format", "json", "--db", str(db), home=tmp_path)
    assert result.returncode == 1
    assert "none.sqlite3" in result.stderr and "Traceback" not in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("export", "one", "--format", "json"),
        ("export", "1", "--format", "xml"),
        ("export", "1"),
        ("import",),
        ("score",),
    ],
)
def test_bad_arguments(tmp_path, args):
    result = run(*args, home=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_the_window_start_does_not_import_the_store_or_the_rules(tmp_path):
    code = (
        "import sys, sijoint_exam.cli as cli\n"
        "cli.build_parser()\n"
        "print(sorted(m for m in sys.modules if m.startswith("
        "('sijoint_exam.store', 'sijoint_exam.domain.score', "
        "'sijoint_exam.domain.visit_file'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
