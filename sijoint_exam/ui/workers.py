"""Work off the GUI thread: a function run on Qt's thread pool, its result or its
error handed back on the GUI thread as signals (Picard's `run_task`/`to_main`).

The work gets plain values (paths, strings), never a widget or the window's open
database: a SQLite connection belongs to the thread that opened it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class BackgroundTask(QObject):
    """Runs `work` once, on the thread pool, after `start()`.

    `succeeded(result)` or `failed(error)`, then `finished`, are emitted on the
    thread that created the task (the GUI thread), whatever thread ran the work.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    # From the pool's thread to this object's: queued, so it runs on the GUI
    # thread's event loop rather than in the thread that emits it.
    _reported = Signal(bool, object)

    def __init__(
        self, work: Callable[[], object], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._work: Callable[[], object] | None = work
        self._runnable: _Runnable | None = None
        self.running = False
        self._reported.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def start(self, pool: QThreadPool | None = None) -> None:
        """Hand the work to `pool` (the application's shared pool by default)."""
        if self._work is None or self.running:
            raise RuntimeError("a background task runs once")
        self.running = True
        # Kept here, not auto-deleted by the pool: Python owns the runnable.
        self._runnable = _Runnable(self._work, self._reported.emit)
        self._runnable.setAutoDelete(False)
        (pool or QThreadPool.globalInstance()).start(self._runnable)

    @Slot(bool, object)
    def _deliver(self, ok: bool, value: object) -> None:
        # Drop the work: its closure may hold a passphrase, kept no longer than needed.
        self._work = None
        self.running = False
        if ok:
            self.succeeded.emit(value)
        else:
            self.failed.emit(value)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(
        self, work: Callable[[], object], report: Callable[[bool, object], None]
    ) -> None:
        super().__init__()
        self._work = work
        self._report = report

    def run(self) -> None:  # Qt override, on the pool's thread
        try:
            result = self._work()
        except Exception as error:  # handed to the GUI thread, which says what failed
            log.exception("background work failed")
            self._report(False, error)
        else:
            self._report(True, result)
        finally:
            self._work = None
