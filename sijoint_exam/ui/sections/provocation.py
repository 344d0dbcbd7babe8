"""ProvocationSection: the rule set, the pretest probability and one row per test.

Built from the catalogue: adding a test there adds its row here. Lateral tests show
left above right so the form fits a 1366 px screen without scrolling sideways.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.catalogue import (
    PRETEST_PROBABILITY_RANGE,
    PROVOCATION_TESTS,
    RULE_SETS,
    RULES_BY_ID,
    PainSide,
    ProvocationTest,
    Side,
)
from sijoint_exam.domain.visit import ProvocationFinding, Visit
from sijoint_exam.ui.sections._fields import combo, enum_value, named, select
from sijoint_exam.ui.widgets.choice_buttons import NOT_RECORDED
from sijoint_exam.ui.widgets.finding_selector import FindingSelector


class TestRow:
    """The widgets of one provocation test."""

    def __init__(self, test: ProvocationTest, parent: QWidget) -> None:
        self.test = test
        self.name_label = QLabel(test.name, parent)
        self.name_label.setToolTip(test.hint)
        self.counts_label = QLabel(parent)
        self.counts_label.setStyleSheet("font-size: small;")
        self.selectors: dict[str, FindingSelector] = {}
        for side in ("left", "right") if test.lateral else ("result",):
            where = f" — {side}" if test.lateral else ""
            selector = FindingSelector(f"{test.name}{where}", parent)
            selector.setObjectName(f"provocation.{test.id}.{side}")
            self.selectors[side] = selector
        self.pain_side: QComboBox | None = None
        self.lying_side: QComboBox | None = None
        if not test.lateral:
            # Each choice begins with its own letter, so typing L, R or B picks it.
            self.pain_side = combo(
                f"provocation.{test.id}.pain_side",
                f"{test.name}: where the pain was felt",
                [("— pain side", NOT_RECORDED)]
                + [(f"{s.value.capitalize()} pain", s.value) for s in PainSide],
                parent,
            )
        if test.records_lying_side:
            self.lying_side = combo(
                f"provocation.{test.id}.lying_side",
                f"{test.name}: the side the patient lay on",
                [("— lying side", NOT_RECORDED)]
                + [(f"{s.value.capitalize()} side lying", s.value) for s in Side],
                parent,
            )
        self.note = ""  # not edited in the form yet; carried over on save

    @property
    def combos(self) -> list[QComboBox]:
        return [c for c in (self.pain_side, self.lying_side) if c is not None]

    def load(self, finding: ProvocationFinding) -> None:
        if self.test.lateral:
            self.selectors["left"].set_result(finding.left)
            self.selectors["right"].set_result(finding.right)
        else:
            self.selectors["result"].set_result(finding.result)
        if self.pain_side is not None:
            select(self.pain_side, finding.pain_side)
        if self.lying_side is not None:
            select(self.lying_side, finding.lying_side)
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
            pain_side=enum_value(PainSide, self.pain_side) if self.pain_side else None,
            lying_side=enum_value(Side, self.lying_side) if self.lying_side else None,
            note=self.note,
        )

    def show_membership(self, counts: bool) -> None:
        """Say whether this test counts for the chosen rule (bold when it does)."""
        font = self.name_label.font()
        font.setBold(counts)
        self.name_label.setFont(font)
        self.counts_label.setText("counts" if counts else "not in this rule")
        self.counts_label.setEnabled(counts)


class ProvocationSection(QWidget):
    """Every catalogue test, marked by whether it counts for the chosen rule."""

    title: ClassVar[str] = "Pain-provocation tests"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pretest = 0.0  # the loaded value, kept at full precision
        self.rule_combo = combo(
            "scoring.rule",
            "Cluster rule the tests are tallied against",
            [(rule.name, rule.id) for rule in RULE_SETS],
            self,
        )
        # Narrower than its longest name when the column is (a scale of 2).
        self.rule_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.rule_combo.setMinimumContentsLength(8)
        low, high = PRETEST_PROBABILITY_RANGE
        self.pretest_spin = named(
            QDoubleSpinBox(self),
            "scoring.pretest_probability",
            "Pretest probability of SIJ pain in this setting (13–30% in chronic LBP)",
        )
        self.pretest_spin.setRange(low * 100, high * 100)
        self.pretest_spin.setDecimals(0)
        self.pretest_spin.setSuffix(" % pretest")
        grid = QGridLayout(self)
        rule_line = QHBoxLayout()
        rule_line.addWidget(QLabel("Rule", self))
        rule_line.addWidget(self.rule_combo, 1)
        rule_line.addWidget(self.pretest_spin)
        grid.addLayout(rule_line, 0, 0, 1, 4)
        self.test_rows: dict[str, TestRow] = {}
        row = 1
        for test in PROVOCATION_TESTS:
            row += self._place(TestRow(test, self), grid, row)
        grid.setColumnStretch(3, 1)
        self.rule_combo.currentIndexChanged.connect(self._show_rule_membership)
        self.rule_combo.currentIndexChanged.connect(self.changed)
        self.pretest_spin.valueChanged.connect(self.changed)
        for test_row in self.test_rows.values():
            for selector in test_row.selectors.values():
                selector.result_changed.connect(self.changed)
                selector.next_requested.connect(lambda s=selector: self._go_on_from(s))
            for box in test_row.combos:
                box.currentIndexChanged.connect(self.changed)
        self._show_rule_membership()

    def _place(self, test_row: TestRow, grid: QGridLayout, row: int) -> int:
        """Put a test's widgets on the grid; returns the rows used."""
        self.test_rows[test_row.test.id] = test_row
        name_cell = QVBoxLayout()
        name_cell.addWidget(test_row.name_label)
        name_cell.addWidget(test_row.counts_label)
        # Pain side and lying side under the test's name, not right of its
        # results: beside them a row was wider than the exam column at a scale
        # of 2 and the results scrolled sideways. Tab still reaches them after
        # the results (made after them), as they are read.
        for box in test_row.combos:
            name_cell.addWidget(box)
        name_cell.addStretch(1)
        sides = list(test_row.selectors.items())
        rows = max(len(sides), 1 + len(test_row.combos) // 2)
        grid.addLayout(name_cell, row, 0, rows, 1)
        for offset, (side, selector) in enumerate(sides):
            if test_row.test.lateral:
                grid.addWidget(QLabel(side[0].upper(), self), row + offset, 1)
            grid.addWidget(selector, row + offset, 2, Qt.AlignmentFlag.AlignTop)
        return rows

    def _counting_selectors(self) -> list[FindingSelector]:
        """The result fields of the tests the chosen rule counts, in screen order."""
        rule = RULES_BY_ID[self.rule_combo.currentData()]
        members = {item.test_id for item in rule.items}
        return [
            selector
            for test_id, test_row in self.test_rows.items()
            if test_id in members
            for selector in test_row.selectors.values()
        ]

    def first_field(self) -> FindingSelector | None:
        """Where Alt+6 lands: the first result the rule counts (the rule and the
        pretest probability are a Shift+Tab above)."""
        return next(iter(self._counting_selectors()), None)

    def _go_on_from(self, selector: FindingSelector) -> None:
        """A result recorded (or Enter): on to the next result the rule counts,
        past the pain-side fields and the tests outside the rule, so the rule's
        tests take one key each. Tab still visits every field in screen order."""
        every = [s for row in self.test_rows.values() for s in row.selectors.values()]
        counting = set(self._counting_selectors())
        later = every[every.index(selector) + 1 :]
        # After the rule's last test (or from one outside it): the next test.
        target = next((s for s in later if s in counting), next(iter(later), None))
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            selector.focusNextChild()

    def _show_rule_membership(self) -> None:
        rule = RULES_BY_ID[self.rule_combo.currentData()]
        members = {item.test_id for item in rule.items}
        for test_id, test_row in self.test_rows.items():
            test_row.show_membership(test_id in members)

    def _widgets(self) -> list[QWidget]:
        widgets: list[QWidget] = [self.rule_combo, self.pretest_spin]
        for test_row in self.test_rows.values():
            widgets += [*test_row.selectors.values(), *test_row.combos]
        return widgets

    def load(self, visit: Visit) -> None:
        blockers = [QSignalBlocker(w) for w in self._widgets()]
        select(self.rule_combo, visit.scoring.rule)
        self._pretest = visit.scoring.pretest_probability
        self.pretest_spin.setValue(round(self._pretest * 100))
        for test_id, test_row in self.test_rows.items():
            test_row.load(visit.finding(test_id))
        for blocker in blockers:
            blocker.unblock()
        self._show_rule_membership()

    def apply(self, visit: Visit) -> Visit:
        pretest = self.pretest_spin.value() / 100
        if round(self._pretest * 100) == round(pretest * 100):
            pretest = self._pretest  # unchanged on screen: keep its precision
        return replace(
            visit,
            provocation={
                test_id: row.finding() for test_id, row in self.test_rows.items()
            },
            # Only what this section shows; the rest (threshold, agent windows)
            # stays as the visit was read.
            scoring=replace(
                visit.scoring,
                rule=self.rule_combo.currentData(),
                pretest_probability=pretest,
            ),
        )
