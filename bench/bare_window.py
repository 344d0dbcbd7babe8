"""Baseline for the start-up benchmark: a bare PySide6 QMainWindow, shown, then quit."""

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1320, 760)
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
