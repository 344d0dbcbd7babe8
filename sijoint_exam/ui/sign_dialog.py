"""SignDialog: signing a visit with open checks, each acknowledged by name."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.domain.catalogue_together import CHECKS_BY_ID
from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX


class SignDialog(QDialog):
    """Signing a visit with open checks: each is acknowledged by name, with its own
    tick; "Sign" is enabled once every one is ticked (clinical-rules.md §8)."""

    def __init__(
        self, clinician: str, checks: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign visit")
        self.setObjectName("sign")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Sign this visit as {clinician}?\n\nA signed visit can no longer "
            "change; corrections are added as dated, signed addenda.\n\n"
            "These checks are open. Tick each to acknowledge it: the "
            "acknowledgement is stored with the signature and printed on the "
            "note and letter.",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)  # a name is not markup
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.ticks: dict[str, QCheckBox] = {}
        for check_id in checks:
            label = CHECKS_BY_ID[check_id].label
            tick = QCheckBox(label, self)
            tick.setObjectName(f"sign.check.{check_id}")
            tick.setAccessibleName(f"Acknowledge: {label}")
            tick.setMinimumHeight(MIN_TOUCH_PX)
            tick.toggled.connect(self._update)
            layout.addWidget(tick)
            self.ticks[check_id] = tick
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.sign_button: QPushButton = buttons.addButton(
            "Sign", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setObjectName("sign.accept")
        self.sign_button.setAccessibleName("Sign the visit")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update()

    def _update(self) -> None:
        missing = not all(tick.isChecked() for tick in self.ticks.values())
        self.sign_button.setEnabled(not missing)
        self.sign_button.setToolTip(
            "Acknowledge every open check to sign" if missing else ""
        )

    def accept(self) -> None:  # Qt override: never without every tick
        if self.sign_button.isEnabled():
            super().accept()

    def acknowledged(self) -> tuple[str, ...]:
        """The ids of the checks ticked, in their listed order."""
        return tuple(c for c, tick in self.ticks.items() if tick.isChecked())
