"""Meaning-bearing colours stay readable when the system palette is dark."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel

from sijoint_exam.ui.tones import Tone, set_tone


def test_dark_palette_gets_the_light_variant(qtbot):
    label = QLabel("cluster positive")
    qtbot.addWidget(label)
    set_tone(label, Tone.ALERT)
    assert Tone.ALERT.value[0] in label.styleSheet()
    dark = label.palette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    label.setPalette(dark)
    set_tone(label, Tone.ALERT)
    assert Tone.ALERT.value[1] in label.styleSheet()
    set_tone(label, None)
    assert label.styleSheet() == ""
