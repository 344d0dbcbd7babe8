"""Guards against a Qt binding that corrupts Python's reference counts."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QToolButton


def test_void_qt_calls_keep_the_reference_count_of_none(qtbot):
    # PySide6 6.12.0 on CPython 3.11 loses one reference to None per call of a
    # void method, and the program aborts once the count reaches zero.
    button = QToolButton()
    qtbot.addWidget(button)
    button.setCheckable(True)
    before = sys.getrefcount(None)
    for _ in range(200):
        button.setText("x")
        button.setChecked(True)
    assert sys.getrefcount(None) - before > -50
