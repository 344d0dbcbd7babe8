"""SettingsDialog: clinician, clinic letterhead and the defaults new visits start with.

Shaped like Picard's options pages: `load(preferences)` fills the widgets,
`preferences()` builds a new value from them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from sijoint_exam.domain.catalogue import (
    AGENT_WINDOW_HOURS_RANGE,
    BLOCK_THRESHOLD_CHOICES,
    DEFAULT_AGENT_WINDOW_HOURS,
    PRETEST_PROBABILITY_RANGE,
    RULE_SETS,
    Agent,
)
from sijoint_exam.ui.preferences import (
    IDLE_LOCK_MAX_MINUTES,
    WINDOWED_AGENTS,
    Preferences,
    window_field,
)
from sijoint_exam.ui.widgets.finding_selector import MIN_TOUCH_PX


def _named(widget: QWidget, name: str, tip: str) -> None:
    widget.setObjectName(name)
    widget.setToolTip(tip)
    widget.setAccessibleName(tip)


def _window_spin(agent: Agent, parent: QWidget) -> QSpinBox:
    """Whole hours after a block of `agent` within which its readings count."""
    spin = QSpinBox(parent)
    spin.setRange(*AGENT_WINDOW_HOURS_RANGE)
    spin.setSuffix(" h")
    spin.setMinimumHeight(MIN_TOUCH_PX)  # set at the table, perhaps by touch
    default = DEFAULT_AGENT_WINDOW_HOURS[agent]
    _named(
        spin,
        f"settings.agent_window.{agent.value}",
        f"Readings taken within this many hours after a {agent.value} block count "
        f"toward its peak relief, for new visits (default {default} h, a typical "
        "duration of action; other agents: every reading counts)",
    )
    return spin


class SettingsDialog(QDialog):
    """Edit `Preferences`; nothing is stored until OK."""

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        form = QFormLayout(self)
        self.clinician_edit = QLineEdit(self)
        self.clinic_name_edit = QLineEdit(self)
        self.clinic_address_edit = QPlainTextEdit(self)
        self.clinic_address_edit.setFixedHeight(70)
        self.clinic_address_edit.setTabChangesFocus(True)
        self.clinic_phone_edit = QLineEdit(self)
        self.logo_edit = QLineEdit(self)
        self.server_edit = QLineEdit(self)
        self.server_edit.setPlaceholderText("postgresql://room_2@server/clinic")
        self.server_edit.setToolTip(
            "The clinic server this workstation syncs with, from the next start "
            "(empty: this database stays on this machine). Its password goes in "
            "~/.pgpass, never here."
        )
        self.identifier_system_edit = QLineEdit(self)
        self.identifier_system_edit.setPlaceholderText("urn:oid:… or https://…")
        logo_button = QPushButton("Choose…", self)
        logo_button.clicked.connect(self._choose_logo)
        self.rule_combo = QComboBox(self)
        for rule in RULE_SETS:
            self.rule_combo.addItem(rule.name, rule.id)
        low, high = PRETEST_PROBABILITY_RANGE
        self.pretest_spin = QDoubleSpinBox(self)
        self.pretest_spin.setRange(low * 100, high * 100)
        self.pretest_spin.setDecimals(0)
        self.pretest_spin.setSuffix(" %")
        self.idle_spin = QSpinBox(self)
        self.idle_spin.setRange(1, IDLE_LOCK_MAX_MINUTES)
        self.idle_spin.setSuffix(" min")
        self.threshold_combo = QComboBox(self)
        for percent in BLOCK_THRESHOLD_CHOICES:
            self.threshold_combo.addItem(f"{percent} %", str(percent))
        self.window_spins = {
            agent: _window_spin(agent, self) for agent in WINDOWED_AGENTS
        }
        for widget, name, tip in (
            (
                self.clinician_edit,
                "settings.clinician",
                "Clinician name for new visits",
            ),
            (self.clinic_name_edit, "settings.clinic_name", "Clinic name (letterhead)"),
            (self.clinic_address_edit, "settings.clinic_address", "Clinic address"),
            (self.clinic_phone_edit, "settings.clinic_phone", "Clinic phone"),
            (self.logo_edit, "settings.clinic_logo", "Logo image for the letterhead"),
            (
                self.identifier_system_edit,
                "settings.patient_identifier_system",
                "The URI of the clinic's record numbers (MRN), as the receiving EHR "
                "knows it: FHIR exports name patients by it",
            ),
            (self.rule_combo, "settings.rule", "Cluster rule for new visits"),
            (
                self.pretest_spin,
                "settings.pretest_probability",
                "Pretest probability of SIJ pain in your setting (13–30% in chronic "
                "low back pain)",
            ),
            (
                self.idle_spin,
                "settings.idle_lock_minutes",
                "Lock the window after this long without use (patient data hidden)",
            ),
            (
                self.threshold_combo,
                "settings.block_threshold_percent",
                "Relief a diagnostic block must reach to count as positive",
            ),
        ):
            _named(widget, name, tip)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_edit, 1)
        logo_row.addWidget(logo_button)
        form.addRow("Clinician", self.clinician_edit)
        form.addRow("Clinic name", self.clinic_name_edit)
        form.addRow("Address", self.clinic_address_edit)
        form.addRow("Phone", self.clinic_phone_edit)
        form.addRow("Logo", logo_row)
        form.addRow("MRN identifier system", self.identifier_system_edit)
        form.addRow("Default rule", self.rule_combo)
        form.addRow("Pretest probability", self.pretest_spin)
        form.addRow("Block relief threshold", self.threshold_combo)
        for agent, spin in self.window_spins.items():
            form.addRow(f"Reading window, {agent.value}", spin)
        form.addRow("Lock when idle for", self.idle_spin)
        form.addRow("Clinic server", self.server_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
            parent=self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.load(preferences)

    def load(self, preferences: Preferences) -> None:
        """Fill the widgets from `preferences`."""
        self.clinician_edit.setText(preferences.clinician)
        self.clinic_name_edit.setText(preferences.clinic_name)
        self.clinic_address_edit.setPlainText(preferences.clinic_address)
        self.clinic_phone_edit.setText(preferences.clinic_phone)
        self.logo_edit.setText(preferences.clinic_logo)
        self.identifier_system_edit.setText(preferences.patient_identifier_system)
        self.rule_combo.setCurrentIndex(self.rule_combo.findData(preferences.rule_id))
        self.pretest_spin.setValue(round(preferences.pretest_probability * 100))
        self.threshold_combo.setCurrentIndex(
            self.threshold_combo.findData(str(preferences.block_threshold_percent))
        )
        self.idle_spin.setValue(preferences.idle_lock_minutes)
        self.server_edit.setText(preferences.clinic_server)
        for agent, spin in self.window_spins.items():
            spin.setValue(getattr(preferences, window_field(agent)))

    def preferences(self) -> Preferences:
        """A new `Preferences` from the widgets."""
        return Preferences(
            clinician=self.clinician_edit.text().strip(),
            clinic_name=self.clinic_name_edit.text().strip(),
            clinic_address=self.clinic_address_edit.toPlainText().strip(),
            clinic_phone=self.clinic_phone_edit.text().strip(),
            clinic_logo=self.logo_edit.text().strip(),
            patient_identifier_system=self.identifier_system_edit.text().strip(),
            rule_id=self.rule_combo.currentData(),
            pretest_probability=self.pretest_spin.value() / 100,
            block_threshold_percent=int(self.threshold_combo.currentData()),
            idle_lock_minutes=self.idle_spin.value(),
            clinic_server=self.server_edit.text().strip(),
            **{
                window_field(agent): spin.value()
                for agent, spin in self.window_spins.items()
            },
        )

    def _choose_logo(self) -> None:
        start = self.logo_edit.text() or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, "Letterhead logo", start, "Images (*.png *.jpg *.jpeg)"
        )
        if name:
            self.logo_edit.setText(name)

    @classmethod
    def ask(
        cls, preferences: Preferences, parent: QWidget | None = None
    ) -> Preferences | None:
        """Run the dialog; None when cancelled (tests monkeypatch this)."""
        dialog = cls(preferences, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.preferences()
        return None
