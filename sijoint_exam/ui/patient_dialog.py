"""PatientDialog: create or edit a patient; what is typed is what is saved.

Nothing is filled in for the clinician: the date of birth is blank and the sex
"Not recorded" until chosen. A field's problem is shown once the field has been
left (or OK pressed), in the clinic's words ("MRN is required"); OK keeps the
dialog open, naming every problem, until there is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from sijoint_exam.domain.validation import Problem, validate_patient
from sijoint_exam.domain.visit import Patient, Sex
from sijoint_exam.ui.problem_text import describe
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.widgets.date_field import DateField

# "Not recorded" first: the chart says nothing until the clinician chooses.
SEX_CHOICES = (
    ("Not recorded", Sex.UNKNOWN),
    ("Female", Sex.FEMALE),
    ("Male", Sex.MALE),
    ("Other", Sex.OTHER),
)


class PatientDialog(QDialog):
    """Fields of `Patient`; the problems list says what is wrong, field by field."""

    def __init__(
        self,
        today: Callable[[], dt.date],
        patient: Patient | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit patient" if patient else "New patient")
        self._today = today
        self._left: set[str] = set()  # fields the clinician has been in and left
        self._show_all = False  # after OK: every problem, touched or not
        form = QFormLayout(self)
        self.mrn_edit = QLineEdit(self)
        self.family_edit = QLineEdit(self)
        self.given_edit = QLineEdit(self)
        self.dob_edit = DateField("Date of birth", self, required=True)
        self.sex_combo = QComboBox(self)
        for text, sex in SEX_CHOICES:
            self.sex_combo.addItem(text, sex.value)
        for widget, name, tip in (
            (self.mrn_edit, "patient.mrn", "Medical record number (unique)"),
            (self.family_edit, "patient.family_name", "Family name"),
            (self.given_edit, "patient.given_names", "Given names"),
            (self.dob_edit, "patient.date_of_birth", "Date of birth, yyyy-mm-dd"),
            (self.sex_combo, "patient.sex", "Sex as recorded on the chart"),
        ):
            widget.setObjectName(name)
            widget.setToolTip(tip)
            widget.setAccessibleName(tip)
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("patient.problems")
        self.problems_label.setAccessibleName("Problems with the patient's details")
        set_tone(self.problems_label, Tone.ALERT)
        self.problems_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            parent=self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for text, widget in (
            ("&MRN", self.mrn_edit),
            ("&Family name", self.family_edit),
            ("&Given names", self.given_edit),
            ("Date of &birth", self.dob_edit),
            ("&Sex", self.sex_combo),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.problems_label)
        form.addRow(self.buttons)
        if patient is not None:
            self._load(patient)
            self._show_all = True  # an existing record: say what is wrong now
        for edit in (self.mrn_edit, self.family_edit, self.given_edit, self.dob_edit):
            edit.textChanged.connect(self._validate)
            edit.editingFinished.connect(lambda e=edit: self._leave(e))
        self._validate()

    def _load(self, patient: Patient) -> None:
        self.mrn_edit.setText(patient.mrn)
        self.family_edit.setText(patient.family_name)
        self.given_edit.setText(patient.given_names)
        self.dob_edit.set_date(patient.date_of_birth)
        self.sex_combo.setCurrentIndex(self.sex_combo.findData(patient.sex.value))

    def _leave(self, edit: QWidget) -> None:
        self._left.add(edit.objectName())
        self._validate()

    @property
    def patient(self) -> Patient | None:
        """The patient as entered (names trimmed); None while the date of birth
        is blank or not a date."""
        dob = self.dob_edit.date()
        if dob is None:
            return None
        return Patient(
            mrn=self.mrn_edit.text().strip(),
            family_name=self.family_edit.text().strip(),
            given_names=self.given_edit.text().strip(),
            date_of_birth=dob,
            sex=Sex(self.sex_combo.currentData()),
        )

    def problems(self) -> list[Problem]:
        """Everything wrong with the fields as they stand."""
        problems = []
        if self.dob_edit.problem():
            problems.append(Problem("patient.date_of_birth", self.dob_edit.problem()))
        patient = self.patient or Patient(
            self.mrn_edit.text(), self.family_edit.text(), "", self._today()
        )
        problems += [
            p
            for p in validate_patient(patient, self._today())
            if p.field != "patient.date_of_birth" or self.patient is not None
        ]
        return problems

    @Slot()
    def _validate(self) -> None:
        shown = [p for p in self.problems() if self._show_all or p.field in self._left]
        self.problems_label.setText("\n".join(describe(p) for p in shown))
        self.problems_label.setVisible(bool(shown))

    def show_all_problems(self) -> bool:
        """Name every problem and put the cursor in the first field with one;
        True when there is none."""
        self._show_all = True
        self._validate()
        problems = self.problems()
        if problems:
            first = self.findChild(QWidget, problems[0].field)
            if first is not None:
                first.setFocus(Qt.FocusReason.OtherFocusReason)
        return not problems

    def accept(self) -> None:  # Qt override: OK closes only a complete record
        if self.show_all_problems():
            super().accept()

    def show_error(self, message: str) -> None:
        """Show a problem found outside the dialog (e.g. a duplicate MRN)."""
        self.problems_label.setText(message)
        self.problems_label.setVisible(True)

    @classmethod
    def ask(
        cls,
        today: Callable[[], dt.date],
        patient: Patient | None = None,
        parent: QWidget | None = None,
        accept: Callable[[Patient], str | None] | None = None,
    ) -> Patient | None:
        """Run the dialog; `accept` may refuse (returns an error) to keep it open.

        Tests monkeypatch this method rather than running a modal loop.
        """
        dialog = cls(today, patient, parent)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            entered = dialog.patient
            if entered is None or not dialog.show_all_problems():
                continue
            error = accept(entered) if accept else None
            if error is None:
                return entered
            dialog.show_error(error)
        return None
