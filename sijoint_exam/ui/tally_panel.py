"""TallyPanel: the live cluster result, post-test probability and cautions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from sijoint_exam.domain.catalogue import Side
from sijoint_exam.domain.cluster import ClusterResult, Decision
from sijoint_exam.domain.score import VisitScore
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
        self.blocks_label = _label("tally.blocks", self)
        self.agreement_label = _label("tally.agreement", self)
        self.cautions_label = _label("tally.cautions", self)
        for widget in (
            heading,
            self.rule_label,
            self.summary_label,
            self.post_test_label,
            self.per_side_label,
            self.blocks_label,
            self.agreement_label,
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

    def show_score(self, score: VisitScore) -> None:
        """Show the cluster, the block result beside it, and every caution."""
        self.show_result(score.cluster)
        blocks = score.blocks
        if blocks.overall is None:
            self.blocks_label.setText("Diagnostic blocks: none recorded")
        else:
            peaks = ", ".join(
                f"block {b.block.number}: "
                + (
                    f"peak {b.peak_relief_percent}%"
                    if b.peak_relief_percent is not None
                    else "no reading in the window"
                )
                + f" → {b.result.value}"
                for b in blocks.blocks
            )
            comparative = (
                f"; comparative blocks {blocks.comparative.value.replace('_', ' ')}"
                if blocks.comparative
                else ""
            )
            self.blocks_label.setText(
                f"Diagnostic blocks: {blocks.overall.value} ({peaks}){comparative}"
            )
        self.agreement_label.setText(
            f"Block and cluster: {score.agreement.value}" if score.agreement else ""
        )
        self.agreement_label.setVisible(score.agreement is not None)
        cautions = [*score.cluster.cautions]
        for reading in blocks.blocks:
            cautions += reading.cautions
        cautions += blocks.comparative_cautions
        self.cautions_label.setText(
            "\n".join(f"⚠ {c}" for c in dict.fromkeys(cautions))
        )
