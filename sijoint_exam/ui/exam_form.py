"""ExamForm: the whole exam as a column of sections; `load(visit)` and `visit()`.

The domain `Visit` is the source of truth: the form fills its sections from one and
builds a fresh one from them, section by section (`ExamSection.apply`). Whatever no
section shows is carried over unchanged from the loaded visit, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QScrollArea,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.block import Guidance
from sijoint_exam.domain.catalogue_together import CHECKS_BY_ID
from sijoint_exam.domain.validation import Problem
from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections import (
    AlignmentSection,
    BlocksSection,
    HistorySection,
    OutcomesSection,
    PainSection,
    RedFlagsSection,
)
from sijoint_exam.ui.sections.assessment import AssessmentSection
from sijoint_exam.ui.sections.provocation import ProvocationSection
from sijoint_exam.ui.sections.screens import ScreensSection
from sijoint_exam.ui.sections.visit_details import VisitDetailsSection
from sijoint_exam.ui.tones import Tone, is_dark
from sijoint_exam.ui.widgets.date_field import DateField

# In the order of an exam at the table: history and screening first, then the
# measures, the tests, positional findings, blocks, and the conclusion; each with
# the short name of its jump button. Alt+1…9 reach the first nine, Alt+0 the tenth.
FORM_ORDER: tuple[tuple[type, str], ...] = (
    (VisitDetailsSection, "Visit"),
    (HistorySection, "History"),
    (RedFlagsSection, "Red flags"),
    (PainSection, "Pain"),
    (OutcomesSection, "ODI · ASLR"),
    (ProvocationSection, "Tests"),
    (ScreensSection, "Screens"),
    (AlignmentSection, "Positional"),
    (BlocksSection, "Blocks"),
    (AssessmentSection, "Plan"),
)


# The field a check before signing is put right in, by the check's `section`
# (catalogue_together.CHECKS).
CHECK_FIELDS = {
    "referral": "referral.urgency",
    "visit": "visit.centralised",
    "blocks": "blocks",
    "screens": "screens",
}


def widget_names(field: str) -> tuple[str, str]:
    """The object names the widget editing a problem's field may have: the field
    itself (`visit.date`), or its section path (`visit.pain.now` -> `pain.now`,
    `visit.blocks[0].pre` -> `block.1.pre`)."""
    name = field.removeprefix("visit.")
    section_path = re.sub(r"blocks\[(\d+)\]", lambda m: f"block.{int(m[1]) + 1}", name)
    return field, section_path


class ExamForm(QWidget):
    """The exam form. `changed` fires on any edit; Alt+1…9, 0 jump to a section."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = Visit(date=dt.date.today())
        # The visit is built once per change and shared by the tally, the session
        # and autosave; connected first, so every later slot reads the new one.
        self._built: Visit | None = None
        self.changed.connect(self.forget_built)
        # outlined field -> its own tooltip and style sheet, put back when the
        # problem is gone (a ChoiceButtons' style sheet draws its chosen value)
        self._flagged: dict[QWidget, tuple[str, str]] = {}
        self.sections = [kind(self) for kind, _ in FORM_ORDER]
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        # Not a Tab stop of its own: the field with the focus is scrolled to.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll_area.setAccessibleName("Exam form")
        self.scroll_area.setAccessibleDescription(
            "The exam, section by section; Alt+1 to Alt+9 go to a section."
        )
        body = QWidget(self.scroll_area)
        self.scroll_area.setWidget(body)
        column = QVBoxLayout(body)
        # A tool bar, not a row of buttons: in a narrow window (a small screen,
        # a scale of 2) the buttons that do not fit go behind its » menu
        # instead of widening the window past the screen.
        jump_bar = QToolBar(self)
        jump_bar.setObjectName("form.jumps")
        jump_bar.setAccessibleName("Sections of the exam")
        self._boxes: list[QGroupBox] = []
        short_names = [short for _, short in FORM_ORDER]
        for number, section in enumerate(self.sections, start=1):
            box = QGroupBox(section.title, body)
            QVBoxLayout(box).addWidget(section)
            column.addWidget(box)
            self._boxes.append(box)
            jump_bar.addWidget(
                self._jump_button(number, short_names[number - 1], section.title, box)
            )
            section.changed.connect(self.changed)
        column.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(jump_bar)
        outer.addWidget(self.scroll_area)
        # The form's most used fields, by name (tests and the window use them).
        details = self.section(VisitDetailsSection)
        assert isinstance(details, VisitDetailsSection)
        self.date_edit = details.date_edit
        self.complaint_edit = details.complaint_edit
        provocation = self.section(ProvocationSection)
        self.test_rows = provocation.test_rows
        self.rule_combo = provocation.rule_combo
        self.plan_edit = self.section(AssessmentSection).plan_edit
        # Focus moved by a key (a test's result moves on) is scrolled into view,
        # as Tab's is.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._show_focused)
        # A block added later is on the side the clinician has chosen since.
        blocks = self.section(BlocksSection)
        assert isinstance(blocks, BlocksSection)
        details.side_combo.currentIndexChanged.connect(
            lambda: blocks.set_default_side(details.symptomatic_side())
        )

    def _show_focused(self, _old: QWidget | None, now: QWidget | None) -> None:
        if now is not None and self.scroll_area.widget().isAncestorOf(now):
            self.scroll_area.ensureWidgetVisible(now, 0, 24)

    def section(self, kind: type) -> QWidget:
        """The form's section of type `kind`."""
        return next(s for s in self.sections if isinstance(s, kind))

    def _jump_button(
        self, number: int, short: str, title: str, box: QGroupBox
    ) -> QToolButton:
        button = QToolButton(self)
        button.setText(short)
        button.setObjectName(f"form.jump.{number}")
        keys = f"Alt+{number % 10}"
        button.setToolTip(f"Go to {title} ({keys})")
        button.setAccessibleName(f"Go to {title}")
        button.setMinimumHeight(32)
        button.clicked.connect(lambda: self.show_section(box))
        if number <= 10:
            QShortcut(QKeySequence(keys), self, lambda: self.show_section(box))
        return button

    def show_section(self, box: QGroupBox) -> None:
        """Put the focus on a section's first field (or the one the section says
        comes first at the table) and scroll its top into view."""
        section = self.sections[self._boxes.index(box)]
        first = getattr(section, "first_field", None)
        target = first() if callable(first) else None
        if target is None:
            # The section's field that Tab reaches first (the Tab order, not the
            # order the widgets were made in: rows added later are chained in).
            fields = {
                w
                for w in box.findChildren(QWidget)
                if w.isVisible()
                and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            }
            child = self.scroll_area.widget()
            for _ in range(10_000):  # the window's chain, once round at most
                child = child.nextInFocusChain()
                if child in fields:
                    target = child
                    break
                if child is self.scroll_area.widget():
                    break
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.scroll_area.verticalScrollBar().setValue(box.y())

    def show_check(self, check_id: str) -> None:
        """Show where a check before signing is put right (`CHECK_FIELDS` by the
        check's section): the field itself, or the first field of its section; for
        an unguided block, that block's guidance."""
        name = CHECK_FIELDS[CHECKS_BY_ID[check_id].section]
        if check_id == "unguided_block":
            unguided = [
                f"block.{n}.guidance"
                for n, block in enumerate(self.visit().blocks, start=1)
                if block.guidance is Guidance.NONE
            ]
            name = unguided[0] if unguided else name
        widget = self.findChild(QWidget, name)
        if widget is None:
            return
        box = next((b for b in self._boxes if b.isAncestorOf(widget)), None)
        if box is None:
            return
        if widget in self.sections:
            self.show_section(box)
            return
        self.scroll_area.verticalScrollBar().setValue(box.y())
        self.scroll_area.ensureWidgetVisible(widget)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # --- problems next to their fields ---------------------------------------

    def entry_problems(self) -> list[Problem]:
        """What cannot be read from the fields as typed (a date that does not
        exist, a required date left blank): not in the visit, so not found by
        the domain's validation, and Save is refused until it is put right."""
        return [
            Problem(field.objectName(), field.problem())
            for field in self.findChildren(DateField)
            if field.problem()
        ]

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Outline each field a problem names, with the problem as its tooltip."""
        from sijoint_exam.ui.problem_text import describe

        for widget, (tooltip, style) in self._flagged.items():
            widget.setStyleSheet(style)
            widget.setToolTip(tooltip)
        self._flagged = {}
        for problem in problems:
            found = (self.findChild(QWidget, n) for n in widget_names(problem.field))
            widget = next((w for w in found if w is not None), None)
            if widget is None or widget in self._flagged:
                continue
            style = widget.styleSheet()
            self._flagged[widget] = (widget.toolTip(), style)
            light, dark = Tone.ALERT.value
            colour = dark if is_dark(widget) else light
            # Added to the widget's own style sheet, for this widget only (not
            # its buttons): replacing it would lose how a chosen value is drawn.
            widget.setStyleSheet(
                f'{style}\n[objectName="{widget.objectName()}"]'
                f" {{ border: 2px solid {colour}; }}"
            )
            widget.setToolTip(f"{describe(problem)}\n\n{widget.toolTip()}")

    # --- binding ------------------------------------------------------------

    def load(self, visit: Visit) -> None:
        """Fill every section from `visit`, then announce one change."""
        self._base = visit
        for section in self.sections:
            section.load(visit)
        self.changed.emit()

    def visit(self) -> Visit:
        """The `Visit` the sections show (anything unshown carried over): built
        at the first call after a change, then the same object until the next."""
        if self._built is None:
            visit = self._base
            for section in self.sections:
                visit = section.apply(visit)
            self._built = visit
        return self._built

    def forget_built(self) -> None:
        """Build the visit again at the next call (every change does this; a
        save does too, so nothing stale is ever stored)."""
        self._built = None
