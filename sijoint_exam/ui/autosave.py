"""Autosave: write the draft at most one second after the last edit.

The timer restarts on every edit, so typing costs nothing; the write happens once the
clinician pauses, off the keystroke path. `flush()` writes at once (before closing,
switching visits or locking).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Slot

if TYPE_CHECKING:
    from sijoint_exam.domain.visit import Patient
    from sijoint_exam.store.drafts import Draft

DELAY_MS = 1000


class Autosave(QObject):
    """Calls `write` once, `DELAY_MS` after the last `schedule()`."""

    def __init__(self, write: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self._write = write
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.flush)

    @property
    def pending(self) -> bool:
        """True while an edit waits to be written."""
        return self._timer.isActive()

    def schedule(self) -> None:
        """An edit happened: write in `DELAY_MS` unless another edit comes first."""
        self._timer.start()

    def cancel(self) -> None:
        """Forget the pending write (the visit was saved or reverted)."""
        self._timer.stop()

    @Slot()
    def flush(self) -> None:
        """Write now if an edit is waiting (or the timer just fired)."""
        self._timer.stop()
        self._write()


def draft_offer_text(patient: Patient, newest: Draft, count: int) -> str:
    """What the start-up offer of a left-over draft says."""
    others = (
        f"\n\n{count - 1} more draft(s) open with their visits." if count > 1 else ""
    )
    return (
        f"A visit of {patient.display_name} (MRN {patient.mrn}) dated "
        f"{newest.visit.date.isoformat()} has changes that were autosaved at "
        f"{newest.saved_at:%Y-%m-%d %H:%M} but never saved.\n\nOpen it now? "
        f"Otherwise the changes come back when you open that visit.{others}"
    )
