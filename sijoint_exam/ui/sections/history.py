"""HistorySection: the history behind the visit and the referral it asks for."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.catalogue_together import CONSERVATIVE_CARE_WEEKS_RANGE
from sijoint_exam.domain.visit import History, Referral, Urgency, Visit
from sijoint_exam.ui.sections._fields import (
    add_row,
    combo,
    date_field,
    enum_choices,
    enum_value,
    form_layout,
    from_yes_no,
    join_lines,
    line_edit,
    lines_of,
    select,
    text_edit,
    to_yes_no,
    whole_number,
    whole_number_edit,
    yes_no,
)
from sijoint_exam.ui.widgets.reflow import Reflow

# The three yes/no answers that decide whether an injection is safe to plan.
_INJECTION_QUESTIONS = (
    ("anticoagulation", "Anticoagulation", "Is the patient on anticoagulants?"),
    ("contrast_allergy", "Contrast allergy", "Is the patient allergic to contrast?"),
    ("pregnant", "Pregnant", "Is the patient pregnant?"),
)


class HistorySection(QWidget):
    """History (onset, mechanism, care so far, imaging, medicines) and referral."""

    title = "History and referral"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # History beside the referral, or above it on a narrow form.
        row = Reflow(self)
        outer.addWidget(row)
        for title, form in (
            ("History", self._build_history()),
            ("Referral", self._build_referral()),
        ):
            part = QWidget(row)
            column = QVBoxLayout(part)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(QLabel(f"<b>{title}</b>", part))
            column.addLayout(form)
            column.addStretch(1)
            row.add(part, 1)
        self._connect()

    def _build_history(self) -> QFormLayout:
        form = form_layout()
        # Blank when the date the pain began is not known: nothing to untick.
        self.onset = date_field(
            "history.onset",
            "Date the pain began (onset); leave blank when it is not known",
            "Onset",
            self,
        )
        add_row(form, "Onset", self.onset)
        self.mechanism = line_edit(
            "history.mechanism", "How the pain began (mechanism of onset)", self
        )
        self.conservative_care = text_edit(
            "history.conservative_care",
            "Conservative care tried so far, and how it helped",
            self,
        )
        low, high = CONSERVATIVE_CARE_WEEKS_RANGE
        self.care_weeks = whole_number_edit(
            "history.conservative_care_weeks",
            f"Weeks of conservative care so far ({low}–{high}; blank: not "
            "recorded). CMS asks for at least 4 before a diagnostic block",
            low,
            high,
            self,
        )
        self.imaging = text_edit(
            "history.imaging", "Imaging done and what it showed", self
        )
        self.medications = line_edit("history.medications", "Current medications", self)
        add_row(form, "Mechanism", self.mechanism)
        add_row(form, "Conservative care", self.conservative_care)
        add_row(form, "Weeks of care", self.care_weeks)
        add_row(form, "Imaging", self.imaging)
        add_row(form, "Medications", self.medications)
        self.injection_answers = {}
        for key, label, question in _INJECTION_QUESTIONS:
            buttons = yes_no(f"history.{key}", question, self)
            self.injection_answers[key] = buttons
            add_row(form, label, buttons)
        return form

    def _build_referral(self) -> QFormLayout:
        form = form_layout()
        self.recipient = line_edit(
            "referral.recipient", "To whom the referral letter goes", self
        )
        self.question = text_edit(
            "referral.question", "The question the referral asks", self, lines=3
        )
        self.urgency = combo(
            "referral.urgency",
            "How soon the referral asks for the patient to be seen",
            enum_choices(Urgency, blank="Not recorded"),
            self,
        )
        self.copies = text_edit(
            "referral.copies", "Who gets a copy of the letter: one per line", self
        )
        add_row(form, "Recipient", self.recipient)
        add_row(form, "Question", self.question)
        add_row(form, "Urgency", self.urgency)
        add_row(form, "Copies to", self.copies)
        return form

    def _connect(self) -> None:
        # Signal-to-signal: Qt drops the arguments `changed` does not take.
        emit = self.changed
        self.onset.date_changed.connect(emit)
        for edit in (self.mechanism, self.care_weeks, self.medications, self.recipient):
            edit.textChanged.connect(emit)
        for text in (self.conservative_care, self.imaging, self.question, self.copies):
            text.textChanged.connect(emit)
        for buttons in self.injection_answers.values():
            buttons.value_changed.connect(emit)
        self.urgency.currentIndexChanged.connect(emit)

    def load(self, visit: Visit) -> None:
        """Fill the widgets from `visit`; emits nothing."""
        history, referral = visit.history, visit.referral
        with QSignalBlocker(self):
            self.onset.set_date(history.onset)
            self.mechanism.setText(history.mechanism)
            self.conservative_care.setPlainText(history.conservative_care)
            weeks = history.conservative_care_weeks
            self.care_weeks.setText("" if weeks is None else str(weeks))
            self.imaging.setPlainText(history.imaging)
            self.medications.setText(history.medications)
            for key, buttons in self.injection_answers.items():
                buttons.set_value(to_yes_no(getattr(history, key)))
            self.recipient.setText(referral.recipient)
            self.question.setPlainText(referral.question)
            select(self.urgency, referral.urgency)
            self.copies.setPlainText(join_lines(referral.copies))

    def apply(self, visit: Visit) -> Visit:
        """`visit` with the history and referral read from the widgets."""
        answers = {
            key: from_yes_no(buttons.value)
            for key, buttons in self.injection_answers.items()
        }
        # An impossible onset keeps the one read: the form names the field and
        # Save is refused until it is a date or blank.
        onset = visit.history.onset if self.onset.problem() else self.onset.date()
        history = History(
            onset=onset,
            mechanism=self.mechanism.text(),
            conservative_care=self.conservative_care.toPlainText(),
            conservative_care_weeks=whole_number(self.care_weeks),
            imaging=self.imaging.toPlainText(),
            medications=self.medications.text(),
            **answers,
        )
        referral = Referral(
            recipient=self.recipient.text(),
            question=self.question.toPlainText(),
            urgency=enum_value(Urgency, self.urgency),
            copies=lines_of(self.copies),
        )
        return replace(visit, history=history, referral=referral)
