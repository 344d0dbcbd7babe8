"""OutcomesSection: the ODI (through its dialog) and the active straight leg raise."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from sijoint_exam.domain.catalogue_measures import (
    ASLR_CITATION,
    ASLR_LEG_RANGE,
    ODI_VERSIONS,
)
from sijoint_exam.domain.outcomes import Aslr, Odi, odi_score
from sijoint_exam.domain.visit import Visit
from sijoint_exam.ui.sections._fields import (
    add_row,
    form_layout,
    named,
    number_text,
    number_value,
    output,
)
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.widgets.choice_buttons import ChoiceButtons, number_choices
from sijoint_exam.ui.widgets.odi_dialog import OdiDialog


class OutcomesSection(QWidget):
    """ODI score (edited in `OdiDialog`) and ASLR per leg with the total."""

    title = "Outcome measures"
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomes")
        self._odi = Odi()
        form = form_layout()
        self.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)
        self.odi_button = named(
            QPushButton("Record ODI…", self),
            "odi.open",
            "Open the Oswestry Disability Index questionnaire (ten sections)",
        )
        self.odi_button.clicked.connect(self._ask_odi)
        self.odi_label = output("odi.summary", self, "ODI score")
        odi_row = QHBoxLayout()
        odi_row.addWidget(self.odi_button)
        odi_row.addWidget(self.odi_label, 1)
        add_row(form, "ODI", odi_row)
        low, high = ASLR_LEG_RANGE
        self.aslr: dict[str, ChoiceButtons] = {}
        for side in ("left", "right"):
            buttons = ChoiceButtons(
                f"ASLR {side} leg: difficulty {low} (none) to {high} (unable); "
                "— not recorded",
                number_choices(low, high),
                self,
            )
            buttons.setObjectName(f"aslr.{side}")
            buttons.value_changed.connect(self._show_aslr)
            buttons.value_changed.connect(self.changed)
            self.aslr[side] = buttons
            add_row(form, f"ASLR {side}", buttons)
        self.aslr_total = output("aslr.total", self, "ASLR total")
        add_row(form, "ASLR total", self.aslr_total)
        form.addRow(QLabel(f"<small>ASLR: {ASLR_CITATION}</small>", self))
        self._show_odi()
        self._show_aslr()

    def _current_aslr(self) -> Aslr:
        return Aslr(
            left=number_value(self.aslr["left"].value),
            right=number_value(self.aslr["right"].value),
        )

    @Slot()
    def _ask_odi(self) -> None:
        answer = OdiDialog.ask(self._odi, self)
        if answer is not None and answer != self._odi:
            self._odi = answer
            self._show_odi()
            self.changed.emit()

    def _show_odi(self) -> None:
        odi = self._odi
        if odi.is_empty:
            self.odi_label.setText("not recorded")
            set_tone(self.odi_label, None)
            return
        score = odi_score(odi)
        version = ODI_VERSIONS.get(odi.version, odi.version)
        self.odi_label.setText(f"{score.text} · {version}")
        set_tone(self.odi_label, Tone.PENDING if score.percent is None else None)

    @Slot()
    def _show_aslr(self) -> None:
        aslr = self._current_aslr()
        if aslr.total is None:
            self.aslr_total.setText("— (both legs needed)")
        else:
            high = 2 * ASLR_LEG_RANGE[1]
            verdict = "positive" if aslr.positive else "negative"
            self.aslr_total.setText(f"{aslr.total} of {high} — {verdict}")

    def load(self, visit: Visit) -> None:
        """Fill the ODI and ASLR from `visit`; emits nothing."""
        with QSignalBlocker(self):
            self._odi = visit.odi
            for side, buttons in self.aslr.items():
                buttons.set_value(number_text(getattr(visit.aslr, side)))
        self._show_odi()
        self._show_aslr()

    def apply(self, visit: Visit) -> Visit:
        """`visit` with the ODI and ASLR read from the section."""
        return replace(visit, odi=self._odi, aslr=self._current_aslr())
