"""ExamForm: the exam, built from the catalogue; `load(visit)` and `visit()`.

The domain `Visit` is the source of truth: the form fills its widgets from one and
builds a fresh one from them. Sections the form does not show yet are carried over
unchanged from the loaded visit, so nothing recorded elsewhere is lost.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import QDate, QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.catalogue import (
    PROVOCATION_TESTS,
    RULE_SETS,
    RULES_BY_ID,
    PainSide,
    ProvocationTest,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.visit import ProvocationFinding, Scoring, Visit
from sijoint_exam.ui.widgets.finding_selector import FindingSelector

E = TypeVar("E", bound=Enum)

# Combo item data are always strings: PySide6 6.12 on CPython 3.11 miscounts
# references to None stored as item data and aborts at exit ("none_dealloc").
NOT_RECORDED = ""
_CENTRALISED_CHOICES = (
    ("Not assessed", NOT_RECORDED),
    ("No — did not centralise", "no"),
    ("Yes — centralised with repeated movements", "yes"),
)
_CENTRALISED_VALUES = {NOT_RECORDED: None, "no": False, "yes": True}


def _combo(name: str, tip: str, choices: list[tuple[str, str]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setToolTip(tip)
    combo.setAccessibleName(tip)
    for text, value in choices:
        combo.addItem(text, value)
    return combo


def _select(combo: QComboBox, value: str | Enum | bool | None) -> None:
    if isinstance(value, Enum):
        data = str(value.value)
    elif isinstance(value, str):
        data = value
    elif isinstance(value, bool):
        data = "yes" if value else "no"
    else:
        data = NOT_RECORDED
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))


def _named(widget: QWidget, name: str, tip: str) -> QWidget:
    widget.setObjectName(name)
    widget.setToolTip(tip)
    widget.setAccessibleName(tip)
    return widget


def _enum_or_none(kind: type[E], combo: QComboBox | None) -> E | None:
    """The combo's value as an enum member (Qt hands StrEnum data back as str)."""
    value = combo.currentData() if combo is not None else NOT_RECORDED
    return kind(value) if value != NOT_RECORDED else None


def _to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class _TestRow:
    """The widgets of one provocation test."""

    def __init__(self, test: ProvocationTest, parent: QWidget) -> None:
        self.test = test
        self.name_label = QLabel(test.name, parent)
        self.name_label.setToolTip(test.hint)
        self.counts_label = QLabel(parent)
        self.selectors: dict[str, FindingSelector] = {}
        sides = ("left", "right") if test.lateral else ("result",)
        for side in sides:
            where = f" — {side}" if test.lateral else ""
            selector = FindingSelector(f"{test.name}{where}", parent)
            selector.setObjectName(f"provocation.{test.id}.{side}")
            self.selectors[side] = selector
        self.pain_side: QComboBox | None = None
        self.lying_side: QComboBox | None = None
        if not test.lateral:
            self.pain_side = _combo(
                f"provocation.{test.id}.pain_side",
                f"{test.name}: where the pain was felt",
                [("Pain side —", NOT_RECORDED)]
                + [(f"Pain {s.value}", s.value) for s in PainSide],
            )
        if test.id == "compression":
            self.lying_side = _combo(
                "provocation.compression.lying_side",
                "Compression: the side the patient lay on",
                [("Lying side —", NOT_RECORDED)]
                + [(f"Lying on {s.value}", s.value) for s in Side],
            )
        self.note = ""  # not edited in this form yet; carried over on save

    def load(self, finding: ProvocationFinding) -> None:
        if self.test.lateral:
            self.selectors["left"].set_result(finding.left)
            self.selectors["right"].set_result(finding.right)
        else:
            self.selectors["result"].set_result(finding.result)
        if self.pain_side is not None:
            _select(self.pain_side, finding.pain_side)
        if self.lying_side is not None:
            _select(self.lying_side, finding.lying_side)
        self.note = finding.note

    def finding(self) -> ProvocationFinding:
        if self.test.lateral:
            return ProvocationFinding(
                left=self.selectors["left"].result,
                right=self.selectors["right"].result,
                note=self.note,
            )
        return ProvocationFinding(
            result=self.selectors["result"].result,
            pain_side=_enum_or_none(PainSide, self.pain_side),
            lying_side=_enum_or_none(Side, self.lying_side),
            note=self.note,
        )

    def show_membership(self, counts: bool) -> None:
        """Say whether this test counts for the chosen rule (bold when it does)."""
        font = self.name_label.font()
        font.setBold(counts)
        self.name_label.setFont(font)
        self.counts_label.setText("counts" if counts else "not in this rule")
        self.counts_label.setEnabled(counts)
        self.counts_label.setStyleSheet("font-size: small;")


