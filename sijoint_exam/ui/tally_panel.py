"""TallyPanel: the visit's one headline, the checks before signing, and the tally.

The headline (clinical-rules.md §8) stays in view wherever the visit is edited: a
cauda equina flag is unmistakable from every section. Below it the open checks,
each with a button to where it is put right; then the cluster per side, the
post-test probability with its range, the blocks beside the cluster, the screens
and every caution, in a column that scrolls on its own.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.block import BlocksReading, relief_text
from sijoint_exam.domain.catalogue_together import (
    CHECKS_BY_ID,
    HIP_NOT_EXCLUDED,
    SIJ_SECONDARY_NOTE,
)
from sijoint_exam.domain.cluster import ClusterResult, Decision
from sijoint_exam.domain.score import VisitScore
from sijoint_exam.domain.together import Agreement, Headline, HeadlineKind
from sijoint_exam.ui.tones import Tone, is_dark, set_tone

_DECISION_TONES = {
    Decision.POSITIVE: Tone.ALERT,
    Decision.NEGATIVE: Tone.REASSURING,
    Decision.INCOMPLETE: Tone.PENDING,
}
_KIND_TONES = {
    HeadlineKind.CAUDA_EQUINA: Tone.ALERT,
    HeadlineKind.CENTRALISED: Tone.PENDING,
    HeadlineKind.CLUSTER_POSITIVE: Tone.ALERT,
    HeadlineKind.CLUSTER_NEGATIVE: Tone.REASSURING,
    HeadlineKind.CLUSTER_INCOMPLETE: Tone.PENDING,
}
# Where each check's button goes, by the check's section (catalogue_together).
SECTION_NAMES = {
    "referral": "Referral",
    "visit": "Centralisation",
    "blocks": "Blocks",
    "screens": "Screens",
}
_AGREEMENT_TEXT = {
    Agreement.AGREE: "agree",
    Agreement.DISAGREE: "disagree",
    Agreement.NOT_COMPARABLE: "not comparable — the block was on the other side",
}


def _label(name: str, parent: QWidget, accessible: str = "") -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if accessible:
        label.setAccessibleName(accessible)
    return label


def _colour(widget: QWidget, tone: Tone) -> str:
    light, dark = tone.value
    return dark if is_dark(widget) else light


def headline_style(widget: QWidget, kind: HeadlineKind) -> str:
    """A cauda equina flag is a filled red block (white on the alert red reads in
    both palettes); centralised pain a framed caution; the cluster its tone."""
    if kind is HeadlineKind.CAUDA_EQUINA:
        return (
            f"background: {Tone.ALERT.value[0]}; color: white; font-weight: bold;"
            " padding: 8px; border-radius: 4px;"
        )
    colour = _colour(widget, _KIND_TONES[kind])
    if kind is HeadlineKind.CENTRALISED:
        return (
            f"color: {colour}; border: 2px solid {colour}; font-weight: bold;"
            " padding: 6px; border-radius: 4px;"
        )
    return f"color: {colour}; font-weight: bold;"


def blocks_text(blocks: BlocksReading) -> str:
    """`Diagnostic blocks: positive (block 1, left: peak 86% relief → positive)`."""
    if not blocks.blocks:
        return "Diagnostic blocks: none recorded"
    peaks = ", ".join(
        f"block {b.block.number}, {b.block.side.value}: "
        + (
            f"peak {relief_text(b.peak_relief_percent)}"
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
    overall = "no diagnostic block" if blocks.overall is None else blocks.overall.value
    return f"Diagnostic blocks: {overall} ({peaks}){comparative}"


class CheckRow(QFrame):
    """One open check: what is wrong, and a button to where it is put right; once
    acknowledged at signing, said so instead of the button."""

    def __init__(self, check_id: str, acknowledged: bool, parent: QWidget) -> None:
        super().__init__(parent)
        check = CHECKS_BY_ID[check_id]
        self.setObjectName(f"tally.check.{check_id}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = _label(f"tally.check.{check_id}.label", self)
        row.addWidget(self.label, 1)
        self.go: QToolButton | None = None
        if acknowledged:
            self.label.setText(f"✓ {check.label} (acknowledged)")
            return
        self.label.setText(f"⚠ {check.label}")
        set_tone(self.label, Tone.ALERT)
        place = SECTION_NAMES.get(check.section, check.section)
        self.go = QToolButton(self)
        self.go.setObjectName(f"tally.check.{check_id}.go")
        self.go.setText(f"{place} ›")
        self.go.setToolTip(f"Go to {place} to put this right")
        self.go.setAccessibleName(f"Go to {place}: {check.label}")
        row.addWidget(self.go, 0, Qt.AlignmentFlag.AlignTop)


class TallyPanel(QWidget):
    """Read-only display of a `VisitScore`; computes nothing itself.

    `check_requested(check_id)` asks the window to show where a check is put right.
    """

    check_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tally")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.headline_label = _label("tally.headline", self, "Headline")
        font = self.headline_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.headline_label.setFont(font)
        self.secondary_label = _label(
            "tally.secondary", self, "SIJ findings, secondary"
        )
        self.checks_heading = _label("tally.checks", self, "Checks before signing")
        self._checks_layout = QVBoxLayout()
        self._check_rows: dict[str, CheckRow] = {}
        self._shown_checks: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self._acknowledged: tuple[str, ...] = ()
        # Only the headline stays put; the checks lead the part that scrolls, so
        # that a short window (scale 2) still shows them first and the actions.
        layout.addWidget(self.headline_label)
        layout.addWidget(self._build_details(), 1)
        self.secondary_label.hide()
        self.checks_heading.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:  # Qt override
        super().resizeEvent(event)
        self.fit_top_labels()

    def fit_top_labels(self) -> None:
        """Give each label above the scrolling part the height its text needs at
        the width it has. A layout sizes a word-wrapped label for its preferred
        width, so in a narrow window (or at scale 2) the headline was cut after
        two lines; the headline and the checks must always be read whole."""
        labels = [self.headline_label, self.secondary_label, self.checks_heading]
        labels += [row.label for row in self._check_rows.values()]
        for label in labels:
            if label.isVisibleTo(self) and label.width() > 0:
                label.setMinimumHeight(label.heightForWidth(label.width()))

    def _build_details(self) -> QScrollArea:
        """The checks and the tally below the headline scroll; the headline never
        does."""
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(scroll)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 4, 0, 0)
        column.addWidget(self.secondary_label)
        column.addWidget(self.checks_heading)
        column.addLayout(self._checks_layout)
        heading = QLabel("<b>Cluster tally</b>", body)
        self.rule_label = _label("tally.rule", body)
        self.summary_label = _label("tally.summary", body, "Cluster result")
        self.per_side_label = _label("tally.per_side", body, "Per side")
        self.post_test_label = _label("tally.post_test", body, "Post-test probability")
        self.blocks_label = _label("tally.blocks", body, "Diagnostic blocks")
        self.agreement_label = _label("tally.agreement", body, "Block and cluster")
        self.screens_label = _label("tally.screens", body, "Neuro and hip screens")
        self.cautions_label = _label("tally.cautions", body, "Cautions")
        for widget in (
            heading,
            self.rule_label,
            self.summary_label,
            self.per_side_label,
            self.post_test_label,
            self.blocks_label,
            self.agreement_label,
            self.screens_label,
            self.cautions_label,
        ):
            column.addWidget(widget)
        column.addStretch(1)
        scroll.setWidget(body)
        return scroll

    def show_result(self, result: ClusterResult) -> None:
        """Show the cluster in words (and a matching colour), as the headline too:
        what is shown when the rest of the visit cannot be read yet."""
        self.rule_label.setText(f"Rule: {result.rule.name}")
        self.summary_label.setText(result.summary)
        set_tone(self.summary_label, _DECISION_TONES[result.decision])
        self.per_side_label.setText(
            result.per_side_text.replace("Per side: ", "Per side:\n", 1).replace(
                "; ", "\n"
            )
        )
        self.post_test_label.setText(result.post_test_line)
        self.cautions_label.setText("\n".join(f"⚠ {c}" for c in result.cautions))
        self.headline_label.setText(result.summary)
        self.headline_label.setStyleSheet(
            f"color: {_colour(self, _DECISION_TONES[result.decision])};"
        )
        self.summary_label.hide()
        self.secondary_label.hide()
        self._show_checks(())

    def show_score(self, score: VisitScore) -> None:
        """Show the headline, the open checks, the cluster, the blocks beside it,
        the screens and every caution."""
        self.show_result(score.cluster)
        self._show_headline(score.headline, score.cluster)
        self._show_checks(score.checks)
        blocks = score.blocks
        self.blocks_label.setText(blocks_text(blocks))
        agreement = score.agreement
        self.agreement_label.setText(
            f"Block and cluster: {_AGREEMENT_TEXT[agreement]}" if agreement else ""
        )
        self.agreement_label.setVisible(agreement is not None)
        neuro = score.neuro_screen
        screens = [
            "Neuro screen: "
            + ("not recorded" if neuro is None else neuro.value.replace("_", " "))
        ]
        screens += [
            f"Hip screen: {HIP_NOT_EXCLUDED} ({side.value}, beside FABER)"
            for side in score.hip_not_excluded
        ]
        self.screens_label.setText("\n".join(screens))
        cautions = [*score.cluster.cautions]
        for reading in blocks.blocks:
            cautions += reading.cautions
        cautions += blocks.comparative_cautions
        self.cautions_label.setText(
            "\n".join(f"⚠ {c}" for c in dict.fromkeys(cautions))
        )
        # New text or new check rows: fitted once the layout has given widths.
        QTimer.singleShot(0, self, self.fit_top_labels)

    def _show_headline(self, headline: Headline, tally: ClusterResult) -> None:
        emergency = headline.kind is HeadlineKind.CAUDA_EQUINA
        self.headline_label.setText(
            f"⚠ {headline.text}" if emergency else headline.text
        )
        self.headline_label.setStyleSheet(
            headline_style(self.headline_label, headline.kind)
        )
        # Under a cauda equina flag the SIJ result is shown, as secondary only.
        self.secondary_label.setText(
            f"{SIJ_SECONDARY_NOTE}.\nSIJ (secondary): {tally.summary}"
            if emergency
            else ""
        )
        self.secondary_label.setVisible(emergency)
        # The counts under centralised pain, in no alarm colour: they are not read
        # (the secondary line has them under a cauda equina flag; otherwise the
        # headline is the cluster itself).
        self.summary_label.setVisible(headline.kind is HeadlineKind.CENTRALISED)
        if headline.kind is HeadlineKind.CENTRALISED:
            set_tone(self.summary_label, None)

    def set_acknowledged(self, checks: Sequence[str]) -> None:
        """The checks the visit's signature acknowledged (none while unsigned)."""
        self._acknowledged = tuple(checks)

    def _show_checks(self, checks: tuple[str, ...]) -> None:
        """Rebuild the check rows only when the open checks change (so a row's
        button keeps its focus while the visit is edited)."""
        acknowledged = tuple(c for c in checks if c in self._acknowledged)
        if self._shown_checks == (checks, acknowledged):
            return
        self._shown_checks = (checks, acknowledged)
        for row in self._check_rows.values():
            row.setParent(None)
            row.deleteLater()
        self._check_rows = {}
        for check_id in checks:
            row = CheckRow(check_id, check_id in acknowledged, self)
            if row.go is not None:
                row.go.clicked.connect(
                    lambda _=False, c=check_id: self.check_requested.emit(c)
                )
            self._checks_layout.addWidget(row)
            self._check_rows[check_id] = row
        still_open = len(checks) - len(acknowledged)
        counts = ", ".join(
            part
            for part in (
                f"{still_open} open" if still_open else "",
                f"{len(acknowledged)} acknowledged at signing" if acknowledged else "",
            )
            if part
        )
        self.checks_heading.setText(
            f"<b>Checks before signing</b> ({counts})" if checks else ""
        )
        self.checks_heading.setVisible(bool(checks))

    @property
    def open_checks(self) -> tuple[str, ...]:
        """The ids of the checks shown."""
        return tuple(self._check_rows)
