"""The table model over patient summaries, checked by Qt's own model tester."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sijoint_exam.store.repository import PatientSummary
from sijoint_exam.ui.patient_list import PATIENT_COLUMNS
from sijoint_exam.ui.table_model import IdRole, RowsTableModel


def test_patient_model_passes_the_model_tester(qtmodeltester, sample_patient):
    model = RowsTableModel(PATIENT_COLUMNS, row_id=lambda s: s.id)
    model.set_rows(
        [
            PatientSummary(7, sample_patient()),
            PatientSummary(9, sample_patient(mrn="B-2", family_name="김")),
        ]
    )
    qtmodeltester.check(model)
    assert model.data(model.index(1, 0)) == "김, Sungae"
    assert model.data(model.index(1, 0), IdRole) == 9
    assert model.headerData(1, Qt.Orientation.Horizontal) == "MRN"
    model.set_rows([])
    assert model.rowCount() == 0