class ExamForm(QWidget):
    """The exam form. `changed` fires on any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = Visit(date=dt.date.today())
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.addWidget(self._build_visit_section(body))
        layout.addWidget(self._build_provocation_section(body))
        layout.addWidget(self._build_assessment_section(body))
        layout.addStretch(1)
        self._connect_changes()
        self._show_rule_membership()

    # --- building -----------------------------------------------------------

    def _build_visit_section(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Visit", parent)
        form = QFormLayout(box)
        self.date_edit = QDateEdit(box)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        _named(self.date_edit, "visit.date", "Date of the visit")
        self.clinician_edit = _named(
            QLineEdit(box), "visit.clinician", "Clinician who examined"
        )
        self.side_combo = _combo(
            "visit.symptomatic_side",
            "Side of the symptoms; picks the tally side of lateral tests",
            [(s.value.capitalize(), s.value) for s in SymptomaticSide],
        )
        self.complaint_edit = _named(
            QLineEdit(box), "visit.chief_complaint", "Chief complaint"
        )
        self.centralised_combo = _combo(
            "visit.centralised",
            "Did the pain centralise with repeated lumbar movements?",
            list(_CENTRALISED_CHOICES),
        )
        form.addRow("Date", self.date_edit)
        form.addRow("Clinician", self.clinician_edit)
        form.addRow("Symptomatic side", self.side_combo)
        form.addRow("Chief complaint", self.complaint_edit)
        form.addRow("Centralisation", self.centralised_combo)
        return box

    def _build_provocation_section(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Pain-provocation tests", parent)
        grid = QGridLayout(box)
        self.rule_combo = _combo(
            "scoring.rule",
            "Cluster rule the tests are tallied against",
            [(rule.name, rule.id) for rule in RULE_SETS],
        )
        self.pretest_spin = QDoubleSpinBox(box)
        self.pretest_spin.setRange(1, 99)
        self.pretest_spin.setDecimals(0)
        self.pretest_spin.setSuffix(" % pretest")
        _named(
            self.pretest_spin,
            "scoring.pretest_probability",
            "Pretest probability of SIJ pain in this setting (13–30% in chronic LBP)",
        )
        rule_line = QHBoxLayout()
        rule_line.addWidget(QLabel("Rule", box))
        rule_line.addWidget(self.rule_combo, 1)
        rule_line.addWidget(self.pretest_spin)
        grid.addLayout(rule_line, 0, 0, 1, 4)
        # Sides are stacked (L above R) so the form fits 1366 px without scrolling.
        self.test_rows: dict[str, _TestRow] = {}
        row = 1
        for test in PROVOCATION_TESTS:
            test_row = _TestRow(test, box)
            self.test_rows[test.id] = test_row
            name_cell = QVBoxLayout()
            name_cell.addWidget(test_row.name_label)
            name_cell.addWidget(test_row.counts_label)
            name_cell.addStretch(1)
            sides = list(test_row.selectors.items())
            grid.addLayout(name_cell, row, 0, len(sides), 1)
            for offset, (side, selector) in enumerate(sides):
                if test.lateral:
                    grid.addWidget(QLabel(side[0].upper(), box), row + offset, 1)
                grid.addWidget(selector, row + offset, 2)
            extras = [c for c in (test_row.pain_side, test_row.lying_side) if c]
            if extras:
                extras_cell = QVBoxLayout()
                for combo in extras:
                    extras_cell.addWidget(combo)
                grid.addLayout(extras_cell, row, 3)
            row += len(sides)
        grid.setColumnStretch(3, 1)
        return box

    def _build_assessment_section(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Assessment and plan", parent)
        form = QFormLayout(box)
        self.assessment_edit = QPlainTextEdit(box)
        self.plan_edit = QPlainTextEdit(box)
        for edit, name, tip in (
            (self.assessment_edit, "visit.assessment", "Assessment (free text)"),
            (self.plan_edit, "visit.plan", "Plan (free text)"),
        ):
            _named(edit, name, tip)
            edit.setTabChangesFocus(True)  # Tab keeps moving through the form
            edit.setFixedHeight(80)
        form.addRow("Assessment", self.assessment_edit)
        form.addRow("Plan", self.plan_edit)
        return box

    def _connect_changes(self) -> None:
        # Signal-to-signal connections: Qt drops the arguments `changed` lacks.
        emit = self.changed
        self.date_edit.dateChanged.connect(emit)
        for line in (self.clinician_edit, self.complaint_edit):
            line.textChanged.connect(emit)
        for combo in self._combos():
            combo.currentIndexChanged.connect(emit)
        self.pretest_spin.valueChanged.connect(emit)
        self.rule_combo.currentIndexChanged.connect(self._show_rule_membership)
        for edit in (self.assessment_edit, self.plan_edit):
            edit.textChanged.connect(emit)
        for test_row in self.test_rows.values():
            for selector in test_row.selectors.values():
                selector.result_changed.connect(emit)

    def _combos(self) -> list[QComboBox]:
        combos = [self.side_combo, self.centralised_combo, self.rule_combo]
        for test_row in self.test_rows.values():
            combos += [c for c in (test_row.pain_side, test_row.lying_side) if c]
        return combos

    def _show_rule_membership(self) -> None:
        rule = RULES_BY_ID[self.rule_combo.currentData()]
        members = {item.test_id for item in rule.items}
        for test_id, test_row in self.test_rows.items():
            test_row.show_membership(test_id in members)

    # --- binding ------------------------------------------------------------

    def load(self, visit: Visit) -> None:
        """Fill the widgets from `visit` without emitting `changed` per widget."""
        self._base = visit
        widgets: list[QWidget] = [
            self.date_edit,
            self.clinician_edit,
            self.complaint_edit,
            self.pretest_spin,
            self.assessment_edit,
            self.plan_edit,
            *self._combos(),
        ]
        for test_row in self.test_rows.values():
            widgets += test_row.selectors.values()
        blockers = [QSignalBlocker(w) for w in widgets]
        try:
            self.date_edit.setDate(_to_qdate(visit.date))
            self.clinician_edit.setText(visit.clinician)
            self.complaint_edit.setText(visit.chief_complaint)
            _select(self.side_combo, visit.symptomatic_side)
            _select(self.centralised_combo, visit.centralised)
            _select(self.rule_combo, visit.scoring.rule)
            self.pretest_spin.setValue(round(visit.scoring.pretest_probability * 100))
            self.assessment_edit.setPlainText(visit.assessment)
            self.plan_edit.setPlainText(visit.plan)
            for test_id, test_row in self.test_rows.items():
                test_row.load(visit.finding(test_id))
        finally:
            for blocker in blockers:
                blocker.unblock()
        self._show_rule_membership()
        self.changed.emit()

    def visit(self) -> Visit:
        """A new `Visit` from the widgets (unshown sections carried over)."""
        pretest = self.pretest_spin.value() / 100
        if round(self._base.scoring.pretest_probability * 100) == round(pretest * 100):
            pretest = self._base.scoring.pretest_probability  # keep its precision
        return replace(
            self._base,
            date=_from_qdate(self.date_edit.date()),
            clinician=self.clinician_edit.text(),
            symptomatic_side=SymptomaticSide(self.side_combo.currentData()),
            chief_complaint=self.complaint_edit.text(),
            centralised=_CENTRALISED_VALUES[self.centralised_combo.currentData()],
            provocation={
                test_id: row.finding() for test_id, row in self.test_rows.items()
            },
            scoring=Scoring(
                rule=self.rule_combo.currentData(),
                pretest_probability=pretest,
                block_threshold_percent=self._base.scoring.block_threshold_percent,
            ),
            assessment=self.assessment_edit.toPlainText(),
            plan=self.plan_edit.toPlainText(),
        )
