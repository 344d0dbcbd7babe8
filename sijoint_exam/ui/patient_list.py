"""PatientList: search-as-you-type over patients (name, MRN, date of birth)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QModelIndex, Signal, Slot
from PySide6.QtWidgets import (
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.ui.table_model import IdRole, RowsTableModel, row_table

if TYPE_CHECKING:
    from sijoint_exam.store.patient_directory import PatientSummary


class PatientSearch(Protocol):
    """Where the list finds patients: the store's repository, or before it is
    open the read-only `PatientDirectory`."""

    def search_patients(
        self, text: str = "", limit: int = 200
    ) -> list[PatientSummary]: ...


PATIENT_COLUMNS = (
    ("Name", lambda s: s.patient.display_name),
    ("MRN", lambda s: s.patient.mrn),
    ("Born", lambda s: s.patient.date_of_birth.isoformat()),
)


class PatientList(QWidget):
    """The search box and the matching patients; emits the chosen patient's id."""

    patient_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._repository: PatientSearch | None = None
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("patients.search")
        self.search_edit.setPlaceholderText("Search name, MRN or date of birth")
        self.search_edit.setAccessibleName("Search patients")
        self.search_edit.setClearButtonEnabled(True)
        self.model: RowsTableModel[PatientSummary] = RowsTableModel(
            PATIENT_COLUMNS, row_id=lambda s: s.id, parent=self
        )
        self.table = row_table(self.model, "patients.table", 0, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.table)
        self.search_edit.textChanged.connect(self.refresh)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

    def set_repository(self, repository: PatientSearch) -> None:
        """Search this store (or directory) from now on."""
        self._repository = repository
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        """Re-run the search (the store's indexed search; fast enough per key)."""
        if self._repository is not None:
            text = self.search_edit.text()
            self.model.set_rows(self._repository.search_patients(text))

    def current_patient_id(self) -> int | None:
        """The patient chosen in the list, if any."""
        current = self.table.currentIndex()
        return int(self.model.data(current, IdRole)) if current.isValid() else None

    def select_patient(self, patient_id: int) -> None:
        """Show and select one patient (clearing a search that hides them)."""
        for attempt in range(2):
            for row in range(self.model.rowCount()):
                if self.model.row(row).id == patient_id:
                    self.table.selectRow(row)
                    return
            if attempt == 0:
                self.search_edit.clear()

    def show_added(self, patient_id: int) -> None:
        """A patient just added: listed (the search re-run) and selected."""
        self.refresh()
        self.select_patient(patient_id)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.patient_selected.emit(int(self.model.data(current, IdRole)))
