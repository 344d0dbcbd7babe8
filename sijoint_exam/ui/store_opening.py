"""Open the database behind the shown window, the patient list usable first.

The order, on the event loop's first pass after the window is shown:

1. The patients are listed from a read-only look at the file
   (`store.patient_directory`): the clinician can search at once.
2. The store is imported a module or two per event-loop pass (`STORE_IMPORTS`),
   then SQLite's integrity check runs on a worker thread, on a read-only
   connection of its own (`store.database.check_file`): on a large clinic it
   takes a second or more, and the window stays responsive meanwhile.
3. Once it has passed, the store is opened (schema, lock, pragmas) on the main
   thread without checking again, and attached to the window.

A damaged file is still refused before anything is written to it: nothing
writes before step 3, and step 3 comes only after a passed check. A file the
read-only look cannot list (none yet, encrypted, older schema, not ours) is
opened as before, checked first, with its passphrase asked for when it has one.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from sijoint_exam.store.database import ExamDatabase
    from sijoint_exam.store.patient_directory import PatientDirectory
    from sijoint_exam.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# The store's imports, heaviest first in the order they load, one per event-loop
# pass once the list is shown: a keystroke in the search box then waits for one
# of them at most (30 ms or so). Imported on the check's worker thread instead,
# they held the interpreter's lock against the list's painting for about 100 ms
# a keystroke. A module left out here only makes a later step longer.
STORE_IMPORTS = (
    "click",
    "dateutil.parser",
    "pluggy",
    "tabulate",
    "sqlite_utils",
    "sijoint_exam.domain.catalogue",
    "sijoint_exam.domain.block",
    "sijoint_exam.domain.alignment",
    "sijoint_exam.domain.visit",
    "sijoint_exam.domain.validation",
    "sijoint_exam.domain.visit_file",
    "sijoint_exam.store.cipher",
    "sijoint_exam.store.migrations",
    "sijoint_exam.store.rows",
    "sijoint_exam.store.database",
    "sijoint_exam.store.repository",
)


class StoreOpening(QObject):
    """Opens `db_path` for `window`; says when the list is usable, when the store
    is open, and when it could not be opened.

    Callbacks, all on the main thread:
        usable(): the patient list can be searched (from the directory, or from
            the store when there was no early list).
        opened(db, passphrase): the store is open and checked; passphrase is the
            one it was opened with (None for a plain file).
        failed(message): it cannot be opened; the message names the file and why.
    """

    # The worker's result: the exception the check raised, or None.
    _checked = Signal(object)

    def __init__(
        self,
        window: MainWindow,
        db_path: Path,
        *,
        usable: Callable[[], None],
        opened: Callable[[ExamDatabase, str | None], None],
        failed: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._path = db_path
        self._usable = usable
        self._opened = opened
        self._failed = failed
        self._directory: PatientDirectory | None = None
        self._checked.connect(self._on_checked)

    def list_early(self) -> bool:
        """Step 1: list the patients from the file, read-only. False when it
        cannot be listed so (then `open_now`)."""
        from sijoint_exam.store.patient_directory import PatientDirectory

        self._directory = PatientDirectory.open(self._path)
        if self._directory is None:
            return False
        self._window.list_patients_before_open(self._directory)
        self._usable()
        return True

    def check_in_background(self) -> None:
        """Step 2: the store imported a step per event-loop pass, then the
        integrity check on a worker thread; step 3 follows."""
        self._import_next(list(STORE_IMPORTS))

    def _import_next(self, pending: list[str]) -> None:
        if pending:
            # Each step on a timer of its own: what is waiting (the list's first
            # paint, a keystroke) comes first.
            QTimer.singleShot(1, lambda: self._import_step(pending))
            return
        # A daemon: closing the window during a long check must not wait for it
        # (it only reads).
        threading.Thread(target=self._check, name="database check", daemon=True).start()

    def _import_step(self, pending: list[str]) -> None:
        name = pending.pop(0)
        try:
            importlib.import_module(name)
        except ImportError:
            # A hint of what loads slowly, not a requirement: a library that no
            # longer uses it is no reason to stop. What the store really needs,
            # the check's own import names.
            log.info("start-up import %s skipped: not installed", name)
        self._import_next(pending)

    def _check(self) -> None:
        try:
            from sijoint_exam.store.database import check_file

            check_file(self._path)
        except Exception as error:  # handed to the main thread, which says it
            self._checked.emit(error)
        else:
            self._checked.emit(None)

    @Slot(object)
    def _on_checked(self, error: Exception | None) -> None:
        from sijoint_exam.store.errors import DatabaseError, PassphraseRequiredError

        if isinstance(error, PassphraseRequiredError):
            # Encrypted since it was listed: the opening asks and checks.
            self.open_now(checked=False)
        elif isinstance(error, DatabaseError):
            self.close()
            self._failed(str(error))
        elif error is not None:
            log.error("the database check failed", exc_info=error)
            self.close()
            self._failed(f'The database "{self._path}" could not be checked: {error}')
        else:
            self.open_now(checked=True)

    def open_now(self, *, checked: bool = False) -> None:
        """Open the store on this thread (the check first, unless `checked`),
        asking for the passphrase of an encrypted file."""
        from sijoint_exam.store.database import (
            DatabaseError,
            default_backup_folder,
            open_database,
        )

        def ask(wrong: bool) -> str | None:
            from sijoint_exam.ui import privacy

            return privacy.ask_passphrase(self._window, self._path.name, wrong)

        try:
            db, passphrase = open_with_passphrase(
                lambda key: open_database(
                    self._path,
                    passphrase=key,
                    backup_folder=default_backup_folder(self._path),
                    on_upgrade=self._window.show_database_upgrade,
                    # The check passed on this very file a moment ago, and
                    # nothing has written to it since.
                    quick_check=not (checked and key is None),
                ),
                ask,
            )
        except DatabaseError as error:
            self.close()
            self._failed(str(error))
            return
        self._opened(db, passphrase)
        self.close()  # after: the list searched the directory until then

    def close(self) -> None:
        """Let go of the read-only look at the file (the store has its own)."""
        if self._directory is not None:
            self._directory.close()
            self._directory = None


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
