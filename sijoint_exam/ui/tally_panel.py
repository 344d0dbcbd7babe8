"""TallyPanel: the live cluster result, post-test probability and cautions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from sijoint_exam.domain.catalogue import Side
from sijoint_exam.domain.cluster import ClusterResult, Decision
from sijoint_exam.ui.tones import Tone, set_tone

_DECISION_TONES = {
    Decision.POSITIVE: Tone.ALERT,
    Decision.NEGATIVE: Tone.REASSURING,
    Decision.INCOMPLETE: Tone.PENDING,
}


def _label(name: str, parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class TallyPanel(QWidget):
    """Read-only display of a `ClusterResult`; computes nothing itself."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tally")
        layout = QVBoxLayout(self)
        heading = QLabel("<b>Cluster tally</b>", self)
        self.rule_label = _label("tally.rule", self)
        self.summary_label = _label("tally.summary", self)
        self.summary_label.setAccessibleName("Cluster result")
        font = self.summary_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.summary_label.setFont(font)
        self.post_test_label = _label("tally.post_test", self)
        self.per_side_label = _label("tally.per_side", self)
        self.cautions_label = _label("tally.cautions", self)
        for widget in (
            heading,
            self.rule_label,
            self.summary_label,
            self.post_test_label,
            self.per_side_label,
            self.cautions_label,
        ):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_result(self, result: ClusterResult) -> None:
        """Show `result` in words (and a matching colour)."""
        self.rule_label.setText(f"Rule: {result.rule.name}")
        self.summary_label.setText(result.summary)
        set_tone(self.summary_label, _DECISION_TONES[result.decision])
        self.post_test_label.setText(result.post_test_line)
        self.per_side_label.setText(
            "Per side: "
            + ", ".join(f"{side.value} {result.per_side[side]}" for side in Side)
        )
        self.cautions_label.setText("\n".join(f"⚠ {c}" for c in result.cautions))
