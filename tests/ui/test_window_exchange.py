"""File ▸ Export as FHIR… and Visits ▸ Clinic accuracy… in the window."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from sijoint_exam.domain.catalogue import Result
from sijoint_exam.ui.main_window import MainWindow
from sijoint_exam.ui.widgets.finding_selector import FindingSelector
from tests.domain.test_clinic_accuracy import _clinic
from tests.exchange.conftest import SYSTEM
from tests.exchange.fhir_validation import problems


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        MainWindow, "show_error", lambda self, t, m: shown.append((t, m))
    )
    return shown


def _open_saved_visit(make_main_window, repo, sample_patient, sample_visit):
    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    window = make_main_window()
    window.open_patient(patient_id)
    assert window.session.visit_id == visit_id
    return window, visit_id


def test_export_as_fhir_writes_a_valid_bundle_and_logs_it(
    make_main_window, repo, settings, sample_patient, sample_visit, tmp_path,
    monkeypatch, errors,
) -> None:  # fmt: skip
    settings.preferences = replace(
        settings.preferences, patient_identifier_system=SYSTEM
    )
    window, visit_id = _open_saved_visit(
        make_main_window, repo, sample_patient, sample_visit
    )
    assert window.menu_actions.export_fhir.isEnabled()
    target = tmp_path / "visit.json"
    suggested = []
    monkeypatch.setattr(
        MainWindow, "ask_fhir_path", lambda self, s: suggested.append(s) or target
    )
    assert window.export_fhir() == target
    assert errors == []
    assert suggested[0].name == f"fhir-A-1001-2026-11-20-{visit_id}.json"
    bundle = json.loads(target.read_text("utf-8"))
    assert problems(bundle) == []
    patient = bundle["entry"][0]["resource"]
    assert patient["identifier"][0] == {
        "use": "usual",
        "type": patient["identifier"][0]["type"],
        "system": SYSTEM,
        "value": "A-1001",
    }
    exported = [
        e.detail for e in repo.audit_log("visit", visit_id) if e.action == "export"
    ]
    assert exported == [f"FHIR R4 bundle: {target}"]


def test_export_as_fhir_needs_the_identifier_system(
    make_main_window, repo, sample_patient, sample_visit, tmp_path, monkeypatch, errors
) -> None:
    window, _ = _open_saved_visit(make_main_window, repo, sample_patient, sample_visit)
    monkeypatch.setattr(
        MainWindow, "ask_fhir_path", lambda self, s: tmp_path / "x.json"
    )
    assert window.export_fhir() is None
    assert "MRN identifier system" in errors[0][1]
    assert not (tmp_path / "x.json").exists()


def test_export_as_fhir_refuses_unsaved_changes(
    make_main_window, repo, settings, sample_patient, sample_visit, tmp_path,
    monkeypatch, errors,
) -> None:  # fmt: skip
    settings.preferences = replace(
        settings.preferences, patient_identifier_system=SYSTEM
    )
    window, _ = _open_saved_visit(make_main_window, repo, sample_patient, sample_visit)
    selector = window.form.findChild(FindingSelector, "provocation.compression.result")
    selector.set_result(Result.POSITIVE)
    assert window.is_dirty
    monkeypatch.setattr(
        MainWindow, "ask_fhir_path", lambda self, s: tmp_path / "x.json"
    )
    assert window.export_fhir() is None
    assert "unsaved changes" in errors[0][1]
    assert not (tmp_path / "x.json").exists()


def test_clinic_accuracy_window(make_main_window, repo, sample_patient) -> None:
    for number, visit in _clinic(8, 2, 3, 7):
        patient_id = repo.add_patient(sample_patient(mrn=f"M-{number}"))
        repo.save_visit(patient_id, visit)
    window = make_main_window()
    assert window.menu_actions.clinic_accuracy.isEnabled()
    window.show_clinic_accuracy()
    dialog = window.accuracy_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.text.toPlainText()
    assert "Three of five (van der Wurff 2006)" in text
    assert "Verified visits: 20" in text
    (row,) = [line for line in text.splitlines() if line.startswith("Sensitivity")]
    assert "0.80 (0.49–0.94)" in row and row.rstrip().endswith("0.85")
    assert "partial verification" in text
    dialog.rule_combo.setCurrentIndex(dialog.rule_combo.findData("cms_lcd_2023"))
    text = dialog.text.toPlainText()
    assert "CMS 2023" in text
    (row,) = [line for line in text.splitlines() if line.startswith("Sensitivity")]
    assert row.rstrip().endswith("—")  # a coverage criterion: nothing published
    dialog.close()


def test_settings_dialog_keeps_the_identifier_system(qtbot, settings) -> None:
    from sijoint_exam.ui.settings_dialog import SettingsDialog

    prefs = replace(settings.preferences, patient_identifier_system=SYSTEM)
    dialog = SettingsDialog(prefs)
    qtbot.addWidget(dialog)
    assert dialog.identifier_system_edit.text() == SYSTEM
    dialog.identifier_system_edit.setText("  urn:oid:1.2.3  ")
    assert dialog.preferences().patient_identifier_system == "urn:oid:1.2.3"
