"""BlocksSection: the diagnostic blocks of a visit, read against its threshold.

Every figure shown (relief per reading, peak, result, comparative category,
cautions) comes from `domain.block.read_blocks` with the threshold and the agent
windows stored in the visit's scoring; nothing is computed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.block import (
    DEFAULT_AGENT_WINDOWS,
    AgentWindows,
    Block,
    BlockSide,
    read_blocks,
)
from sijoint_exam.domain.catalogue import (
    BLOCK_PRE_NRS_RANGE,
    BLOCK_THRESHOLD_CITATIONS,
    DEFAULT_BLOCK_THRESHOLD_PERCENT,
    SymptomaticSide,
)
from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections._fields import chain_focus, named, output, words
from sijoint_exam.ui.sections.block_editor import RESULT_TONES, BlockEditor, new_block
from sijoint_exam.ui.tones import set_tone


def ask_remove_block(parent: QWidget, number: int) -> bool:
    """Removing a block loses what was entered in it: ask first."""
    answer = QMessageBox.question(
        parent,
        "Remove block",
        f"Remove block {number} and its readings from this visit?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def _readable(blocks: Sequence[Block]) -> list[Block]:
    """Blocks the domain can read: without a pre-block NRS no relief is computed."""
    low = BLOCK_PRE_NRS_RANGE[0]
    return [b if b.pre >= low else replace(b, readings=()) for b in blocks]


class BlocksSection(QWidget):
    """A list of `BlockEditor`s, the comparative category and its cautions."""

    title = "Diagnostic blocks"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blocks")
        self.confirm_remove = ask_remove_block  # tests answer for the clinician
        self._threshold = DEFAULT_BLOCK_THRESHOLD_PERCENT
        self._windows: AgentWindows = DEFAULT_AGENT_WINDOWS
        self._visit_date = dt.date.today()
        self._default_side = BlockSide.LEFT
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.threshold = output("blocks.threshold", self, "Block relief threshold")
        layout.addWidget(self.threshold)
        self._list = QVBoxLayout()
        layout.addLayout(self._list)
        self.empty = QLabel("No block recorded.", self)
        layout.addWidget(self.empty)
        self.add_block = named(
            QPushButton("Add block", self), "blocks.add", "Record a diagnostic block"
        )
        self.add_block.clicked.connect(self._on_add_block)
        row = QHBoxLayout()
        row.addWidget(self.add_block)
        row.addStretch(1)
        layout.addLayout(row)
        self.comparative = output("blocks.comparative", self, "Comparative blocks")
        self.overall = output("blocks.overall", self, "Block result for the visit")
        self.comparative_cautions = output(
            "blocks.comparative_cautions", self, "Comparative block cautions"
        )
        for label in (self.comparative, self.comparative_cautions, self.overall):
            layout.addWidget(label)
        self.editors: list[BlockEditor] = []
        self._show_reading()

    # --- list ---------------------------------------------------------------

    def _set_blocks(self, blocks: Sequence[Block]) -> None:
        """Rebuild the editors (numbers follow the list)."""
        for editor in self.editors:
            editor.setParent(None)
            editor.deleteLater()
        self.editors = []
        for number, block in enumerate(blocks, start=1):
            editor = BlockEditor(number, self)
            editor.load(block)
            editor.edited.connect(self._on_edit)
            editor.remove_requested.connect(lambda i=number - 1: self._remove_block(i))
            self._list.addWidget(editor)
            editor.show()  # now, not on the next pass: Tab may come first
            self.editors.append(editor)
        # New editors join the end of the window's Tab chain: put them before
        # "Add block", where they are seen.
        order = [self.add_block.previousInFocusChain()]
        for editor in self.editors:
            order += editor.focus_order()
        chain_focus([*order, self.add_block])

    def blocks(self) -> tuple[Block, ...]:
        """The blocks as entered."""
        return tuple(editor.block() for editor in self.editors)

    @Slot()
    def _on_add_block(self) -> None:
        blocks = self.blocks()
        # The first block screens, a later one confirms (the domain's numbering).
        number = 1 if not blocks else 2
        self._set_blocks(
            [*blocks, new_block(self._visit_date, number, self._default_side)]
        )
        self.editors[-1].date.setFocus(Qt.FocusReason.TabFocusReason)
        self._on_edit()

    def set_default_side(self, side: SymptomaticSide) -> None:
        """A new block is on the symptomatic side (left when it is not known)."""
        sides = {s.value: s for s in BlockSide}
        self._default_side = sides.get(side.value, BlockSide.LEFT)

    def _remove_block(self, index: int) -> None:
        if not self.confirm_remove(self, index + 1):
            return
        blocks = list(self.blocks())
        del blocks[index]
        self._set_blocks(blocks)
        self.add_block.setFocus()
        self._on_edit()

    # --- derived ------------------------------------------------------------

    @Slot()
    def _on_edit(self) -> None:
        self._show_reading()
        self.changed.emit()

    def set_threshold(self, percent: int) -> None:
        """Read the blocks against `percent` (the visit's stored threshold)."""
        self._threshold = percent
        self._show_reading()

    def _show_reading(self) -> None:
        source = BLOCK_THRESHOLD_CITATIONS.get(self._threshold, "")
        self.threshold.setText(
            f"Relief threshold {self._threshold}%" + (f" ({source})" if source else "")
        )
        blocks = self.blocks()
        self.empty.setVisible(not blocks)
        read = read_blocks(_readable(blocks), self._threshold, self._windows)
        for editor, block_read in zip(self.editors, read.blocks, strict=True):
            editor.show_reading(replace(block_read, block=editor.block()))
        if read.comparative is None:
            pair = "no comparative pair" if len(blocks) > 1 else ""
            self.comparative.setText(f"Comparative blocks: {pair}" if pair else "")
        else:
            self.comparative.setText(
                f"Comparative blocks: {words(read.comparative.value)}"
            )
        self.comparative.setVisible(bool(self.comparative.text()))
        self.comparative_cautions.setText(
            "\n".join(f"⚠ {c}" for c in read.comparative_cautions)
        )
        self.comparative_cautions.setVisible(bool(read.comparative_cautions))
        if read.overall is None:
            self.overall.setText("")
        else:
            self.overall.setText(f"Block result for the visit: {read.overall.value}")
        set_tone(self.overall, RESULT_TONES.get(read.overall) if read.overall else None)
        self.overall.setVisible(read.overall is not None)

    # --- binding ------------------------------------------------------------

    def load(self, visit: Visit) -> None:
        """Fill the blocks from `visit`, read with its threshold and agent windows;
        emits nothing."""
        self._threshold = visit.scoring.block_threshold_percent
        self._windows = visit.scoring.agent_window_hours
        self._visit_date = visit.date
        self.set_default_side(visit.symptomatic_side)
        with QSignalBlocker(self):
            self._set_blocks(visit.blocks)
        self._show_reading()

    def apply(self, visit: Visit) -> Visit:
        """`visit` with the blocks read from the editors."""
        return replace(visit, blocks=self.blocks())
