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
    from types import TracebackType

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

    `exit_when` ("shown", "usable" or "ready") quits early, for benchmarks and
    smoke tests; the moment it is reached goes to standard output first
    (`_reached`). "usable": the patient list can be searched; "ready": the
    database is open, checked and attached.

    The window is shown first and the database opened from the event loop's
    first pass (`ui.store_opening`): the patients are listed at once from a
    read-only look at the file, while the integrity check runs on a worker
    thread. The log file is set up on that pass too, before anything is
    logged; only its path is needed earlier, for the crash dialog.
    """
    from sijoint_exam.ui.store_opening import StoreOpening

    log_folder_path = log_folder()
    log_path = log_folder_path / LOG_FILE
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(sys.argv)
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
    databases: list[ExamDatabase] = []

    def usable() -> None:
        if exit_when == "usable":
            _reached(app)

    def opened(db: ExamDatabase, passphrase: str | None) -> None:
        databases.append(db)
        _use_store(window, db, db_path, log_path, passphrase)
        usable()
        if exit_when == "ready":
            _reached(app)
            return
        _after_open(app, window, db, db_path, passphrase)

    def failed(message: str) -> None:
        nonlocal status
        # Both: the terminal keeps a record, the window tells the user.
        print(f"sijoint-exam: {message}", file=sys.stderr)
        if exit_when is None:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(
                window, "sijoint-exam cannot open the database", message
            )
        status = 1
        window.close()

    opening = StoreOpening(window, db_path, usable=usable, opened=opened, failed=failed)

    def first_pass() -> None:
        # The fonts before any patient's name is shown. The icon here rather
        # than before the window is shown: QIcon brings its enums (one of a
        # hundred members), which the start need not wait for; the window
        # manager takes it a moment later.
        from sijoint_exam.ui.bundled_fonts import add_bundled_fonts

        add_bundled_fonts()
        app.setWindowIcon(application_icon())
        listed = opening.list_early()
        if listed and exit_when == "usable":
            return
        from sijoint_exam.logs import configure_logging

        configure_logging(log_folder_path)
        log.info("sijoint-exam %s starting on %s", __version__, db_path)
        if listed:
            opening.check_in_background()
        else:
            opening.open_now()

    if exit_when == "shown":
        QTimer.singleShot(0, lambda: _reached(app))  # the window is shown by now
    else:
        QTimer.singleShot(0, first_pass)
    try:
        code = app.exec()
        return status or code
    finally:
        opening.close()
        for db in databases:
            db.close()


def _use_store(
    window: MainWindow,
    db: ExamDatabase,
    db_path: Path,
    log_path: Path,
    passphrase: str | None,
) -> None:
    """Attach the open store to the window."""
    from sijoint_exam.store.repository import Repository

    if passphrase is not None:  # kept only as a salted hash, to unlock
        from sijoint_exam.ui import privacy

        window.passphrase_check = privacy.PassphraseCheck.of(passphrase)
    window.about_facts = {"Database": str(db_path), "Log file": str(log_path)}
    window.attach_repository(Repository(db), f"Database: {db_path}")


def _after_open(
    app: QApplication,
    window: MainWindow,
    db: ExamDatabase,
    db_path: Path,
    passphrase: str | None,
) -> None:
    """What runs once the store is attached: the day's backup, the clinic sync
    and the idle lock."""
    from sijoint_exam.store.database import default_backup_folder
    from sijoint_exam.ui import privacy

    backups = default_backup_folder(db_path)
    repository = window.repository
    _daily_backup(repository, backups)
    app.aboutToQuit.connect(lambda: _daily_backup(repository, backups))
    _start_clinic_sync(app, window, db, db_path, encrypted=passphrase is not None)
    idle = privacy.IdleWatcher(window.settings.preferences.idle_lock_minutes, window)
    idle.idle.connect(window.lock)
    idle.start(app)


def _reached(app: QApplication) -> None:
    """Print the monotonic clock and the process's CPU time, then quit: the
    start-up benchmark's end mark.

    Printed, not timed from outside, so that the figure is start to the shown
    window, as the budget says, without the teardown after it.
    """
    print(f"{time.monotonic():.6f} {time.process_time():.6f}", flush=True)
    app.quit()


def _start_clinic_sync(
    app: QApplication,
    window: MainWindow,
    db: ExamDatabase,
    db_path: Path,
    *,
    encrypted: bool,
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

    sync = ClinicSync(window, db, db_path, url, window.refresh_lists)
    window.clinic_sync = sync
    sync.start()
    app.aboutToQuit.connect(sync.stop)


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
    def hook(
        kind: type[BaseException],
        error: BaseException,
        trace: TracebackType | None,
    ) -> None:  # sys.excepthook's arguments
        traceback.print_exception(kind, error, trace)
        app.exit(1)

    return hook
