"""VisitDetailsSection: date, clinician, symptomatic side, complaint, centralisation."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QWidget

from sijoint_exam.domain.catalogue import SymptomaticSide
from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections._fields import (
    add_row,
    combo,
    date_field,
    form_layout,
    from_yes_no,
    line_edit,
    select,
    to_yes_no,
)
from sijoint_exam.ui.widgets.choice_buttons import NOT_RECORDED

CENTRALISED_CHOICES = (
    ("Not assessed", NOT_RECORDED),
    ("No — did not centralise", "no"),
    ("Yes — centralised with repeated movements", "yes"),
)


class VisitDetailsSection(QWidget):
    """The visit's own details; the symptomatic side picks the tally side."""

    title: ClassVar[str] = "Visit"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date_edit = date_field(
            "visit.date", "Date of the visit", "Visit date", self, required=True
        )
        self.clinician_edit = line_edit(
            "visit.clinician", "Clinician who examined", self
        )
        self.side_combo = combo(
            "visit.symptomatic_side",
            "Side of the symptoms; picks the tally side of lateral tests",
            [(s.value.capitalize(), s.value) for s in SymptomaticSide],
            self,
        )
        self.complaint_edit = line_edit(
            "visit.chief_complaint", "Chief complaint", self
        )
        self.centralised_combo = combo(
            "visit.centralised",
            "Did the pain centralise with repeated lumbar movements?",
            CENTRALISED_CHOICES,
            self,
        )
        form = form_layout()
        self.setLayout(form)
        add_row(form, "Date", self.date_edit)
        add_row(form, "Clinician", self.clinician_edit)
        add_row(form, "Symptomatic side", self.side_combo)
        add_row(form, "Chief complaint", self.complaint_edit)
        add_row(form, "Centralisation", self.centralised_combo)
        # Signal-to-signal connections: Qt drops the arguments `changed` lacks.
        self.date_edit.date_changed.connect(self.changed)
        for line in (self.clinician_edit, self.complaint_edit):
            line.textChanged.connect(self.changed)
        for box in (self.side_combo, self.centralised_combo):
            box.currentIndexChanged.connect(self.changed)

    def symptomatic_side(self) -> SymptomaticSide:
        """The side chosen now."""
        return SymptomaticSide(self.side_combo.currentData())

    def load(self, visit: Visit) -> None:
        widgets = (
            self.date_edit,
            self.clinician_edit,
            self.complaint_edit,
            self.side_combo,
            self.centralised_combo,
        )
        blockers = [QSignalBlocker(w) for w in widgets]
        self.date_edit.set_date(visit.date)
        self.clinician_edit.setText(visit.clinician)
        self.complaint_edit.setText(visit.chief_complaint)
        select(self.side_combo, visit.symptomatic_side)
        select(self.centralised_combo, to_yes_no(visit.centralised))
        for blocker in blockers:
            blocker.unblock()

    def apply(self, visit: Visit) -> Visit:
        return replace(
            visit,
            # An unfinished or impossible date keeps the last good one: the form
            # reports the field (ExamForm.entry_problems) and Save is refused.
            date=self.date_edit.date() or visit.date,
            clinician=self.clinician_edit.text(),
            symptomatic_side=SymptomaticSide(self.side_combo.currentData()),
            chief_complaint=self.complaint_edit.text(),
            centralised=from_yes_no(self.centralised_combo.currentData()),
        )
