"""OdiDialog: the ten Oswestry sections, each 0–5 or unanswered, with a live score.

The score and band come from `domain.outcomes.odi_score` on every change; the
dialog only collects answers. Open it with `OdiDialog.ask(odi, parent)`, which tests
replace (never `exec()` in a test).
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.catalogue_measures import (
    DEFAULT_ODI_VERSION,
    ODI_ANSWER_RANGE,
    ODI_CITATION,
    ODI_MODIFIED_TOPICS,
    ODI_SECTION_TOPICS,
    ODI_SECTIONS,
    ODI_VERSIONS,
)
from sijoint_exam.domain.outcomes import Odi, odi_score
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.widgets.choice_buttons import (
    NOT_RECORDED,
    ChoiceButtons,
    number_choices,
)
from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX


def section_topic(number: int, version: str = DEFAULT_ODI_VERSION) -> str:
    """What section `number` (1–10) asks about in `version`: `Lifting`."""
    changed = ODI_MODIFIED_TOPICS.get(version, {})
    return changed.get(number, ODI_SECTION_TOPICS[number - 1])


def section_label(number: int, version: str = DEFAULT_ODI_VERSION) -> str:
    """`3 Lifting`: the number on the patient's form and its topic."""
    return f"{number} {section_topic(number, version)}"


def ask_clear(parent: QWidget) -> bool:
    """Clearing loses every answer: ask first."""
    answer = QMessageBox.question(
        parent,
        "Clear answers",
        "Mark every ODI section unanswered?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class OdiDialog(QDialog):
    """Collects an `Odi`; `odi` is the answer set shown, `score_label` its score."""

    odi_changed = Signal()

    def __init__(self, odi: Odi | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Oswestry Disability Index")
        self.setObjectName("odi.dialog")
        self.confirm_clear = ask_clear  # tests answer for the clinician
        layout = QVBoxLayout(self)
        # The ten sections scroll when the screen is shorter than they are (a
        # scale of 2): the score and OK stay in sight below them.
        sections = QWidget(self)
        form = QFormLayout(sections)
        scroll = QScrollArea(self)
        scroll.setWidget(sections)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(scroll, 1)
        self.version = QComboBox(self)
        self.version.setObjectName("odi.version")
        self.version.setToolTip("Which version of the ODI questionnaire was used")
        self.version.setAccessibleName("ODI version")
        self.version.setMinimumHeight(MIN_TOUCH_PX)
        for version_id, name in ODI_VERSIONS.items():
            self.version.addItem(name, version_id)
        form.addRow("Version", self.version)
        low, high = ODI_ANSWER_RANGE
        self.answers: list[ChoiceButtons] = []
        self._labels: list[QLabel] = []
        for number in range(1, ODI_SECTIONS + 1):
            buttons = ChoiceButtons(
                f"ODI section {number}, {section_topic(number).lower()}: answer "
                f"{low}–{high}, — unanswered",
                number_choices(low, high, blank_tip="unanswered"),
                self,
            )
            buttons.setObjectName(f"odi.{number}")
            buttons.value_changed.connect(self._show_score)
            self.answers.append(buttons)
            label = QLabel(section_label(number), self)
            label.setBuddy(buttons)
            # Level with its row of touch-tall buttons, not above their middle.
            label.setMinimumHeight(MIN_TOUCH_PX)
            label.setAlignment(
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            )
            self._labels.append(label)
            form.addRow(label, buttons)
        self.score_label = QLabel(self)
        self.score_label.setObjectName("odi.score")
        self.score_label.setAccessibleName("ODI score")
        self.score_label.setWordWrap(True)
        font = self.score_label.font()
        font.setBold(True)
        self.score_label.setFont(font)
        layout.addWidget(self.score_label)
        layout.addWidget(QLabel(f"<small>{ODI_CITATION}</small>", self))
        buttons_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        clear = QPushButton("Clear answers", self)
        clear.setObjectName("odi.clear")
        clear.setToolTip("Mark every section unanswered (asks first)")
        buttons_box.addButton(clear, QDialogButtonBox.ButtonRole.ResetRole)
        clear.clicked.connect(self._clear)
        for button in buttons_box.buttons():
            button.setMinimumHeight(MIN_TOUCH_PX)
        # Enter after the last section means OK; Clear is clicked on purpose,
        # never reached by Tab nor pressed by an Enter meant for OK.
        clear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        clear.setAutoDefault(False)
        ok = buttons_box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setDefault(True)
        buttons_box.accepted.connect(self.accept)
        buttons_box.rejected.connect(self.reject)
        layout.addWidget(buttons_box)
        self.version.currentIndexChanged.connect(self.odi_changed)
        self.version.currentIndexChanged.connect(self._show_topics)
        self.set_odi(odi or Odi())
        screen = (parent or self).screen().availableGeometry()
        hint = sections.sizeHint()
        self.resize(
            min(hint.width() + 60, screen.width() - 20),
            min(hint.height() + 160, screen.height() - 40),
        )

    @property
    def odi(self) -> Odi:
        """The answers as shown."""
        values = tuple(
            None if b.value == NOT_RECORDED else int(b.value) for b in self.answers
        )
        return Odi(version=self.version.currentData(), answers=values)

    def set_odi(self, odi: Odi) -> None:
        """Show `odi` (a version the catalogue lacks is added, so it is kept)."""
        with QSignalBlocker(self):
            if self.version.findData(odi.version) < 0:
                self.version.addItem(odi.version, odi.version)
            self.version.setCurrentIndex(self.version.findData(odi.version))
            for buttons, answer in zip(self.answers, odi.answers, strict=False):
                buttons.set_value(NOT_RECORDED if answer is None else str(answer))
        self._show_topics()
        self._show_score()

    @Slot()
    def _show_topics(self) -> None:
        """The modified ODI asks about employment/homemaking in section 8."""
        version = self.version.currentData()
        for number, label in enumerate(self._labels, start=1):
            label.setText(section_label(number, version))

    @Slot()
    def _clear(self) -> None:
        if self.odi.is_empty or not self.confirm_clear(self):
            return
        self.set_odi(Odi(version=self.version.currentData()))
        self.odi_changed.emit()

    @Slot()
    def _show_score(self) -> None:
        score = odi_score(self.odi)
        self.score_label.setText(f"Score: {score.text}")
        set_tone(self.score_label, Tone.PENDING if score.percent is None else None)
        self.odi_changed.emit()

    @classmethod
    def ask(cls, odi: Odi, parent: QWidget | None = None) -> Odi | None:
        """Show the dialog modally; the answers on OK, None on Cancel."""
        dialog = cls(odi, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.odi
            return None
        finally:
            dialog.deleteLater()
