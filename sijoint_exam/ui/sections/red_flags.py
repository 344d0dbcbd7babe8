"""RedFlagsSection: the red-flag screen, with the cauda equina emergency banner.

Each catalogue item is answered yes / no / not asked. Any cauda equina "yes" shows
the emergency banner, which stays for as long as that answer stands. Items not asked
are marked on their row, and the domain's "cauda equina screen not documented" line
names the cauda equina items still missing.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from sijoint_exam.domain.catalogue_measures import (
    CAUDA_EQUINA_EMERGENCY,
    RED_FLAGS,
    RedFlag,
)
from sijoint_exam.domain.outcomes import Answer, screen_red_flags
from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections._fields import output
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.widgets.choice_buttons import Choice, ChoiceButtons

ANSWER_CHOICES = (
    Choice(Answer.NOT_ASKED.value, "Not asked", "A"),
    Choice(Answer.YES.value, "Yes", "Y"),
    Choice(Answer.NO.value, "No", "N"),
)
UNANSWERED_MARK = "◌ not asked"
EMERGENCY_MARK = "⚠ emergency"
YES_MARK = "⚑ red flag"


def _banner(parent: QWidget) -> QLabel:
    """A filled red block: white on the alert red reads in light and dark palettes."""
    banner = output("redflags.emergency", parent, "Emergency")
    banner.setText(f"⚠ {CAUDA_EQUINA_EMERGENCY}")
    banner.setStyleSheet(
        f"background: {Tone.ALERT.value[0]}; color: white; font-weight: bold;"
        " padding: 10px; border-radius: 4px;"
    )
    banner.hide()
    return banner


class RedFlagsSection(QWidget):
    """Every red flag of the catalogue as yes / no / not asked."""

    title = "Red flags"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("redflags")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = _banner(self)
        layout.addWidget(self.banner)
        self.undocumented = output("redflags.undocumented", self)
        self.unanswered = output("redflags.unanswered", self)
        layout.addWidget(self.undocumented)
        layout.addWidget(self.unanswered)
        grid = QGridLayout()
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)
        self.answers: dict[str, ChoiceButtons] = {}
        self._marks: dict[str, QLabel] = {}
        groups = (
            ("Cauda equina", [f for f in RED_FLAGS if f.cauda_equina]),
            ("Other red flags", [f for f in RED_FLAGS if not f.cauda_equina]),
        )
        row = 0
        for group, flags in groups:
            grid.addWidget(QLabel(f"<b>{group}</b>", self), row, 0, 1, 3)
            row += 1
            for flag in flags:
                self._add_row(grid, row, flag)
                row += 1
        self._show_screen()

    def _add_row(self, grid: QGridLayout, row: int, flag: RedFlag) -> None:
        label = QLabel(flag.label[:1].upper() + flag.label[1:], self)
        label.setWordWrap(True)
        question = f"Red flag: {flag.label}" + (
            " (cauda equina)" if flag.cauda_equina else ""
        )
        buttons = ChoiceButtons(question, ANSWER_CHOICES, self)
        buttons.setObjectName(f"redflags.{flag.id}")
        label.setBuddy(buttons)
        mark = output(f"redflags.{flag.id}.mark", self)
        mark.setMinimumWidth(mark.fontMetrics().horizontalAdvance(EMERGENCY_MARK) + 8)
        grid.addWidget(label, row, 0)
        grid.addWidget(buttons, row, 1)
        grid.addWidget(mark, row, 2, Qt.AlignmentFlag.AlignLeft)
        buttons.value_changed.connect(self._show_screen)
        buttons.value_changed.connect(self.changed)
        self.answers[flag.id] = buttons
        self._marks[flag.id] = mark

    def _current(self) -> dict[str, Answer]:
        return {flag_id: Answer(b.value) for flag_id, b in self.answers.items()}

    @Slot()
    def _show_screen(self) -> None:
        """Banner, undocumented line and row marks from the domain's screen."""
        answers = self._current()
        screen = screen_red_flags(answers)
        self.banner.setVisible(screen.emergency)
        self.undocumented.setText(screen.undocumented_text or "")
        self.undocumented.setVisible(bool(screen.undocumented_text))
        set_tone(self.undocumented, Tone.PENDING)
        not_asked = [i for i, a in answers.items() if a is Answer.NOT_ASKED]
        self.unanswered.setText(
            f"{len(not_asked)} of {len(answers)} not asked" if not_asked else ""
        )
        self.unanswered.setVisible(bool(not_asked))
        set_tone(self.unanswered, Tone.PENDING)
        for flag_id, mark in self._marks.items():
            if flag_id in screen.cauda_equina_yes:
                mark.setText(EMERGENCY_MARK)
                set_tone(mark, Tone.ALERT)
            elif flag_id in screen.other_yes:
                mark.setText(YES_MARK)
                set_tone(mark, Tone.ALERT)
            elif answers[flag_id] is Answer.NOT_ASKED:
                mark.setText(UNANSWERED_MARK)
                set_tone(mark, Tone.PENDING)
            else:
                mark.setText("")
                set_tone(mark, None)

    def load(self, visit: Visit) -> None:
        """Fill the answers from `visit`; emits nothing."""
        with QSignalBlocker(self):
            for flag_id, buttons in self.answers.items():
                buttons.set_value(visit.red_flag(flag_id).value)
        self._show_screen()

    def apply(self, visit: Visit) -> Visit:
        """`visit` with the red-flag answers read from the widgets."""
        return replace(visit, red_flags=self._current())
