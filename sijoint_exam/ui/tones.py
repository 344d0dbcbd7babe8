"""Tones for meaning-bearing text that stay readable in light and dark palettes.

Colour only ever repeats what the words say; it is never the only carrier of meaning.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget


class Tone(Enum):
    """What a coloured text means, with its (light palette, dark palette) colours."""

    ALERT = ("#b3261e", "#ff8a80")  # problems, a positive cluster, emergencies
    REASSURING = ("#1b6e3a", "#81c995")  # a negative cluster
    PENDING = ("#8a5a00", "#fdd663")  # incomplete


def is_dark(widget: QWidget) -> bool:
    """True when the widget's palette has a dark background."""
    return widget.palette().color(QPalette.ColorRole.Window).lightness() < 128


def set_tone(widget: QWidget, tone: Tone | None) -> None:
    """Colour a label's text by meaning (None: the palette's own text colour)."""
    if tone is None:
        widget.setStyleSheet("")
        return
    light, dark = tone.value
    widget.setStyleSheet(f"color: {dark if is_dark(widget) else light};")
