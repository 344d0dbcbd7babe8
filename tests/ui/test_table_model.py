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


def test_a_narrow_cell_is_cut_on_one_line_with_its_text_in_the_tooltip(
    qtbot, sample_patient
):
    from sijoint_exam.ui.table_model import row_table

    model = RowsTableModel(PATIENT_COLUMNS, row_id=lambda s: s.id)
    long_name = "Featherstonehaugh-Cholmondeley"
    model.set_rows([PatientSummary(7, sample_patient(family_name=long_name))])
    table = row_table(model, "patients.table", 0, None)
    qtbot.addWidget(table)
    table.resize(160, 120)
    table.show()
    qtbot.waitExposed(table)
    cell = model.index(0, 0)
    assert table.visualRect(cell).width() < table.fontMetrics().horizontalAdvance(
        model.data(cell)
    )  # too narrow for the name
    assert not table.wordWrap()  # so: one line, cut with an ellipsis
    assert model.data(cell, Qt.ItemDataRole.ToolTipRole) == f"{long_name}, Sungae"
    header = table.horizontalHeader()
    assert header.textElideMode() == Qt.TextElideMode.ElideRight
