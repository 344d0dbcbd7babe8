"""The window's background sync with the clinic server, and its status-bar label:
"synced 10:42", "3 waiting", "offline since 10:40", "1 conflict to settle".

Only built when a clinic server is configured (Settings); the sync itself runs on
the thread pool with its own connection to the database (a SQLite connection
belongs to the thread that opened it), and a listening thread hears at once when
another room has pushed (LISTEN/NOTIFY), so their changes show within a second.
A database opened with a passphrase is not synced in the background: the window
does not keep the passphrase; `sijoint-exam sync` does it.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QMainWindow

from sijoint_exam.ui.workers import BackgroundTask

log = logging.getLogger(__name__)

# Look for local changes to send this often; sync anyway this often.
CHECK_MS = 10_000
SYNC_ANYWAY_MS = 300_000
# After a failed listen (the server down), try again after this long.
LISTEN_RETRY_S = 30


def _sync_copy(path: Path, url: str, room: str) -> tuple[object, int]:
    """On the pool's thread: open the database there, sync, count what waits."""
    from sijoint_exam.store.database import open_database
    from sijoint_exam.store.server.outbox import waiting
    from sijoint_exam.store.server.sync import sync

    # The window opened and checked the file: this second connection need not.
    with open_database(path, instance_lock=False, quick_check=False) as db:
        report = sync(db, url, room)
        return report, waiting(db)


class ClinicSync(QObject):
    """Syncs `path` with the server at `url` while the window is open.

    Args:
        window: Gets the label in its status bar; `on_received` refreshes it.
        db: The window's open database (read on the GUI thread, to count what
            waits to be sent).
        path: The database file, opened again on the worker thread.
        url: The clinic server (libpq URI, no password).
        on_received: Called on the GUI thread after a sync took records in.
    """

    other_room_pushed = Signal()

    def __init__(
        self,
        window: QMainWindow,
        db: object,
        path: Path,
        url: str,
        on_received: Callable[[], None],
        clock: Callable[[], dt.datetime] = dt.datetime.now,
    ) -> None:
        super().__init__(window)
        self._db = db
        self._path = path
        self._url = url
        self._on_received = on_received
        self._clock = clock
        self._task: BackgroundTask | None = None
        self._again = False
        self._offline_since: dt.datetime | None = None
        self._last_sync = clock()
        self._stop = threading.Event()
        from sijoint_exam.store.sync_tables import workstation

        self._me = workstation(db)[0]  # type: ignore[arg-type]
        self.label = QLabel("Clinic server: connecting…", window)
        window.statusBar().addPermanentWidget(self.label)
        self.other_room_pushed.connect(self.sync_now)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self._check)

    def start(self) -> None:
        """Sync now, then keep checking; listen for the other rooms."""
        self._timer.start()
        self.sync_now()
        threading.Thread(target=self._listen, name="clinic-listen", daemon=True).start()

    def stop(self) -> None:
        self._timer.stop()
        self._stop.set()

    @property
    def syncing(self) -> bool:
        return self._task is not None

    def waiting(self) -> int:
        from sijoint_exam.store.server.outbox import waiting

        return waiting(self._db)  # type: ignore[arg-type]

    @Slot()
    def _check(self) -> None:
        overdue = (self._clock() - self._last_sync).total_seconds() * 1000
        if self.waiting() or overdue >= SYNC_ANYWAY_MS or self._offline_since:
            self.sync_now()
        else:
            self._show()

    @Slot()
    def sync_now(self) -> None:
        """Start a sync (or another right after the one running)."""
        if self._task is not None:
            self._again = True
            return
        room = f"{socket.gethostname()}: {self._path.name}"
        path, url = self._path, self._url
        self._task = BackgroundTask(lambda: _sync_copy(path, url, room), self)
        self._task.succeeded.connect(self._synced)
        self._task.failed.connect(self._failed)
        self._task.finished.connect(self._finished)
        self._task.start()

    @Slot(object)
    def _synced(self, result: object) -> None:
        report, waiting = result  # type: ignore[misc]
        self._offline_since = None
        self._last_sync = self._clock()
        if report.conflicts:
            # The MRNs and names only in the tooltip: the status bar stays in
            # view behind the lock screen.
            count = len(report.conflicts)
            self.label.setText(
                f"Clinic server: {count} conflict{'s' if count > 1 else ''} to settle"
            )
            self.label.setToolTip("\n".join(c.message for c in report.conflicts))
        else:
            self._show(waiting)
        if report.received_visits or report.conflicts or report.received_patients:
            self._on_received()

    @Slot(object)
    def _failed(self, error: object) -> None:
        if self._offline_since is None:
            self._offline_since = self._clock()
        self.label.setText(f"Clinic server: offline since {self._offline_since:%H:%M}")
        self.label.setToolTip(str(error))

    @Slot()
    def _finished(self) -> None:
        self._task = None
        if self._again:
            self._again = False
            self.sync_now()

    def _show(self, waiting: int | None = None) -> None:
        if self._offline_since is not None:
            return
        waiting = self.waiting() if waiting is None else waiting
        if waiting:
            self.label.setText(f"Clinic server: {waiting} waiting")
        else:
            self.label.setText(f"Clinic server: synced {self._last_sync:%H:%M}")
        self.label.setToolTip(self._url_shown())

    def _url_shown(self) -> str:
        from sijoint_exam.store.server.connection import describe

        return describe(self._url)

    def _listen(self) -> None:
        """On its own thread: wait for other rooms' pushes, ask for a sync."""
        from sijoint_exam.store.server.connection import ServerError
        from sijoint_exam.store.server.listen import ChangeListener

        while not self._stop.is_set():
            try:
                listener = ChangeListener(self._url, self._me)
            except ServerError:
                self._stop.wait(LISTEN_RETRY_S)
                continue
            try:
                while not self._stop.is_set():
                    if listener.wait(5):
                        self.other_room_pushed.emit()
            except ServerError:
                self._stop.wait(LISTEN_RETRY_S)
            finally:
                listener.close()
