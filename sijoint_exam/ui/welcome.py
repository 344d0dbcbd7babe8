"""Welcome: what the centre shows before a patient is open (and on first run)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

CHECKING = (
    "<p>Checking the database…</p>"
    "<p>Search for the patient meanwhile: the one chosen opens as soon as the "
    "check is done.</p>"
)
UPGRADING = (
    "<p>Upgrading the database to this version of sijoint-exam…</p>"
    "<p>A copy of it is kept first. On a large database this takes a minute or "
    "more; please wait.</p>"
)


class Welcome(QWidget):
    """A short welcome; says whether the database is empty and offers the first step."""

    def __init__(
        self, new_patient: QAction, open_demo: QAction, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.message = QLabel(self)
        self.message.setObjectName("welcome.message")
        self.message.setWordWrap(True)
        self.create_button = QPushButton("Create a patient", parent=self)
        self.create_button.setObjectName("welcome.create_patient")
        self.create_button.setMinimumHeight(44)
        self.create_button.clicked.connect(new_patient.trigger)
        self.demo_button = QPushButton("Open a demo patient", parent=self)
        self.demo_button.setObjectName("welcome.demo_patient")
        self.demo_button.setToolTip(
            "Add a generated patient (record number DEMO-…) with visits to look around"
        )
        self.demo_button.setMinimumHeight(44)
        self.demo_button.clicked.connect(open_demo.trigger)
        # Centred by stretches and the text's own markup rather than alignment
        # flags: this page is shown before Qt's namespace is first used (see
        # window_layout.py), and it is shown at every start.
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        for button in (self.create_button, self.demo_button):
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addStretch(2)
        self.show_database(opening=True, empty=False)

    def show_upgrade(self) -> None:
        """Say that the database is being upgraded (a long wait, once)."""
        self._show_wait(UPGRADING)

    def show_checking(self) -> None:
        """Say that the database is being checked, the patients listed already."""
        self._show_wait(CHECKING)

    def _show_wait(self, text: str) -> None:
        self.message.setText(f'<div align="center">{text}</div>')
        self.create_button.setVisible(False)
        self.demo_button.setVisible(False)

    def show_database(self, *, opening: bool, empty: bool) -> None:
        """Say what the user can do with the database as it is."""
        if opening:
            text = "Opening the database…"
        elif empty:
            text = (
                "<h2>Welcome to sijoint-exam</h2>"
                "<p>Record a sacroiliac-joint examination: the provocation tests, "
                "the cluster tally against a published rule, and the visit note.</p>"
                "<p>There are no patients yet. Create the first one to start, or "
                "open a demo patient to look around.</p>"
            )
        else:
            text = (
                "<h2>sijoint-exam</h2><p>Choose a patient on the left, "
                "or create a new one.</p>"
            )
        self.message.setText(f'<div align="center">{text}</div>')
        self.create_button.setVisible(not opening)
        self.demo_button.setVisible(not opening and empty)
