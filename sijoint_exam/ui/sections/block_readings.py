"""The rows of a block's readings table: minutes, NRS, patient's % relief.

A cell left blank shows "—"; a row is a reading only once minutes and NRS are in.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QPushButton, QSpinBox, QWidget

from sijoint_exam.domain.block import Reading
from sijoint_exam.domain.catalogue import PATIENT_PERCENT_RANGE
from sijoint_exam.domain.catalogue_measures import NRS_RANGE
from sijoint_exam.ui.sections._fields import named, out_of_tab_path, output

_MAX_MINUTES = 99_999  # an input bound only, not a clinical window


@dataclass(frozen=True)
class ReadingEntry:
    """A readings-table row as typed; `None` where a cell is still blank."""

    minutes: int | None = None
    nrs: int | None = None
    patient_percent: int | None = None

    def reading(self) -> Reading | None:
        if self.minutes is None or self.nrs is None:
            return None
        return Reading(self.minutes, self.nrs, self.patient_percent)


def _spin(name: str, tip: str, low: int, high: int, parent: QWidget) -> QSpinBox:
    """A spin box whose value below `low` shows "—" (blank)."""
    spin = named(QSpinBox(parent), name, tip)
    spin.setRange(low - 1, high)
    spin.setSpecialValueText("—")
    return spin


class ReadingRow:
    """The widgets of one post-block reading."""

    def __init__(self, prefix: str, parent: QWidget) -> None:
        low, high = NRS_RANGE
        p_low, p_high = PATIENT_PERCENT_RANGE
        self.minutes = _spin(
            f"{prefix}.minutes",
            "Minutes after the block when the pain was rated",
            0,
            _MAX_MINUTES,
            parent,
        )
        self.minutes.setSuffix(" min")
        self.nrs = _spin(
            f"{prefix}.nrs",
            f"Pain NRS at this reading ({low}–{high})",
            low,
            high,
            parent,
        )
        self.nrs.setMinimumWidth(self.nrs.fontMetrics().horizontalAdvance("10") + 48)
        self.patient_percent = _spin(
            f"{prefix}.patient_percent",
            f"Relief the patient reports, in percent ({p_low}–{p_high}; optional)",
            p_low,
            p_high,
            parent,
        )
        self.patient_percent.setSuffix(" %")
        self.relief = output(f"{prefix}.relief", parent, "Relief at this reading")
        widest = "pain increased (−100%) (outside the window)"
        self.relief.setMinimumWidth(self.relief.fontMetrics().horizontalAdvance(widest))
        # Out of the Tab path: Tab from a reading goes on to the next one. (A
        # reading is cleared by keyboard with Delete on its minutes or NRS.)
        self.remove = out_of_tab_path(
            named(
                QPushButton("Remove", parent), f"{prefix}.remove", "Remove this reading"
            )
        )

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.minutes, self.nrs, self.patient_percent, self.relief, self.remove)

    def load(self, entry: ReadingEntry) -> None:
        for spin, value in (
            (self.minutes, entry.minutes),
            (self.nrs, entry.nrs),
            (self.patient_percent, entry.patient_percent),
        ):
            spin.setValue(spin.minimum() if value is None else value)

    def entry(self) -> ReadingEntry:
        def value(spin: QSpinBox) -> int | None:
            return None if spin.value() == spin.minimum() else spin.value()

        return ReadingEntry(
            value(self.minutes), value(self.nrs), value(self.patient_percent)
        )
