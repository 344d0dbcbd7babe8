"""AssessmentSection: the clinician's assessment and plan, free text."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QWidget

from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections._fields import add_row, form_layout, text_edit


class AssessmentSection(QWidget):
    """Assessment and plan; Tab moves on instead of typing a tab."""

    title: ClassVar[str] = "Assessment and plan"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assessment_edit = text_edit(
            "visit.assessment", "Assessment (free text)", self, lines=4
        )
        self.plan_edit = text_edit("visit.plan", "Plan (free text)", self, lines=4)
        form = form_layout()
        self.setLayout(form)
        add_row(form, "Assessment", self.assessment_edit)
        add_row(form, "Plan", self.plan_edit)
        for edit in (self.assessment_edit, self.plan_edit):
            edit.textChanged.connect(self.changed)

    def load(self, visit: Visit) -> None:
        blockers = [
            QSignalBlocker(self.assessment_edit),
            QSignalBlocker(self.plan_edit),
        ]
        self.assessment_edit.setPlainText(visit.assessment)
        self.plan_edit.setPlainText(visit.plan)
        for blocker in blockers:
            blocker.unblock()

    def apply(self, visit: Visit) -> Visit:
        return replace(
            visit,
            assessment=self.assessment_edit.toPlainText(),
            plan=self.plan_edit.toPlainText(),
        )
