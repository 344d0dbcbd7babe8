"""`sijoint-exam export-pdf`: one visit or a batch, logged, with the letterhead."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from sijoint_exam.cli import main
from sijoint_exam.cli.report_commands import _Progress
from sijoint_exam.domain.outcomes import Pain
from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.domain.visit_file import parse_document
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from tests.report.helpers import SAMPLE

OTHER = Patient("B-7", "Ñúñez", "José", dt.date(1960, 5, 1))


@pytest.fixture
def database(tmp_path) -> Path:
    """Visits 1 (2026-09-01) and 2 (2026-11-20, signed, one addendum) of the sample
    patient, and visit 3 (2026-12-05) of another."""
    import json

    patient, visit = parse_document(
        json.loads(SAMPLE.read_text("utf-8")), dt.date(2026, 12, 31)
    )
    path = tmp_path / "clinic.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        first = repo.add_patient(patient)
        earlier = replace(visit, date=dt.date(2026, 9, 1), pain=Pain(now=8))
        assert repo.save_visit(first, earlier) == 1
        assert repo.save_visit(first, visit) == 2
        repo.sign_visit(2, "J. Doe, PT")
        repo.add_addendum(2, "Sexual dysfunction asked by phone: no.", "J. Doe, PT")
        second = repo.add_patient(OTHER)
        assert repo.save_visit(second, Visit(date=dt.date(2026, 12, 5))) == 3
    return path


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def _exports(database: Path, visit_id: int) -> list[str]:
    with open_database(database, instance_lock=False) as db:
        entries = Repository(db).audit_log("visit", visit_id)
    return [e.detail for e in entries if e.action == "export"]


def test_one_signed_note_with_trend_and_addendum(database, tmp_path, capsys):
    target = tmp_path / "note.pdf"
    assert main(["export-pdf", "2", "-o", str(target), "--db", str(database)]) == 0
    text = _text(target)
    assert text.startswith("Kim, Sungae DOB 1978-03-14 MRN A-1001 Visit 2026-11-20")
    assert "Electronically signed by J. Doe, PT" in text and "DRAFT" not in text
    assert text.index("Electronically signed") < text.index("Addendum 1")
    assert "Pain NRS 8 → 6 since 2026-09-01" in text  # the earlier visit's trend
    assert _exports(database, 2) == [f"visit note PDF: {target}"]
    assert capsys.readouterr().err == ""


def test_a_referral_letter_of_a_draft(database, tmp_path):
    target = tmp_path / "letter.pdf"
    args = ["--db", str(database), "export-pdf", "1", "--kind", "referral", "-o"]
    assert main([*args, str(target)]) == 0
    text = _text(target)
    assert "Referral letter — SIJ examination" in text and "DRAFT — not signed" in text
    assert _exports(database, 1) == [f"referral letter PDF: {target}"]


def test_the_letterhead_and_clinician_come_from_the_settings(database, tmp_path):
    from sijoint_exam.paths import settings_path
    from sijoint_exam.ui.preferences import Preferences
    from sijoint_exam.ui.settings import Settings

    settings_path().parent.mkdir(parents=True)
    Settings(settings_path()).preferences = Preferences(
        clinician="A. Exporter", clinic_name="Riverside Spine", clinic_phone="555 0100"
    )
    target = tmp_path / "note.pdf"
    assert main(["export-pdf", "1", "-o", str(target), "--db", str(database)]) == 0
    assert "Riverside Spine Tel. 555 0100" in _text(target)
    with open_database(database, instance_lock=False) as db:
        (entry,) = [
            e for e in Repository(db).audit_log("visit", 1) if e.action == "export"
        ]
    assert entry.clinician == "A. Exporter"


def test_a_batch_by_date_with_progress(database, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    args = ["export-pdf", "--from", "2026-11-01", "--to", "2026-12-31", "--out-dir"]
    assert main([*args, str(out), "--db", str(database)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "visit-note-A-1001-2026-11-20-2.pdf",
        "visit-note-B-7-2026-12-05-3.pdf",
    ]
    assert "Ñúñez, José" in _text(out / "visit-note-B-7-2026-12-05-3.pdf")
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("] 1/2") and err[1].endswith("] 2/2")
    assert err[1].startswith("[" + "#" * 30 + "]")
    assert err[-1] == f"2 PDF(s) written to {out}"
    assert _exports(database, 1) == []
    assert len(_exports(database, 2)) == len(_exports(database, 3)) == 1


def test_an_empty_range_writes_nothing(database, tmp_path, capsys):
    args = ["export-pdf", "--from", "2020-01-01", "--to", "2020-12-31"]
    assert main([*args, "--out-dir", str(tmp_path), "--db", str(database)]) == 0
    assert capsys.readouterr().err == f"0 PDF(s) written to {tmp_path}\n"


def test_the_progress_bar_redraws_in_place_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    progress = _Progress(4, stream)
    for done in range(1, 5):
        progress.update(done)
    progress.finish("done")
    assert stream.getvalue().count("\r") == 4
    assert stream.getvalue().endswith("] 4/4\ndone\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1"], "-o FILE: required with VISIT_ID"),
        ([], "give VISIT_ID with -o FILE, or --from DATE --to DATE --out-dir DIR"),
        (["--from", "2026-01-01"], "--to: required for a period"),
        (["1", "-o", "x.pdf", "--to", "2026-01-01"], "not with VISIT_ID"),
        (
            ["--from", "2026-02-01", "--to", "2026-01-01", "--out-dir", "."],
            "--from 2026-02-01 is after --to 2026-01-01",
        ),
        (
            ["--from", "2026-01-01", "--to", "2026-02-01", "--out-dir", "nowhere"],
            "nowhere",
        ),
        (["9", "-o", "x.pdf"], "VISIT_ID: there is no visit with id 9"),
    ],
)
def test_invalid_arguments_exit_2(
    database, args, message, capsys, monkeypatch, tmp_path
):
    monkeypatch.chdir(tmp_path)
    assert main(["export-pdf", *args, "--db", str(database)]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_a_bad_date_is_refused_by_the_parser(database, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["export-pdf", "--from", "2026-13-01", "--db", str(database)])
    assert exit_.value.code == 2
    assert "is not a date (YYYY-MM-DD)" in capsys.readouterr().err


def test_no_database_and_an_unwritable_file_exit_1(database, tmp_path, capsys):
    missing = tmp_path / "none.sqlite3"
    assert main(["export-pdf", "1", "-o", "x.pdf", "--db", str(missing)]) == 1
    assert "There is no database" in capsys.readouterr().err
    target = tmp_path / "no-folder" / "note.pdf"
    assert main(["export-pdf", "1", "-o", str(target), "--db", str(database)]) == 1
    assert "cannot be written" in capsys.readouterr().err
    assert _exports(database, 1) == []  # nothing written, nothing logged


def test_export_pdf_in_its_own_process(database, tmp_path):
    """As a user runs it: the heavy imports happen inside the handler."""
    target = tmp_path / "note.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "sijoint_exam", "--db", str(database), "export-pdf"]
        + ["2", "--kind", "note", "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("parallel", [False, True])
def test_a_batch_in_worker_processes_writes_and_logs_the_same(
    database, tmp_path, monkeypatch, parallel
):
    from sijoint_exam.cli import report_commands

    monkeypatch.setattr(report_commands, "PARALLEL_FROM", 2 if parallel else 10**6)
    monkeypatch.setattr(report_commands.os, "cpu_count", lambda: 2)  # a pool of two
    out = tmp_path / "out"
    out.mkdir()
    args = ["export-pdf", "--from", "2026-01-01", "--to", "2026-12-31", "--out-dir"]
    assert main([*args, str(out), "--db", str(database)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "visit-note-A-1001-2026-09-01-1.pdf",
        "visit-note-A-1001-2026-11-20-2.pdf",
        "visit-note-B-7-2026-12-05-3.pdf",
    ]
    assert "Electronically signed" in _text(out / names[1])
    for visit_id, name in zip((1, 2, 3), names, strict=True):
        assert _exports(database, visit_id) == [f"visit note PDF: {out / name}"]


@pytest.mark.parametrize("parallel", [False, True])
def test_a_batch_stops_at_a_file_that_cannot_be_written(
    database, tmp_path, monkeypatch, capsys, parallel
):
    from sijoint_exam.cli import report_commands

    monkeypatch.setattr(report_commands, "PARALLEL_FROM", 2 if parallel else 10**6)
    out = tmp_path / "out"
    blocked = out / "visit-note-A-1001-2026-11-20-2.pdf"
    blocked.mkdir(parents=True)  # a folder where the PDF should go
    args = ["export-pdf", "--from", "2026-01-01", "--to", "2026-12-31", "--out-dir"]
    assert main([*args, str(out), "--db", str(database)]) == 1
    assert f"{blocked}: cannot be written" in capsys.readouterr().err
    assert _exports(database, 2) == []


@pytest.fixture
def cauda_equina_visits(tmp_path) -> Path:
    """Visit 1: a cauda equina yes with a routine referral (the check open);
    visit 2: the same, signed with the check acknowledged; visit 3: urgency
    emergency (no check)."""
    import json

    from sijoint_exam.domain.outcomes import Answer
    from sijoint_exam.domain.visit import Urgency

    patient, visit = parse_document(
        json.loads(SAMPLE.read_text("utf-8")), dt.date(2026, 12, 31)
    )
    flagged = replace(visit, red_flags={**visit.red_flags, "bladder": Answer.YES})
    path = tmp_path / "clinic.sqlite3"
    with open_database(path) as db:
        repo = Repository(db)
        pid = repo.add_patient(patient)
        assert repo.save_visit(pid, flagged) == 1
        assert repo.save_visit(pid, flagged) == 2
        repo.sign_visit(
            2, "J. Doe, PT", acknowledged_checks=("cauda_equina_urgency",
                                                  "radiculopathy_screen_missing")
        )  # fmt: skip
        emergency = replace(
            flagged, referral=replace(flagged.referral, urgency=Urgency.EMERGENCY)
        )
        assert repo.save_visit(pid, emergency) == 3
    return path


def test_a_letter_with_a_cauda_equina_flag_open_is_refused(
    cauda_equina_visits, tmp_path, capsys
):
    target = tmp_path / "letter.pdf"
    args = ["--db", str(cauda_equina_visits), "export-pdf", "--kind", "referral"]
    assert main([*args, "1", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert "visit 1: The referral urgency is not 'emergency'" in err
    assert "Traceback" not in err
    assert not target.exists()
    assert _exports(cauda_equina_visits, 1) == []
    # The visit note is not a letter: it is written.
    note = tmp_path / "note.pdf"
    assert main(["--db", str(cauda_equina_visits), "export-pdf", "1", "-o",
                 str(note)]) == 0  # fmt: skip
    # Acknowledged at signing, or urgency emergency: the letter is written.
    for visit_id in ("2", "3"):
        out = tmp_path / f"letter-{visit_id}.pdf"
        assert main([*args, visit_id, "-o", str(out)]) == 0
        assert "Bottom line" in _text(out)
    text = _text(tmp_path / "letter-2.pdf")
    assert "Signed with acknowledged checks: Cauda equina flag with a referral" in text


def test_a_batch_skips_a_refused_letter_and_says_so(
    cauda_equina_visits, tmp_path, capsys
):
    folder = tmp_path / "letters"
    folder.mkdir()
    args = ["--db", str(cauda_equina_visits), "export-pdf", "--kind", "referral"]
    period = ["--from", "2026-11-01", "--to", "2026-11-30", "--out-dir", str(folder)]
    assert main([*args, *period]) == 1
    err = capsys.readouterr().err
    assert "visit 1: not written — The referral urgency is not 'emergency'" in err
    assert sorted(p.name.rsplit("-", 1)[-1] for p in folder.iterdir()) == [
        "2.pdf",
        "3.pdf",
    ]
