"""Composition root: build the window, open the store and settings, run Qt."""

from __future__ import annotations

import gc
import logging
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from sijoint_exam import __version__, resources
from sijoint_exam.paths import LOG_FILE, log_folder, settings_path
from sijoint_exam.ui.crash_dialog import install_excepthook
from sijoint_exam.ui.main_window import MainWindow
from sijoint_exam.ui.settings import Settings

if TYPE_CHECKING:
    import datetime as dt

    from PySide6.QtGui import QIcon

    from sijoint_exam.store.database import ExamDatabase
    from sijoint_exam.store.repository import Repository

log = logging.getLogger(__name__)


def create_main_window(
    repository: Repository,
    settings: Settings,
    today: Callable[[], dt.date] | None = None,
    database_label: str = "",
) -> MainWindow:
    """Wire the window; tests call this with their own repository and settings."""
    window = MainWindow(settings, today=today)
    window.attach_repository(repository, database_label)
    return window


def run_window(db_path: Path, exit_when: str | None = None) -> int:
    """Open the program's window on `db_path`; returns the exit status.

    `exit_when` ("shown" or "ready") quits early, for benchmarks and smoke tests;
    the moment it is reached goes to standard output first (`_reached`).

    The window is shown first and the database opened on the event loop's first
    pass: the store's import and its integrity check then happen behind a visible
    window that says "Opening the database…" instead of before any window at all.
    The log file is set up on that pass too, before anything is logged; only its
    path is needed earlier, for the crash dialog.
    """
    log_folder_path = log_folder()
    log_path = log_folder_path / LOG_FILE
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("sijoint-exam")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("sijoint-exam")  # matches resources/sijoint-exam.desktop
    window = MainWindow(Settings(settings_path()))
    # An uncaught exception is logged and shown with the log's path, after the
    # current exam has been written as a draft.
    if exit_when is None:
        install_excepthook(log_path, on_crash=window.save_draft_now)
    else:
        # Smoke tests and benchmarks: an error ends the run instead of waiting
        # behind a dialog nobody will close.
        sys.excepthook = _exit_on_error(app)
    window.show_at_start()
    # Start-up makes many long-lived objects and few cycles: the collector, off
    # since `cli.main`, is turned on again with those objects set aside for good.
    gc.freeze()
    gc.enable()
    status = 0
    databases = []

    def open_store() -> None:
        nonlocal status
        from sijoint_exam.logs import configure_logging
        from sijoint_exam.store.database import (
            DatabaseError,
            default_backup_folder,
            open_database,
        )
        from sijoint_exam.store.repository import Repository
        from sijoint_exam.ui import privacy
        from sijoint_exam.ui.bundled_fonts import add_bundled_fonts

        configure_logging(log_folder_path)
        log.info("sijoint-exam %s starting on %s", __version__, db_path)
        # Both on this first pass rather than before the window is shown: QIcon
        # brings its enums (one of a hundred members) and the fonts take a few
        # ms, which the start need not wait for. The window manager takes the
        # icon a moment later; the fonts are there before any patient's name
        # is shown (the list fills once the database is open).
        app.setWindowIcon(application_icon())
        add_bundled_fonts()

        backups = default_backup_folder(db_path)
        try:
            db, passphrase = open_with_passphrase(
                lambda key: open_database(
                    db_path,
                    passphrase=key,
                    backup_folder=backups,
                    on_upgrade=window.show_database_upgrade,
                ),
                lambda wrong: privacy.ask_passphrase(window, db_path.name, wrong),
            )
        except DatabaseError as error:
            message = str(error)
            if error.latest_backup is not None:
                message += (
                    f"\n\nThe latest good backup is {error.latest_backup}. To go back "
                    f"to it: sijoint-exam restore {error.latest_backup}"
                )
            # Both: the terminal keeps a record, the window tells the user.
            print(f"sijoint-exam: {message}", file=sys.stderr)
            if exit_when is None:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.critical(
                    window, "sijoint-exam cannot open the database", message
                )
            status = 1
            window.close()
            return
        databases.append(db)
        if passphrase is not None:  # kept only as a salted hash, to unlock
            window.passphrase_check = privacy.PassphraseCheck.of(passphrase)
        repository = Repository(db)
        window.about_facts = {"Database": str(db_path), "Log file": str(log_path)}
        window.attach_repository(repository, f"Database: {db_path}")
        if exit_when == "ready":
            _reached(app)
            return
        _daily_backup(repository, backups)
        app.aboutToQuit.connect(lambda: _daily_backup(repository, backups))
        _start_clinic_sync(window, db, db_path, encrypted=passphrase is not None)
        idle = privacy.IdleWatcher(
            window.settings.preferences.idle_lock_minutes, window
        )
        idle.idle.connect(window.lock)
        idle.start(app)

    if exit_when == "shown":
        QTimer.singleShot(0, lambda: _reached(app))  # the window is shown by now
    else:
        QTimer.singleShot(0, open_store)
    try:
        code = app.exec()
        return status or code
    finally:
        for db in databases:
            db.close()


