"""BlockEditor: one diagnostic block as entered, with its readings table.

Relief, peak, result and cautions are computed by `domain.block` (through
`show_reading`); the editor only shows them. A reading row without its minutes or
its NRS is not a reading yet: it is left out of the block until both are entered.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from sijoint_exam.domain.block import (
    Block,
    BlockReading,
    BlockResult,
    BlockSide,
    Guidance,
    relief_percent,
    relief_text,
)
from sijoint_exam.domain.catalogue import (
    BLOCK_PRE_NRS_RANGE,
    Agent,
)
from sijoint_exam.ui.sections._fields import (
    add_row,
    chain_focus,
    combo,
    date_field,
    enum_choices,
    enum_value,
    form_layout,
    from_yes_no,
    heading,
    layout_widgets,
    line_edit,
    named,
    number_text,
    number_value,
    out_of_tab_path,
    output,
    select,
    to_yes_no,
    yes_no,
)
from sijoint_exam.ui.sections.block_readings import ReadingEntry, ReadingRow
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.widgets.choice_buttons import (
    NOT_RECORDED,
    ChoiceButtons,
    number_choices,
)
from sijoint_exam.ui.widgets.sideways import SidewaysScroll

# Block numbers as the domain reads them (block.comparative_pair).
BLOCK_NUMBERS = ((1, "1 — screening"), (2, "2 — confirmatory"))
# The pre-block NRS not yet entered: the block is kept, and validation names it.
PRE_NOT_ENTERED = 0
RESULT_TONES = {
    BlockResult.POSITIVE: Tone.ALERT,
    BlockResult.NEGATIVE: Tone.REASSURING,
    BlockResult.INCOMPLETE: Tone.PENDING,
    BlockResult.UNGUIDED: Tone.PENDING,  # relief shown, not a diagnostic block
}
# "Not recorded" (None) is not "none": a blind injection is recorded as unguided.
_GUIDANCE_TEXT = {Guidance.NONE: "None — unguided (blind)"}
GUIDANCE_CHOICES = [("Not recorded", NOT_RECORDED)] + [
    (_GUIDANCE_TEXT.get(g, heading(g.value)), g.value) for g in Guidance
]


def _duration(minutes: int) -> str:
    """`120` -> `2 h`, `90` -> `90 min`."""
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


def _hours_text(hours: float | None) -> str:
    if hours is None:
        return ""
    return str(int(hours)) if hours.is_integer() else repr(hours)


class BlockEditor(QGroupBox):
    """Block `number` of the list (1-based); `edited` on any change of its inputs."""

    edited = Signal()
    remove_requested = Signal()

    def __init__(self, number: int, parent: QWidget | None = None) -> None:
        super().__init__(f"Block {number}", parent)
        self.prefix = f"block.{number}"
        self.number_shown = number
        self._loaded_date = dt.date.today()
        self.setObjectName(self.prefix)
        # Fields above the readings, not beside them: side by side the block was
        # wider than the exam column of a 1366 px window.
        self._rows: list[ReadingRow] = []
        grid = QGridLayout(self)
        self._form = self._build_fields()
        grid.addLayout(self._form, 0, 0)
        grid.addLayout(self._build_readings(), 1, 0)
        # Last and apart from the fields: removing a block is never one Tab and
        # a Space away from a field (it asks first, see BlocksSection).
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove)
        grid.addLayout(remove_row, 2, 0)
        self._chain_focus()

    # --- building -----------------------------------------------------------

    def _build_fields(self) -> QFormLayout:
        p = self.prefix
        self.date = date_field(
            f"{p}.date",
            "Date of the block",
            f"Block {self.number_shown} date",
            self,
            required=True,
        )
        self.number = combo(
            f"{p}.number",
            "Screening (first) or confirmatory (second) block",
            [(text, str(n)) for n, text in BLOCK_NUMBERS],
            self,
        )
        self.side = combo(
            f"{p}.side", "The joint injected", enum_choices(BlockSide, None), self
        )
        self.agent = combo(
            f"{p}.agent", "Local anaesthetic used", enum_choices(Agent, None), self
        )
        self.concentration = line_edit(f"{p}.concentration", "Concentration", self)
        self.volume = line_edit(f"{p}.volume", "Volume injected", self)
        self.steroid = yes_no(f"{p}.steroid", "Steroid added to the injectate?", self)
        self.guidance = combo(
            f"{p}.guidance",
            "How the needle was guided (image guidance); not recorded, or none "
            "for a blind injection",
            GUIDANCE_CHOICES,
            self,
        )
        low, high = BLOCK_PRE_NRS_RANGE
        self.pre = ChoiceButtons(
            f"Pain NRS immediately before the block ({low}–{high}; 0 is refused)",
            number_choices(low, high, blank_tip="not entered"),
            self,
            button_width=36,
        )
        self.pre.setObjectName(f"{p}.pre")
        self.relief_hours = line_edit(
            f"{p}.relief_hours",
            "Hours the relief stayed at or above the threshold (blank: not given)",
            self,
        )
        validator = QDoubleValidator(0.0, 1e6, 3, self.relief_hours)
        validator.setLocale(QLocale.c())
        self.relief_hours.setValidator(validator)
        self.remove = out_of_tab_path(
            named(QPushButton("Remove block", self), f"{p}.remove", "Remove this block")
        )
        self.remove.clicked.connect(self.remove_requested)
        form = form_layout()
        add_row(form, "Date", self.date)
        add_row(form, "Number", self.number)
        add_row(form, "Side", self.side)
        add_row(form, "Agent", self.agent)
        add_row(form, "Concentration", self.concentration)
        add_row(form, "Volume", self.volume)
        add_row(form, "Steroid", self.steroid)
        add_row(form, "Guidance", self.guidance)
        add_row(form, "Relief lasted (h)", self.relief_hours)
        for box in (self.number, self.side, self.agent, self.guidance):
            box.currentIndexChanged.connect(self.edited)
        for edit in (self.concentration, self.volume, self.relief_hours):
            edit.textChanged.connect(self.edited)
        self.date.date_changed.connect(self.edited)
        self.steroid.value_changed.connect(self.edited)
        self.pre.value_changed.connect(self.edited)
        return form

    def _build_readings(self) -> QGridLayout:
        p = self.prefix
        column = QGridLayout()
        column.addWidget(QLabel("Pre-block NRS", self), 0, 0)
        column.addWidget(self.pre, 1, 0)
        column.addWidget(QLabel("<b>Readings after the block</b>", self), 2, 0)
        # The readings table scrolls sideways on its own on a narrow form, rather
        # than widen the whole exam (SidewaysScroll).
        table = QWidget(self)
        self._table = QGridLayout(table)
        self._table.setContentsMargins(0, 0, 0, 0)
        for i, text in enumerate(("Minutes", "NRS", "Patient %", "Relief", "")):
            self._table.addWidget(QLabel(text, table), 0, i)
        self._table.setColumnStretch(5, 1)
        column.addWidget(SidewaysScroll(table, self), 3, 0)
        self.add_reading = named(
            QPushButton("Add reading", self),
            f"{p}.add_reading",
            "Add a post-block pain reading",
        )
        self.add_reading.clicked.connect(self._on_add_reading)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_reading)
        buttons.addStretch(1)
        column.addLayout(buttons, 4, 0)
        self.window = output(f"{p}.window", self, "Agent window")
        self.peak = output(f"{p}.peak", self, "Peak relief")
        self.result = output(f"{p}.result", self, "Block result")
        self.cautions = output(f"{p}.cautions", self, "Block cautions")
        font = self.result.font()
        font.setBold(True)
        self.result.setFont(font)
        for row, label in enumerate(
            (self.window, self.peak, self.result, self.cautions), start=5
        ):
            column.addWidget(label, row, 0)
        column.setRowStretch(9, 1)
        return column

    # --- readings -----------------------------------------------------------

    def _set_entries(self, entries: list[ReadingEntry]) -> None:
        for row in self._rows:
            for widget in row.widgets():
                widget.setParent(None)
                widget.deleteLater()
        self._rows = []
        for number, entry in enumerate(entries, start=1):
            row = ReadingRow(f"{self.prefix}.reading.{number}", self)
            row.load(entry)
            for spin in (row.minutes, row.nrs, row.patient_percent):
                spin.valueChanged.connect(self.edited)
            row.remove.clicked.connect(
                lambda _=False, i=number - 1: self._remove_reading(i)
            )
            for column, widget in enumerate(row.widgets()):
                self._table.addWidget(widget, number, column)
                widget.show()  # now, not on the next pass: Tab may come first
            self._rows.append(row)
        self._chain_focus()

    def focus_order(self) -> list[QWidget]:
        """The block's fields as they are seen: the form row by row, the
        pre-block NRS, each reading, then "Add reading"."""
        order = layout_widgets(self._form) + [self.pre]
        for row in self._rows:
            order += [row.minutes, row.nrs, row.patient_percent]
        return [*order, self.add_reading]

    def _chain_focus(self) -> None:
        if hasattr(self, "add_reading"):  # built
            chain_focus(self.focus_order())

    def entries(self) -> list[ReadingEntry]:
        return [row.entry() for row in self._rows]

    @Slot()
    def _on_add_reading(self) -> None:
        self._set_entries([*self.entries(), ReadingEntry()])
        # As if reached by Tab: the "—" is selected, so typed minutes replace it.
        minutes = self._rows[-1].minutes
        minutes.setFocus(Qt.FocusReason.TabFocusReason)
        minutes.selectAll()
        self.edited.emit()

    def _remove_reading(self, index: int) -> None:
        entries = self.entries()
        del entries[index]
        self._set_entries(entries)
        self.add_reading.setFocus()
        self.edited.emit()

    # --- binding ------------------------------------------------------------

    def load(self, block: Block) -> None:
        """Show `block` (the caller blocks signals)."""
        self._loaded_date = block.date
        self.date.set_date(block.date)
        select(self.number, str(block.number))
        select(self.side, block.side)
        select(self.agent, block.agent)
        self.concentration.setText(block.concentration)
        self.volume.setText(block.volume)
        self.steroid.set_value(to_yes_no(block.steroid))
        select(self.guidance, block.guidance)
        pre = None if block.pre == PRE_NOT_ENTERED else block.pre
        self.pre.set_value(number_text(pre))
        self.relief_hours.setText(_hours_text(block.relief_hours))
        self._set_entries(
            [ReadingEntry(r.minutes, r.nrs, r.patient_percent) for r in block.readings]
        )

    def block(self) -> Block:
        """The block as entered; blank reading rows are left out."""
        hours = self.relief_hours.text().strip()
        try:
            relief_hours = float(hours) if hours else None
        except ValueError:  # an unfinished entry such as "."
            relief_hours = None
        side = enum_value(BlockSide, self.side)
        agent = enum_value(Agent, self.agent)
        assert side is not None and agent is not None  # no blank entries
        readings = (e.reading() for e in self.entries())
        return Block(
            # An unfinished date keeps the one loaded; the form names the field.
            date=self.date.date() or self._loaded_date,
            number=int(self.number.currentData()),
            side=side,
            agent=agent,
            pre=number_value(self.pre.value) or PRE_NOT_ENTERED,
            concentration=self.concentration.text(),
            volume=self.volume.text(),
            steroid=from_yes_no(self.steroid.value),
            guidance=enum_value(Guidance, self.guidance),
            readings=tuple(r for r in readings if r is not None),
            relief_hours=relief_hours,
        )

    def show_reading(self, read: BlockReading) -> None:
        """Show what the domain read from this block: relief, peak, result."""
        block = read.block
        limit = read.window_minutes
        self.window.setText(
            f"Readings count within {_duration(limit)} ({block.agent.value})"
            if limit is not None
            else "Every reading counts (no window for this agent)"
        )
        inside = read.readings_in_window
        for row, entry in zip(self._rows, self.entries(), strict=True):
            reading = entry.reading()
            if reading is None:
                row.relief.setText("enter minutes and NRS")
                set_tone(row.relief, Tone.PENDING)
            elif block.pre < BLOCK_PRE_NRS_RANGE[0]:
                row.relief.setText("enter the pre-block NRS")
                set_tone(row.relief, Tone.PENDING)
            else:
                text = relief_text(relief_percent(block.pre, reading.nrs))
                outside = "" if reading in inside else " (outside the window)"
                row.relief.setText(text + outside)
                set_tone(row.relief, None)
        peak = read.peak_relief_percent
        self.peak.setText(
            "Peak: no reading in the window"
            if peak is None
            else f"Peak: {relief_text(peak)}"
        )
        self.result.setText(
            f"Result: {read.result.value} (threshold {read.threshold_percent}%)"
        )
        set_tone(self.result, RESULT_TONES[read.result])
        self.cautions.setText("\n".join(f"⚠ {c}" for c in read.cautions))
        self.cautions.setVisible(bool(read.cautions))


def new_block(day: dt.date, number: int, side: BlockSide) -> Block:
    """A block to fill in: pre-block NRS not entered, first agent listed."""
    return Block(day, number, side, next(iter(Agent)), PRE_NOT_ENTERED)
