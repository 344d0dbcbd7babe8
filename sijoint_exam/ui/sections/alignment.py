"""AlignmentSection: positional patterns, landmarks and screening tests.

The domain may suggest a pattern consistent with the recorded findings; it is shown
with a "Use suggestion" button and never chosen for the clinician. The reliability
caution sits beside the findings at all times (clinical-rules.md §4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.alignment import (
    LANDMARK_POSITIONS,
    UNSIDED_PATTERNS,
    Alignment,
    FlexionSide,
    Landmark,
    LongSit,
    Outcome,
    Pattern,
    PatternFinding,
    Position,
    Screening,
    Sided,
    Sphinx,
    suggest_patterns,
)
from sijoint_exam.domain.catalogue import Side
from sijoint_exam.domain.catalogue_measures import POSITIONAL_RELIABILITY_CAUTION
from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections._fields import (
    add_row,
    chain_focus,
    combo,
    enum_choices,
    enum_value,
    form_layout,
    heading,
    named,
    out_of_tab_path,
    output,
    select,
    words,
)
from sijoint_exam.ui.tones import Tone, set_tone

SIDES = (Side.LEFT, Side.RIGHT)
# Screening tests recorded once (midline or naming a side) and per side.
_SINGLE = (
    ("standing_flexion", FlexionSide, "Standing flexion: the side whose PSIS rises"),
    ("seated_flexion", FlexionSide, "Seated flexion: the side whose PSIS rises"),
    ("sacral_spring", Outcome, "Sacral spring (positive: no spring)"),
    ("sphinx", Sphinx, "Sphinx: how the asymmetry changes in backward bending"),
)
_PER_SIDE = (
    ("gillet", Outcome, "Gillet (positive: hypomobile)"),
    ("supine_to_long_sit", LongSit, "Supine-to-long-sit: the medial malleolus"),
)


class _PatternRow:
    """A chosen pattern: pattern, side, remove."""

    def __init__(self, number: int, parent: QWidget) -> None:
        self.pattern = combo(
            f"alignment.pattern.{number}",
            f"Positional pattern {number} chosen by the clinician",
            enum_choices(Pattern, blank=None),
            parent,
        )
        self.side = combo(
            f"alignment.pattern.{number}.side",
            f"Side of positional pattern {number} (none for bilateral sacral patterns"
            " and torsions)",
            enum_choices(SIDES),
            parent,
        )
        # Clicked on purpose, never one Tab and a Space away from the side.
        self.remove = out_of_tab_path(
            named(
                QPushButton("Remove", parent),
                f"alignment.pattern.{number}.remove",
                f"Remove positional pattern {number}",
            )
        )
        self.pattern.currentIndexChanged.connect(self._side_if_needed)

    @Slot()
    def _side_if_needed(self) -> None:
        unsided = enum_value(Pattern, self.pattern) in UNSIDED_PATTERNS
        if unsided:
            select(self.side, None)
        self.side.setEnabled(not unsided)

    def load(self, finding: PatternFinding) -> None:
        select(self.pattern, finding.pattern)
        select(self.side, finding.side)
        self.side.setEnabled(
            finding.pattern not in UNSIDED_PATTERNS or bool(finding.side)
        )

    def finding(self) -> PatternFinding:
        pattern = enum_value(Pattern, self.pattern)
        assert pattern is not None  # the combo has no blank entry
        return PatternFinding(pattern, enum_value(Side, self.side))

    def widgets(self) -> tuple[QWidget, ...]:
        return (self.pattern, self.side, self.remove)


class AlignmentSection(QWidget):
    """Positional findings as recorded, the domain's suggestion, and the caution."""

    title = "Positional findings"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alignment")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(self._build_patterns(), 0, 0)
        self.caution = output("alignment.caution", self, "Reliability caution")
        self.caution.setText(f"⚠ {POSITIONAL_RELIABILITY_CAUTION}")
        set_tone(self.caution, Tone.PENDING)
        grid.addWidget(self.caution, 0, 1, Qt.AlignmentFlag.AlignTop)
        # Landmarks above the screening tests, not beside them: side by side the
        # section was wider than the exam column of a 1366 px window.
        grid.addLayout(self._build_landmarks(), 1, 0, 1, 2)
        grid.addLayout(self._build_screening(), 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self._rows: list[_PatternRow] = []
        self._suggestion_rows: list[QWidget] = []
        self._show_suggestions()

    # --- building -----------------------------------------------------------

    def _build_patterns(self) -> QVBoxLayout:
        column = QVBoxLayout()
        column.addWidget(QLabel("<b>Patterns chosen</b>", self))
        self._pattern_grid = QGridLayout()
        column.addLayout(self._pattern_grid)
        self.add_pattern = named(
            QPushButton("Add pattern", self),
            "alignment.add_pattern",
            "Record a positional pattern",
        )
        self.add_pattern.clicked.connect(self._on_add_pattern)
        column.addWidget(self.add_pattern)
        column.addWidget(QLabel("<b>Suggested by the findings</b>", self))
        self.suggestions = output("alignment.suggestions", self, "Suggested patterns")
        self.suggestions.setText("none: too few recorded findings fit any pattern")
        column.addWidget(self.suggestions)
        self._suggestion_box = QVBoxLayout()
        column.addLayout(self._suggestion_box)
        return column

    def _build_landmarks(self) -> QGridLayout:
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>Landmarks</b>", self), 0, 0)
        for column, side in enumerate(SIDES, start=1):
            grid.addWidget(QLabel(heading(side.value), self), 0, column)
        self.landmarks: dict[tuple[Landmark, Side], QComboBox] = {}
        for row, landmark in enumerate(Landmark, start=1):
            grid.addWidget(QLabel(heading(landmark.value), self), row, 0)
            for column, side in enumerate(SIDES, start=1):
                box = combo(
                    f"alignment.{landmark.value}.{side.value}",
                    f"{words(landmark.value)} on the {side.value}, relative to the"
                    " other side",
                    enum_choices(LANDMARK_POSITIONS[landmark]),
                    self,
                )
                box.currentIndexChanged.connect(self._on_edit)
                self.landmarks[(landmark, side)] = box
                grid.addWidget(box, row, column)
        return grid

    def _build_screening(self) -> QFormLayout:
        form = form_layout()
        form.addRow(QLabel("<b>Screening tests</b>", self))
        self.screening: dict[str, QComboBox] = {}
        for key, kind, tip in _SINGLE:
            self.screening[key] = combo(
                f"alignment.{key}", tip, enum_choices(kind), self
            )
            add_row(form, heading(key), self.screening[key])
        for key, kind, tip in _PER_SIDE:
            row = QHBoxLayout()
            for side in SIDES:
                name = f"{key}.{side.value}"
                self.screening[name] = combo(
                    f"alignment.{name}",
                    f"{tip}, {side.value}",
                    enum_choices(kind),
                    self,
                )
                row.addWidget(self.screening[name])
            add_row(form, f"{heading(key)} (L / R)", row)
        for box in self.screening.values():
            box.currentIndexChanged.connect(self._on_edit)
        return form

    # --- patterns -----------------------------------------------------------

    def _set_patterns(self, patterns: Sequence[PatternFinding]) -> None:
        """Rebuild the pattern rows (numbers follow the list)."""
        for row in self._rows:
            for widget in row.widgets():
                widget.setParent(None)
                widget.deleteLater()
        self._rows = []
        for number, finding in enumerate(patterns, start=1):
            row = _PatternRow(number, self)
            row.load(finding)
            row.pattern.currentIndexChanged.connect(self._on_edit)
            row.side.currentIndexChanged.connect(self._on_edit)
            row.remove.clicked.connect(lambda _=False, i=number - 1: self._remove(i))
            for column, widget in enumerate(row.widgets()):
                self._pattern_grid.addWidget(widget, number, column)
                widget.show()  # now, not on the next pass: Tab may come first
            self._rows.append(row)
        # Made after the window, the rows would be reached by Tab only after the
        # last field of the form: put them before "Add pattern", where they are.
        fields = [w for row in self._rows for w in (row.pattern, row.side)]
        chain_focus(
            [self.add_pattern.previousInFocusChain(), *fields, self.add_pattern]
        )

    def _patterns(self) -> tuple[PatternFinding, ...]:
        return tuple(row.finding() for row in self._rows)

    def _add(self, finding: PatternFinding) -> None:
        self._set_patterns((*self._patterns(), finding))
        self._rows[-1].pattern.setFocus()
        self._on_edit()

    @Slot()
    def _on_add_pattern(self) -> None:
        # The clinician picks the pattern and side in the new row.
        self._add(PatternFinding(next(iter(Pattern))))

    def _remove(self, index: int) -> None:
        patterns = list(self._patterns())
        del patterns[index]
        self._set_patterns(patterns)
        self.add_pattern.setFocus()
        self._on_edit()

    # --- suggestions --------------------------------------------------------

    def _show_suggestions(self) -> None:
        """The domain's suggestions, each with a button; never applied unasked."""
        for old in self._suggestion_rows:
            old.setParent(None)
            old.deleteLater()
        self._suggestion_rows = []
        alignment = self._alignment()
        found = suggest_patterns(alignment)
        self.suggestions.setVisible(not found)
        chosen = set(alignment.patterns)
        for number, suggestion in enumerate(found, start=1):
            finding = PatternFinding(suggestion.pattern, suggestion.side)
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = output(f"alignment.suggestion.{number}", row)
            text.setText(suggestion.text)
            button = named(
                QPushButton("Use suggestion", row),
                f"alignment.use_suggestion.{number}",
                f"Record {words(suggestion.pattern.value)} as a chosen pattern",
            )
            if finding in chosen:
                button.setText("Already chosen")
                button.setEnabled(False)
            button.clicked.connect(lambda _=False, f=finding: self._add(f))
            line.addWidget(text, 1)
            line.addWidget(button)
            self._suggestion_box.addWidget(row)
            self._suggestion_rows.append(row)
        # After "Add pattern" and before the landmarks, as they are seen.
        buttons = [r.findChild(QPushButton) for r in self._suggestion_rows]
        first_landmark = next(iter(self.landmarks.values()))
        chain_focus([self.add_pattern, *buttons, first_landmark])

    # --- binding ------------------------------------------------------------

    @Slot()
    def _on_edit(self) -> None:
        self._show_suggestions()
        self.changed.emit()

    def _alignment(self) -> Alignment:
        landmarks = {
            landmark: Sided(
                left=enum_value(Position, self.landmarks[(landmark, Side.LEFT)]),
                right=enum_value(Position, self.landmarks[(landmark, Side.RIGHT)]),
            )
            for landmark in Landmark
        }
        s = self.screening
        screening = Screening(
            standing_flexion=enum_value(FlexionSide, s["standing_flexion"]),
            seated_flexion=enum_value(FlexionSide, s["seated_flexion"]),
            gillet=Sided(
                enum_value(Outcome, s["gillet.left"]),
                enum_value(Outcome, s["gillet.right"]),
            ),
            supine_to_long_sit=Sided(
                enum_value(LongSit, s["supine_to_long_sit.left"]),
                enum_value(LongSit, s["supine_to_long_sit.right"]),
            ),
            sacral_spring=enum_value(Outcome, s["sacral_spring"]),
            sphinx=enum_value(Sphinx, s["sphinx"]),
        )
        return Alignment(self._patterns(), landmarks, screening)

    def load(self, visit: Visit) -> None:
        """Fill the positional findings from `visit`; emits nothing."""
        alignment = visit.alignment
        with QSignalBlocker(self):
            self._set_patterns(alignment.patterns)
            for (landmark, side), box in self.landmarks.items():
                select(box, alignment.landmark(landmark).on(side))
            screening = alignment.screening
            for key, box in self.screening.items():
                name, _, side = key.partition(".")
                value = getattr(screening, name)
                select(box, value.on(Side(side)) if side else value)
        self._show_suggestions()

    def apply(self, visit: Visit) -> Visit:
        """`visit` with the positional findings read from the widgets."""
        return replace(visit, alignment=self._alignment())
