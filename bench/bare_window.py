"""Baseline for the start-up benchmark: a bare PySide6 QMainWindow, shown, then quit;
prints the monotonic clock and its CPU time when shown."""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1320, 760)
window.show()


# As the program does with --exit-when: the moment shown, then quit.
def shown() -> None:
    print(f"{time.monotonic():.6f} {time.process_time():.6f}", flush=True)
    app.quit()


QTimer.singleShot(0, shown)
sys.exit(app.exec())
