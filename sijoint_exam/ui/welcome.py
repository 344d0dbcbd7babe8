"""Welcome: what the centre shows before a patient is open (and on first run)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


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
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.create_button = QPushButton("Create a patient", self)
        self.create_button.setObjectName("welcome.create_patient")
        self.create_button.setMinimumHeight(44)
        self.create_button.clicked.connect(new_patient.trigger)
        self.demo_button = QPushButton("Open a demo patient", self)
        self.demo_button.setObjectName("welcome.demo_patient")
        self.demo_button.setToolTip(
            "Add a generated patient (record number DEMO-…) with visits to look around"
        )
        self.demo_button.setMinimumHeight(44)
        self.demo_button.clicked.connect(open_demo.trigger)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.demo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.show_database(opening=True, empty=False)

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
        self.message.setText(text)
        self.create_button.setVisible(not opening)
        self.demo_button.setVisible(not opening and empty)
