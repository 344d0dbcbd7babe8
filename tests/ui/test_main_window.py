"""The whole path: create a patient, record three positives by keyboard, save,
reopen from the database, export the note."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from sijoint_exam.domain.catalogue import SINGLE_BLOCK_CAUTION, Result
from sijoint_exam.store.database import open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.ui.main_window import MainWindow
from sijoint_exam.ui.patient_dialog import PatientDialog
from sijoint_exam.ui.widgets.finding_selector import FindingSelector
from tests.conftest import TODAY


def fill_and_accept(family: str, given: str, mrn: str = "A-1001"):
    """A stand-in for PatientDialog.exec that types into the fields, then OK."""

    def exec_(dialog: PatientDialog) -> int:
        # setText, not keyClicks: keyClicks with non-ASCII text aborts the process.
        dialog.mrn_edit.setText(mrn)
        dialog.family_edit.setText(family)
        dialog.given_edit.setText(given)
        dialog.dob_edit.set_date(dt.date(1978, 3, 14))
        return QDialog.DialogCode.Accepted

    return exec_


def tab_to(qtbot, window: MainWindow, name: str) -> FindingSelector:
    """Press Tab until the selector `name` has focus (fails after 200 presses)."""
    for _ in range(200):
        focused = QApplication.focusWidget()
        if focused is not None and focused.objectName() == name:
            return focused
        qtbot.keyClick(focused or window, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name}")


@pytest.fixture
def file_repo(tmp_path):
    """A repository on a real file, so the test can close and reopen it."""
    db = open_database(tmp_path / "clinic.sqlite3")
    yield Repository(db)
    db.close()


def test_exam_end_to_end(make_main_window, file_repo, tmp_path, monkeypatch, qtbot):
    monkeypatch.setattr(PatientDialog, "exec", fill_and_accept("김", "선애"))
    window = make_main_window(file_repo)
    window.show()
    qtbot.waitExposed(window)

    window.new_patient()
    assert [s.patient.family_name for s in file_repo.search_patients("김")] == ["김"]

    # The first test row, then Tab through the form, a key per test.
    first = window.form.findChild(FindingSelector, "provocation.distraction.result")
    first.setFocus()
    qtbot.waitUntil(lambda: first.hasFocus())
    qtbot.keyClick(first, Qt.Key.Key_P)
    for name in ("provocation.thigh_thrust.left", "provocation.gaenslen.left"):
        qtbot.keyClick(tab_to(qtbot, window, name), Qt.Key.Key_P)
    for name in ("provocation.compression.result", "provocation.faber.left"):
        window.form.findChild(FindingSelector, name).set_result(Result.NEGATIVE)

    # Symptomatic side not recorded: each joint read on its own; the positives
    # are all on the left, so the headline names it.
    headline = window.tally.headline_label.text()
    assert headline.startswith("3 of 5 positive on the left — cluster positive")
    assert "van der Wurff 2006" in headline
    assert window.tally.summary_label.text() == headline
    assert "50%" in window.tally.post_test_label.text()
    assert "LR+ 4.02" in window.tally.post_test_label.text()

    qtbot.keyClick(window.form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.is_dirty
    recorded = window.form.visit()
    window.close()

    # Reopen: a new window on a new connection to the same file.
    db = open_database(tmp_path / "clinic.sqlite3")
    try:
        reopened = make_main_window(Repository(db))
        reopened.patient_list.search_edit.setText("선애")
        assert reopened.patient_list.model.rowCount() == 1
        reopened.patient_list.table.selectRow(0)
        assert reopened.form.visit() == recorded
        assert "3 of 5 positive" in reopened.tally.summary_label.text()

        target = tmp_path / "note.pdf"
        monkeypatch.setattr(MainWindow, "ask_export_path", lambda self, s: target)
        assert reopened.export_note() == target
        text = "".join(page.extract_text() for page in PdfReader(target).pages)
        assert "김" in text and "선애" in text
        assert "3 of 5" in text
        assert "van der Wurff 2006" in text
    finally:
        db.close()


def test_invalid_visit_date_blocks_saving_and_names_the_field(
    make_main_window, repo, sample_patient, qtbot
):
    patient_id = repo.add_patient(sample_patient())
    window = make_main_window()
    window.open_patient(patient_id)
    window.form.date_edit.set_date(TODAY + dt.timedelta(days=5))
    assert window.widgets.problems_label.text().startswith("Visit date: ")
    assert (
        "visit.date" not in window.widgets.problems_label.text()
    )  # the clinic's words
    assert not window.menu_actions.save.isEnabled()


def test_duplicate_mrn_is_refused_in_the_dialog(
    make_main_window, repo, sample_patient, monkeypatch
):
    repo.add_patient(sample_patient())
    shown: list[str] = []
    attempts = iter([QDialog.DialogCode.Accepted, QDialog.DialogCode.Rejected])

    def exec_(dialog: PatientDialog) -> int:
        fill_and_accept("Other", "Person")(dialog)
        shown.append(dialog.problems_label.text())
        return next(attempts)

    monkeypatch.setattr(PatientDialog, "exec", exec_)
    window = make_main_window()
    window.new_patient()
    assert len(repo.search_patients()) == 1
    assert 'MRN "A-1001" is already used' in shown[-1]


def test_patient_dialog_names_bad_fields(qtbot):
    dialog = PatientDialog(lambda: TODAY)
    qtbot.addWidget(dialog)
    assert dialog.problems_label.text() == ""  # nothing typed, nothing said yet
    dialog.dob_edit.set_date(TODAY + dt.timedelta(days=1))
    dialog.accept()  # OK: every problem named, the dialog stays open
    text = dialog.problems_label.text()
    assert "MRN is required" in text
    assert "Family name is required" in text
    assert "Date of birth: " in text and "future" in text
    assert "patient." not in text
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_first_run_shows_the_welcome_and_creates_a_patient(
    make_main_window, repo, monkeypatch, qtbot
):
    monkeypatch.setattr(PatientDialog, "exec", fill_and_accept("Ñúñez", "José"))
    window = make_main_window()
    assert window.widgets.centre.currentWidget() is window.widgets.welcome
    assert "no patients yet" in window.widgets.welcome.message.text()
    qtbot.mouseClick(window.widgets.welcome.create_button, Qt.MouseButton.LeftButton)
    assert [s.patient.family_name for s in repo.search_patients()] == ["Ñúñez"]
    assert window.widgets.centre.currentWidget() is not window.widgets.welcome
    assert window.form.isEnabled()


def test_buttons_follow_their_actions(make_main_window):
    window = make_main_window()
    new_visit = window.findChild(QPushButton, "visits.new")
    assert not window.menu_actions.new_visit.isEnabled()
    assert not new_visit.isEnabled()


def test_tally_shows_the_block_beside_the_cluster(make_main_window, repo):
    import json
    from importlib.resources import files

    from sijoint_exam.domain.visit_file import parse_document

    document = json.loads(
        (files("sijoint_exam.resources") / "sample-visit.json").read_text("utf-8")
    )
    patient, visit = parse_document(document, TODAY)
    patient_id = repo.add_patient(patient)
    repo.save_visit(patient_id, visit)
    window = make_main_window()
    window.open_patient(patient_id)
    assert (
        "positive (block 1, left: peak 86% relief → positive)"
        in window.tally.blocks_label.text()
    )
    assert window.tally.agreement_label.text() == "Block and cluster: agree"
    assert SINGLE_BLOCK_CAUTION in window.tally.cautions_label.text()


def test_welcome_opens_a_demo_patient(make_main_window, repo, qtbot):
    window = make_main_window()
    assert window.widgets.welcome.demo_button.isVisibleTo(window.widgets.welcome)
    qtbot.mouseClick(window.widgets.welcome.demo_button, Qt.MouseButton.LeftButton)
    summaries = repo.search_patients("DEMO-")
    assert len(summaries) == 1
    assert window.session.patient_id == summaries[0].id
    assert window.visit_list.model.rowCount() >= 1  # the demo patient's visits
    window.open_demo_patient()  # a second one gets the next number
    assert {s.patient.mrn for s in repo.search_patients("DEMO-")} == {
        "DEMO-000001",
        "DEMO-000002",
    }


def test_about_names_the_version_paths_and_licences(make_main_window):
    from sijoint_exam import __version__
    from sijoint_exam.ui.about import AboutDialog

    window = make_main_window()
    window.about_facts = {"Database": "/data/clinic.sqlite3"}
    window.show_about()
    text = window.findChild(AboutDialog).label.text()
    assert __version__ in text and "/data/clinic.sqlite3" in text
    assert "OFL-NanumGothic.txt" in text and "General Public License" in text


def test_referral_letter_and_preview_carry_the_letterhead_and_signature(
    make_main_window,
    repo,
    sample_patient,
    sample_visit,
    settings,
    tmp_path,
    monkeypatch,
    qtbot,
):
    from sijoint_exam.ui import signing
    from sijoint_exam.ui.note_preview import NotePreviewDialog
    from sijoint_exam.ui.preferences import Preferences

    settings.preferences = Preferences(
        clinician="J. Doe, PT", clinic_name="Riverside Spine Clinic"
    )
    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    window = make_main_window()
    window.open_patient(patient_id)
    monkeypatch.setattr(signing, "confirm_signing", lambda parent, who: True)
    assert window.sign_visit()

    target = tmp_path / "letter.pdf"
    monkeypatch.setattr(MainWindow, "ask_export_path", lambda self, s: target)
    assert window.export_referral() == target
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Riverside Spine Clinic" in text
    assert "J. Doe, PT" in text and "DRAFT" not in text
    assert any(e.action == "export" for e in repo.audit_log("visit", visit_id))

    window.preview_note()
    dialog = window.findChild(NotePreviewDialog)
    assert "Riverside Spine Clinic" in dialog.preview.toPlainText()
    assert "3 of 5 positive" in dialog.preview.toPlainText()


def test_a_problem_is_shown_next_to_its_field(make_main_window, repo, sample_patient):
    from sijoint_exam.ui.exam_form import widget_names

    assert widget_names("visit.blocks[0].pre")[1] == "block.1.pre"
    window = make_main_window()
    window.open_patient(repo.add_patient(sample_patient()))
    date = window.form.date_edit
    window.form.date_edit.set_date(TODAY + dt.timedelta(days=5))
    assert "border" in date.styleSheet()
    assert "more than 1 day in the future" in date.toolTip()
    window.form.date_edit.set_date(TODAY)
    assert date.styleSheet() == ""
    assert "future" not in date.toolTip()


def test_printing_the_note_goes_through_qt_and_the_audit_log(
    make_main_window, repo, sample_patient, sample_visit, tmp_path, monkeypatch
):
    from PySide6.QtPrintSupport import QPrinter

    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    window = make_main_window()
    window.open_patient(patient_id)
    target = tmp_path / "printed.pdf"

    def to_file(self):
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    monkeypatch.setattr(MainWindow, "ask_printer", to_file)
    assert window.print_note()
    text = " ".join(page.extract_text() for page in PdfReader(target).pages)
    assert "3 of 5 positive" in " ".join(text.split())  # Qt's PDF spaces with tabs
    prints = [e for e in repo.audit_log("visit", visit_id) if e.action == "print"]
    assert len(prints) == 1 and str(target) in prints[0].detail


def test_period_export_writes_every_visit_in_the_range(
    make_main_window, repo, sample_patient, sample_visit, tmp_path, monkeypatch
):
    patient_id = repo.add_patient(sample_patient())
    inside = [
        repo.save_visit(patient_id, sample_visit(date=dt.date(2026, 11, day)))
        for day in (2, 9)
    ]
    repo.save_visit(patient_id, sample_visit(date=dt.date(2026, 10, 30)))  # before
    window = make_main_window()
    window.open_patient(patient_id)
    period = (dt.date(2026, 11, 1), dt.date(2026, 11, 30), tmp_path)
    monkeypatch.setattr(MainWindow, "ask_period", lambda self: period)
    assert window.export_period() == 2
    written = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert written == [
        f"visit-note-A-1001-2026-11-02-{inside[0]}.pdf",
        f"visit-note-A-1001-2026-11-09-{inside[1]}.pdf",
    ]
    for visit_id in inside:
        assert any(e.action == "export" for e in repo.audit_log("visit", visit_id))


def test_period_export_can_be_cancelled(
    make_main_window, repo, sample_patient, sample_visit, tmp_path, monkeypatch
):
    from PySide6.QtWidgets import QProgressDialog

    patient_id = repo.add_patient(sample_patient())
    repo.save_visit(patient_id, sample_visit())
    window = make_main_window()
    window.open_patient(patient_id)
    period = (TODAY, TODAY, tmp_path)
    monkeypatch.setattr(MainWindow, "ask_period", lambda self: period)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    assert window.export_period() == 0
    assert list(tmp_path.glob("*.pdf")) == []
    assert "(cancelled)" in window.statusBar().currentMessage()
