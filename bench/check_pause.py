"""The longest pause of the window's event loop while the database is checked and
opened behind the listed patients: printed as milliseconds by

    python -m bench.check_pause DATABASE

A fresh process, as at a real start: the store is not loaded yet. A 5 ms timer
runs on the event loop from the moment the list is shown until the store is open,
while "choi" is typed into the search box a letter every 40 ms (each a search and
a repaint of the list); the figure is the longest gap between two of the timer's
ticks (5 ms when nothing holds the loop up).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from sijoint_exam.ui.main_window import MainWindow
from sijoint_exam.ui.settings import Settings
from sijoint_exam.ui.store_opening import StoreOpening


def main(database: Path) -> int:
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(Settings(Path(tmp) / "settings.ini"))
        window.show()
        ticks: list[float] = []
        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        failures: list[str] = []

        def opened(db: object, _passphrase: str | None) -> None:
            timer.stop()
            db.close()  # type: ignore[attr-defined]
            app.quit()

        def failed(message: str) -> None:
            failures.append(message)
            app.quit()

        opening = StoreOpening(
            window, database, usable=lambda: None, opened=opened, failed=failed
        )

        def first_pass() -> None:
            if not opening.list_early():
                failed("the patients could not be listed before the store opened")
                return
            ticks.append(time.perf_counter())
            timer.start()
            opening.check_in_background()
            search = window.patient_list.search_edit
            for letter in range(1, 5):
                QTimer.singleShot(
                    40 * letter, lambda n=letter: search.setText("choi"[:n])
                )

        QTimer.singleShot(0, first_pass)
        app.exec()
        opening.close()
    if failures:
        print(failures[0], file=sys.stderr)
        return 1
    gaps = [later - earlier for earlier, later in zip(ticks, ticks[1:], strict=False)]
    print(f"{max(gaps) * 1000:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
