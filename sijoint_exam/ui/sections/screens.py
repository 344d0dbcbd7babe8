"""ScreensSection: the neuro screen and the hip screen (clinical-rules.md §9).

Pain reaching the foot is part of the SIJ picture, and so is radiculopathy: the
letter needs both screens. Built from the catalogue's labels; what the neuro screen
suggests is read by `domain.screens`, never here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from PySide6.QtCore import QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from sijoint_exam.domain.catalogue import Side
from sijoint_exam.domain.catalogue_together import (
    HIP_ITEMS,
    NEURO_GRADED_ITEMS,
    NEURO_SIDED_ITEMS,
)
from sijoint_exam.domain.screens import (
    GradedFinding,
    HipScreen,
    NeuroReading,
    NeuroScreen,
    PerSide,
    SidedFinding,
    read_neuro_screen,
)
from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections._fields import output
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.widgets.choice_buttons import NOT_RECORDED, Choice, ChoiceButtons
from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX

# "Not tested" is the blank choice (Delete clears to it), as "not asked" elsewhere.
SIDED_CHOICES = (
    Choice(NOT_RECORDED, "Not tested", "T"),
    Choice(SidedFinding.POSITIVE.value, "Positive", "P"),
    Choice(SidedFinding.NEGATIVE.value, "Negative", "N"),
)
GRADED_CHOICES = (
    Choice(NOT_RECORDED, "Not tested", "T"),
    Choice(GradedFinding.NORMAL.value, "Normal", "N"),
    Choice(GradedFinding.ABNORMAL.value, "Abnormal", "A"),
)
READING_TEXT = {
    NeuroReading.SUGGESTS_RADICULOPATHY: "Neuro screen suggests radiculopathy",
    NeuroReading.SUGGESTS_NONE: "Neuro screen suggests no radiculopathy",
    None: "Neuro screen not recorded: at least one straight-leg raise and one of "
    "myotomes, reflexes or sensation are needed",
}
READING_TONES = {
    NeuroReading.SUGGESTS_RADICULOPATHY: Tone.ALERT,
    NeuroReading.SUGGESTS_NONE: Tone.REASSURING,
    None: Tone.PENDING,
}


def _sided(value: str) -> SidedFinding:
    return SidedFinding(value) if value else SidedFinding.NOT_TESTED


def _sided_value(finding: SidedFinding) -> str:
    return "" if finding is SidedFinding.NOT_TESTED else finding.value


def _graded(value: str) -> GradedFinding:
    return GradedFinding(value) if value else GradedFinding.NOT_TESTED


def _graded_value(finding: GradedFinding) -> str:
    return "" if finding is GradedFinding.NOT_TESTED else finding.value


class ScreensSection(QWidget):
    """SLR and slump per side; myotomes, reflexes, sensation; FADIR and hip range
    per side. Object names: `neuro.<item>[.<side>]`, `hip.<item>.<side>`."""

    title: ClassVar[str] = "Neuro and hip screens"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("screens")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # By object-name prefix: `neuro.slr`, `hip.fadir`.
        self.sided: dict[str, dict[Side, ChoiceButtons]] = {}
        self.graded: dict[str, ChoiceButtons] = {}
        grid = QGridLayout()
        grid.setColumnStretch(3, 1)
        row = 0
        grid.addWidget(QLabel("<b>Neuro screen</b>", self), row, 0, 1, 3)
        row += 1
        for key, label in NEURO_SIDED_ITEMS.items():
            row = self._add_sided(grid, row, f"neuro.{key}", label)
        for key, label in NEURO_GRADED_ITEMS.items():
            buttons = self._buttons(f"neuro.{key}", label, GRADED_CHOICES)
            self.graded[key] = buttons
            self._add_label(grid, row, label, buttons, rows=1)
            grid.addWidget(buttons, row, 2)
            row += 1
        self.reading = output("neuro.reading", self, "What the neuro screen suggests")
        grid.addWidget(self.reading, row, 0, 1, 4)
        row += 1
        grid.addWidget(QLabel("<b>Hip screen</b>", self), row, 0, 1, 3)
        row += 1
        for key, label in HIP_ITEMS.items():
            row = self._add_sided(grid, row, f"hip.{key}", label)
        layout.addLayout(grid)
        self._show_reading()

    def _buttons(
        self, name: str, description: str, choices: tuple[Choice, ...]
    ) -> ChoiceButtons:
        buttons = ChoiceButtons(description, choices, self)
        buttons.setObjectName(name)
        buttons.value_changed.connect(self._show_reading)
        buttons.value_changed.connect(self.changed)
        return buttons

    def _add_label(
        self, grid: QGridLayout, row: int, text: str, buddy: QWidget, rows: int
    ) -> None:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setBuddy(buddy)
        # Level with the item's first row (left), as the provocation tests.
        label.setMinimumHeight(MIN_TOUCH_PX)
        grid.addWidget(label, row, 0, rows, 1, Qt.AlignmentFlag.AlignTop)

    def _add_sided(self, grid: QGridLayout, row: int, prefix: str, label: str) -> int:
        """Left above right, as the provocation tests; returns the next row."""
        per_side: dict[Side, ChoiceButtons] = {}
        for offset, side in enumerate(Side):
            buttons = self._buttons(
                f"{prefix}.{side.value}", f"{label} — {side.value}", SIDED_CHOICES
            )
            per_side[side] = buttons
            grid.addWidget(QLabel(side.value[0].upper(), self), row + offset, 1)
            grid.addWidget(buttons, row + offset, 2)
        self._add_label(grid, row, label, per_side[Side.LEFT], rows=len(per_side))
        self.sided[prefix] = per_side
        return row + len(per_side)

    def _per_side(self, key: str) -> PerSide:
        buttons = self.sided[key]
        return PerSide(
            left=_sided(buttons[Side.LEFT].value),
            right=_sided(buttons[Side.RIGHT].value),
        )

    def neuro_screen(self) -> NeuroScreen:
        """The neuro screen as entered."""
        graded = {key: _graded(b.value) for key, b in self.graded.items()}
        sided = {key: self._per_side(f"neuro.{key}") for key in NEURO_SIDED_ITEMS}
        return NeuroScreen(**sided, **graded)

    def hip_screen(self) -> HipScreen:
        """The hip screen as entered."""
        return HipScreen(**{key: self._per_side(f"hip.{key}") for key in HIP_ITEMS})

    @Slot()
    def _show_reading(self) -> None:
        found = read_neuro_screen(self.neuro_screen())
        self.reading.setText(READING_TEXT[found])
        set_tone(self.reading, READING_TONES[found])

    def _all_buttons(self) -> list[ChoiceButtons]:
        buttons = list(self.graded.values())
        for per_side in self.sided.values():
            buttons += per_side.values()
        return buttons

    def load(self, visit: Visit) -> None:
        """Fill both screens from `visit`; emits nothing."""
        neuro, hip = visit.neuro_screen, visit.hip_screen
        blockers = [QSignalBlocker(b) for b in self._all_buttons()]
        for key in NEURO_SIDED_ITEMS:
            self._set_sided(f"neuro.{key}", getattr(neuro, key))
        for key in HIP_ITEMS:
            self._set_sided(f"hip.{key}", getattr(hip, key))
        for key, buttons in self.graded.items():
            buttons.set_value(_graded_value(getattr(neuro, key)))
        for blocker in blockers:
            blocker.unblock()
        self._show_reading()

    def _set_sided(self, key: str, finding: PerSide) -> None:
        for side, buttons in self.sided[key].items():
            buttons.set_value(_sided_value(finding.on_side(side)))

    def apply(self, visit: Visit) -> Visit:
        """`visit` with the neuro and hip screens read from the widgets."""
        return replace(
            visit, neuro_screen=self.neuro_screen(), hip_screen=self.hip_screen()
        )
