"""Composition root: open the store and settings, build the window, run Qt."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from sijoint_exam import __version__
from sijoint_exam.paths import settings_path
from sijoint_exam.store.database import DatabaseError, open_database
from sijoint_exam.store.repository import Repository
from sijoint_exam.ui.main_window import MainWindow
from sijoint_exam.ui.settings import Settings

log = logging.getLogger(__name__)


def create_main_window(
    repository: Repository,
    settings: Settings,
    today: Callable[[], dt.date] = dt.date.today,
    database_label: str = "",
) -> MainWindow:
    """Wire the window; tests call this with their own repository and settings."""
    return MainWindow(
        repository,
        settings,
        today=today,
        database_label=database_label,
    )


def run_window(db_path: Path, exit_when_shown: bool = False) -> int:
    """Open the program's window on `db_path`; returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("sijoint-exam")
    app.setApplicationVersion(__version__)
    try:
        db = open_database(db_path)
    except DatabaseError as error:
        # Both: the terminal keeps a record, the window tells a user who has none.
        print(f"sijoint-exam: {error}", file=sys.stderr)
        if not exit_when_shown:
            QMessageBox.critical(
                None, "sijoint-exam cannot open the database", str(error)
            )
        return 1
    try:
        window = create_main_window(
            Repository(db),
            Settings(settings_path()),
            database_label=f"Database: {db_path}",
        )
        window.show()
        if exit_when_shown:
            # Runs on the event loop's first pass, after the window is shown.
            QTimer.singleShot(0, app.quit)
        return app.exec()
    finally:
        db.close()
