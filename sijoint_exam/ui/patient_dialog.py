"""PatientDialog: create or edit a patient; OK only when the domain finds no problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from sijoint_exam.domain.validation import validate_patient
from sijoint_exam.domain.visit import Patient, Sex
from sijoint_exam.ui.tones import Tone, set_tone


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
        form = QFormLayout(self)
        self.mrn_edit = QLineEdit(self)
        self.family_edit = QLineEdit(self)
        self.given_edit = QLineEdit(self)
        self.dob_edit = QDateEdit(self)
        self.dob_edit.setDisplayFormat("yyyy-MM-dd")
        self.dob_edit.setCalendarPopup(True)
        self.dob_edit.setMinimumDate(QDate(1850, 1, 1))
        self.sex_combo = QComboBox(self)
        for sex in Sex:
            self.sex_combo.addItem(sex.value.capitalize(), sex.value)
        for widget, name, tip in (
            (self.mrn_edit, "patient.mrn", "Medical record number (unique)"),
            (self.family_edit, "patient.family_name", "Family name"),
            (self.given_edit, "patient.given_names", "Given names"),
            (self.dob_edit, "patient.date_of_birth", "Date of birth"),
            (self.sex_combo, "patient.sex", "Sex"),
        ):
            widget.setObjectName(name)
            widget.setToolTip(tip)
            widget.setAccessibleName(tip)
        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("patient.problems")
        set_tone(self.problems_label, Tone.ALERT)
        self.problems_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            parent=self,
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow("MRN", self.mrn_edit)
        form.addRow("Family name", self.family_edit)
        form.addRow("Given names", self.given_edit)
        form.addRow("Date of birth", self.dob_edit)
        form.addRow("Sex", self.sex_combo)
        form.addRow(self.problems_label)
        form.addRow(self.buttons)
        if patient is not None:
            self._load(patient)
        else:
            self.dob_edit.setDate(QDate(1980, 1, 1))
        for edit in (self.mrn_edit, self.family_edit, self.given_edit):
            edit.textChanged.connect(self._validate)
        self.dob_edit.dateChanged.connect(self._validate)
        self._validate()

    def _load(self, patient: Patient) -> None:
        self.mrn_edit.setText(patient.mrn)
        self.family_edit.setText(patient.family_name)
        self.given_edit.setText(patient.given_names)
        dob = patient.date_of_birth
        self.dob_edit.setDate(QDate(dob.year, dob.month, dob.day))
        self.sex_combo.setCurrentIndex(self.sex_combo.findData(patient.sex.value))

    @property
    def patient(self) -> Patient:
        """The patient as entered (names trimmed)."""
        dob = self.dob_edit.date()
        return Patient(
            mrn=self.mrn_edit.text().strip(),
            family_name=self.family_edit.text().strip(),
            given_names=self.given_edit.text().strip(),
            date_of_birth=dt.date(dob.year(), dob.month(), dob.day()),
            sex=Sex(self.sex_combo.currentData()),
        )

    def _validate(self) -> None:
        problems = validate_patient(self.patient, self._today())
        self.problems_label.setText("\n".join(str(p) for p in problems))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problems)

    def show_error(self, message: str) -> None:
        """Show a problem found outside the dialog (e.g. a duplicate MRN)."""
        self.problems_label.setText(message)

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
            error = accept(dialog.patient) if accept else None
            if error is None:
                return dialog.patient
            dialog.show_error(error)
        return None
