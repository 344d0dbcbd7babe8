"""PainSection: pain NRS now / best / worst and the body chart of pain regions."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Signal, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.catalogue_measures import NRS_RANGE, PAIN_AREAS
from sijoint_exam.domain.outcomes import Pain
from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections._fields import (
    add_row,
    form_layout,
    number_text,
    number_value,
    output,
)
from sijoint_exam.ui.widgets.body_chart import (
    MIDLINE,
    SIDES,
    BodyChart,
    region_id,
    region_label,
)
from sijoint_exam.ui.widgets.choice_buttons import ChoiceButtons, number_choices
from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX

# (field of Pain, label, what it records)
NRS_FIELDS = (
    ("now", "Now", "Pain NRS now"),
    ("best_24h", "Best 24 h", "Pain NRS at its best in the last 24 hours"),
    ("worst_24h", "Worst 24 h", "Pain NRS at its worst in the last 24 hours"),
)


class PainSection(QWidget):
    """NRS 0–10 (or not recorded) three times, and the pain regions."""

    title = "Pain"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pain")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = form_layout()
        layout.addLayout(form)
        low, high = NRS_RANGE
        self.nrs: dict[str, ChoiceButtons] = {}
        for key, label, what in NRS_FIELDS:
            description = f"{what} ({low}–{high}; — not recorded)"
            # 36 px wide (44 tall), as the pre-block NRS: eleven numbers and "—"
            # then fit the exam column at a scale of 2.
            buttons = ChoiceButtons(
                description, number_choices(low, high), self, button_width=36
            )
            buttons.setObjectName(f"pain.{key}")
            buttons.value_changed.connect(self.changed)
            self.nrs[key] = buttons
            add_row(form, label, buttons)
        layout.addWidget(QLabel("<b>Pain regions</b>", self))
        self.summary = output("pain.regions", self, "Pain regions recorded")
        layout.addWidget(self.summary)
        row = QHBoxLayout()
        layout.addLayout(row)
        column = QVBoxLayout()
        column.addLayout(self._build_region_buttons())
        column.addStretch(1)
        row.addLayout(column)
        self.chart = BodyChart(self)
        row.addWidget(self.chart, 1)
        self.chart.regions_changed.connect(self._show_regions)
        self.chart.regions_changed.connect(self.changed)
        self._show_regions()

    def _build_region_buttons(self) -> QGridLayout:
        """The chart's regions as toggle buttons: the same choice by Tab and Space."""
        grid = QGridLayout()
        grid.setSpacing(2)
        self.region_buttons: dict[str, QToolButton] = {}
        for row, area in enumerate(PAIN_AREAS):
            grid.addWidget(QLabel(region_label(area).capitalize(), self), row, 0)
            for column, side in enumerate(SIDES, start=1):
                grid.addWidget(self._region_button(region_id(side, area)), row, column)
        row = len(PAIN_AREAS)
        grid.addWidget(QLabel("Sacrum", self), row, 0)
        grid.addWidget(self._region_button(MIDLINE), row, 1, 1, 2)
        return grid

    def _region_button(self, region: str) -> QToolButton:
        button = QToolButton(self)
        name = region_label(region)
        button.setObjectName(f"pain.region.{region}")
        button.setText("Midline" if region == MIDLINE else region.split("_")[0].title())
        button.setCheckable(True)
        button.setToolTip(f"Pain felt in the {name}")
        button.setAccessibleName(f"Pain region: {name}")
        button.setMinimumSize(MIN_TOUCH_PX + 16, MIN_TOUCH_PX)
        button.setStyleSheet(
            "QToolButton:checked { background: palette(highlight);"
            " color: palette(highlighted-text); font-weight: bold; }"
        )
        button.toggled.connect(
            lambda checked, r=region: self.chart.set_region(r, checked)
        )
        self.region_buttons[region] = button
        return button

    @Slot()
    def _show_regions(self) -> None:
        """Mirror the chart in the buttons and the summary line."""
        chosen = set(self.chart.regions())
        for region, button in self.region_buttons.items():
            with QSignalBlocker(button):
                button.setChecked(region in chosen)
        names = ", ".join(region_label(r) for r in self.chart.regions())
        self.summary.setText(f"Regions: {names or 'none recorded'}")

    def load(self, visit: Visit) -> None:
        """Fill the NRS and the chart from `visit`; emits nothing."""
        with QSignalBlocker(self):
            for key, buttons in self.nrs.items():
                buttons.set_value(number_text(getattr(visit.pain, key)))
            self.chart.set_regions(visit.pain.regions)

    def apply(self, visit: Visit) -> Visit:
        """`visit` with the pain NRS and regions read from the widgets."""
        values = {key: number_value(b.value) for key, b in self.nrs.items()}
        return replace(visit, pain=Pain(**values, regions=self.chart.regions()))