def _reached(app: QApplication) -> None:
    """Print the monotonic clock and the process's CPU time, then quit: the
    start-up benchmark's end mark.

    Printed, not timed from outside, so that the figure is start to the shown
    window, as the budget says, without the teardown after it.
    """
    print(f"{time.monotonic():.6f} {time.process_time():.6f}", flush=True)
    app.quit()


def _start_clinic_sync(
    window: MainWindow, db: object, db_path: Path, *, encrypted: bool
) -> None:
    """Sync in the background when a clinic server is set (never otherwise: no
    psycopg, no thread). An encrypted database is synced with `sijoint-exam
    sync`: the window keeps no passphrase for a second connection."""
    url = window.settings.preferences.clinic_server.strip()
    if not url:
        return
    if encrypted:
        window.statusBar().showMessage(
            "Clinic server: an encrypted database is synced with `sijoint-exam sync`."
        )
        return
    from sijoint_exam.ui.clinic_sync import ClinicSync

    window.clinic_sync = ClinicSync(window, db, db_path, url, window.refresh_lists)
    window.clinic_sync.start()
    QApplication.instance().aboutToQuit.connect(window.clinic_sync.stop)


def _daily_backup(repository: Repository, folder: Path) -> None:
    """The day's backup, if none was taken yet; a failure is logged, not fatal."""
    try:
        made = repository.backup_if_due(folder)
    except Exception:  # a full disk must not stop the clinician working
        log.exception("daily backup into %s failed", folder)
        return
    if made is not None:
        log.info("backup written: %s", made)


def application_icon() -> QIcon:
    """The program's icon, from its PNG renders.

    Not the SVG: loading Qt's SVG icon engine costs the start more than the
    renders' scaling costs the look (packaging/render_icons.py makes them).
    """
    from PySide6.QtGui import QIcon

    icons = resources.FOLDER / "icons"
    icon = QIcon()
    for size in (48, 256):
        icon.addFile(str(icons / f"sijoint-exam-{size}.png"))
    return icon


def _exit_on_error(app: QApplication) -> Callable[..., None]:
    def hook(kind, error, trace) -> None:  # sys.excepthook's arguments
        traceback.print_exception(kind, error, trace)
        app.exit(1)

    return hook


def open_with_passphrase(
    open_with: Callable[[str | None], ExamDatabase],
    ask: Callable[[bool], str | None],
) -> tuple[ExamDatabase, str | None]:
    """Open the database, asking for its passphrase while it is needed or wrong.

    Returns the database and the passphrase used (None for a plain database).
    Raises the store's DatabaseError, or PassphraseRequiredError when the user
    gives up.
    """
    from sijoint_exam.store.errors import (
        PassphraseRequiredError,
        WrongPassphraseError,
    )

    passphrase: str | None = None
    while True:
        try:
            return open_with(passphrase), passphrase
        except (PassphraseRequiredError, WrongPassphraseError) as error:
            passphrase = ask(isinstance(error, WrongPassphraseError))
            if passphrase is None:
                raise
