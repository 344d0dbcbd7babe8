"""VisitList: the chosen patient's visits, newest first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.catalogue import RULES_BY_ID
from sijoint_exam.ui.table_model import IdRole, RowsTableModel, row_table

if TYPE_CHECKING:
    from sijoint_exam.store.repository import VisitSummary


def _tally(summary: VisitSummary) -> str:
    if summary.damaged:
        return "cannot be read"
    rule = RULES_BY_ID.get(summary.rule)
    size = len(rule.items) if rule else "?"
    return f"{summary.positive_count}/{size}"


VISIT_COLUMNS = (
    ("Date", lambda s: s.date.isoformat()),
    ("Clinician", lambda s: s.clinician),
    ("Positive", _tally),
    ("NRS", lambda s: "—" if s.nrs_now is None else str(s.nrs_now)),
    ("ODI", lambda s: "—" if s.odi_percent is None else f"{s.odi_percent:.0f}%"),
    (
        "State",
        lambda s: (
            "signed"
            if s.signed
            else (f"in progress in {s.elsewhere}" if s.elsewhere else "open")
        ),
    ),
)


class VisitList(QWidget):
    """A table of visit summaries; emits the chosen visit's id."""

    visit_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model: RowsTableModel[VisitSummary] = RowsTableModel(
            VISIT_COLUMNS, row_id=lambda s: s.id, parent=self
        )
        self.table = row_table(self.model, "visits.table", 1, self)
        self.table.setAccessibleName("Visits of the patient")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

    def set_visits(self, visits: list[VisitSummary], select_id: int | None) -> None:
        """Show `visits`, selecting `select_id` without announcing it."""
        blocker = self.table.selectionModel().blockSignals(True)
        try:
            self.model.set_rows(visits)
            for row in range(self.model.rowCount()):
                if self.model.row(row).id == select_id:
                    self.table.selectRow(row)
        finally:
            self.table.selectionModel().blockSignals(blocker)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.visit_selected.emit(int(self.model.data(current, IdRole)))
