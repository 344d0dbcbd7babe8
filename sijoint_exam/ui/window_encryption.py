"""Encryption at rest from the window: encrypt the plain database, or change the
passphrase of an encrypted one (the store's `encrypt_database` and
`change_passphrase`, as the commands do).

Both rewrite the whole file, which takes seconds for a large database, so they run
on the thread pool behind a busy dialog. The store refuses a file this program
has open (its instance lock), so the window saves the draft, lets go of the
database and closes it, and opens it again afterwards - with the new passphrase
after success, as it was after a failure - showing the same patient and visit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.ui.passphrase_dialog import (
    CURRENT_FIELD,
    PassphraseDialog,
    PassphraseEntry,
    new_passphrase_problem,
)
from sijoint_exam.ui.privacy import PassphraseCheck
from sijoint_exam.ui.workers import BackgroundTask

if TYPE_CHECKING:
    from sqlite_utils import Database

    from sijoint_exam.store.repository import Repository
    from sijoint_exam.ui.exam_session import ExamSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowDatabase:
    """What encrypting asks of the window: its open database and how to let go
    of it and take it back, its dialogs, and where the new passphrase goes."""

    parent: QWidget  # of the dialogs
    repository: Repository
    encrypted: bool  # the window keeps a passphrase check
    ask: Callable[[str, bool], tuple[str, str, str] | None]  # ask_new_passphrase
    show_error: Callable[[str, str], None]
    # Write the draft and stop using the store; the session that was open.
    detach: Callable[[], ExamSession | None]
    # Work on the reopened store, back at the session's patient and visit.
    reattach: Callable[[Repository, str, ExamSession | None], None]
    remember_passphrase: Callable[[PassphraseCheck], None]


NOT_ENCRYPTED = "The database was not encrypted"
NOT_CHANGED = "The passphrase was not changed"
_LOSS_WARNING = (
    "<p><b>The passphrase cannot be recovered.</b> Without it nobody, not even the "
    "program's authors, can read the records or their backups. Use at least 8 "
    "characters; several words are best.</p>"
)


def database_of(repository: Repository) -> Database:
    """The open database behind the window's repository."""
    # The Repository keeps its database to itself. The window needs it for one
    # thing: to close it and hand the file to the store's encryption functions,
    # which refuse a file this program has open.
    return repository._db


def database_file(repository: Repository) -> Path | None:
    """The file of the window's database; None for an in-memory one."""
    from sijoint_exam.store.backup import database_path

    try:
        return database_path(database_of(repository))
    except ValueError:
        return None


def ask_passphrases(
    parent: QWidget, explanation: str, current: bool
) -> PassphraseEntry | None:
    """The passphrase dialog for encrypting (`current` False) or for changing the
    passphrase (`current` True: the current one is asked too)."""
    if current:
        title, accept_text = "Change passphrase", "Change passphrase"
    else:
        title, accept_text = "Encrypt database", "Encrypt"
    return PassphraseDialog.ask(parent, title, explanation, accept_text, current)


def encrypt_explanation(path: Path) -> str:
    """What encrypting `path` does, before it is done."""
    return (
        f"<p><b>{escape(path.name)}</b> is not encrypted: anyone who can read the "
        "file can read every record.</p><p>Encrypting it:</p><ol>"
        "<li>saves your draft and closes the database for a moment;</li>"
        "<li>copies every record into a new encrypted file beside it, and checks "
        "the copy against the database (not damaged, the same tables, the same "
        "number of rows);</li>"
        "<li>only then puts the encrypted file in the database's place. The plain "
        "file is kept aside, unchanged; you are told where, to delete it securely "
        "once the encrypted database has opened.</li></ol>"
        "<p>If anything fails, the database stays as it is. A large database "
        "takes a few seconds.</p>" + _LOSS_WARNING
    )


def change_explanation(path: Path) -> str:
    """What changing the passphrase of `path` does, before it is done."""
    return (
        f"<p>Every page of <b>{escape(path.name)}</b> is encrypted again under the "
        "new passphrase. Your draft is saved and the database closed for a "
        "moment.</p><p>Backups made before keep the old passphrase: they open "
        "with the old one only.</p>" + _LOSS_WARNING
    )


def encrypt_database(window: WindowDatabase | None) -> BackgroundTask | None:
    """Encrypt the window's plain database with a new passphrase; the task doing
    it, or None when nothing was started (no database, the window locked,
    cancelled, refused: said why)."""
    from sijoint_exam.store import encryption

    path = None if window is None else _file_for(window, encrypted=False)
    if window is None or path is None:
        return None
    entry = _ask(window, encrypt_explanation(path), current=False)
    if entry is None:  # cancelled
        return None
    if problem := new_passphrase_problem(entry):
        window.show_error(NOT_ENCRYPTED, f"{problem}\n\nNothing was changed.")
        return None
    passphrase, clinician = entry.new, window.repository.clinician

    def succeeded(kept: object) -> None:
        window.remember_passphrase(PassphraseCheck.of(passphrase))
        copies = encryption.plain_copies(path)
        _tell(
            window, "Database encrypted", _encrypted_text(path, Path(str(kept)), copies)
        )

    return _run_with_database_closed(
        window,
        path,
        busy_text=f"Encrypting {path.name}…",
        work=lambda: encryption.encrypt_database(path, passphrase, clinician=clinician),
        passphrases=(passphrase, None),
        failure=(NOT_ENCRYPTED, "The database was opened again as it was."),
        succeeded=succeeded,
    )


def change_passphrase(window: WindowDatabase | None) -> BackgroundTask | None:
    """Re-encrypt the window's encrypted database under a new passphrase; the
    task doing it, or None when nothing was started."""
    from sijoint_exam.store import encryption

    path = None if window is None else _file_for(window, encrypted=True)
    if window is None or path is None:
        return None
    entry = _ask(window, change_explanation(path), current=True)
    if entry is None:  # cancelled
        return None
    problem = new_passphrase_problem(entry)
    # The file itself says whether it is the passphrase: the rekey needs it, and
    # so does opening the database again if the rekey fails.
    if not entry.current or not encryption.passphrase_opens(path, entry.current):
        problem = f"{CURRENT_FIELD}: that is not the passphrase of this database."
    if problem:
        window.show_error(NOT_CHANGED, f"{problem}\n\nNothing was changed.")
        return None
    old, new, clinician = entry.current, entry.new, window.repository.clinician

    def succeeded(_result: object) -> None:
        window.remember_passphrase(PassphraseCheck.of(new))
        _tell(
            window,
            "Passphrase changed",
            f"The passphrase of {path.name} was changed: the database opens, and "
            "the window unlocks, with the new passphrase only.\n\nBackups made "
            "before still open with the old passphrase only.",
        )

    return _run_with_database_closed(
        window,
        path,
        busy_text=f"Encrypting {path.name} under the new passphrase…",
        work=lambda: encryption.change_passphrase(path, old, new, clinician=clinician),
        passphrases=(new, old),
        failure=(NOT_CHANGED, "The database was opened again with its passphrase."),
        succeeded=succeeded,
    )


def _ask(
    window: WindowDatabase, explanation: str, current: bool
) -> PassphraseEntry | None:
    """The passphrases typed in the window's dialog; None when cancelled."""
    answer = window.ask(explanation, current)
    return None if answer is None else PassphraseEntry(*answer)


def _file_for(window: WindowDatabase, encrypted: bool) -> Path | None:
    """The database file, when the window may encrypt it (`encrypted` False) or
    change its passphrase (True) now."""
    if window.encrypted != encrypted:
        return None
    path = database_file(window.repository)
    if path is None:
        window.show_error(
            "No database file", "This database is kept in memory; it has no file."
        )
    return path


def _run_with_database_closed(
    window: WindowDatabase,
    path: Path,
    *,
    busy_text: str,
    work: Callable[[], object],
    passphrases: tuple[str | None, str | None],
    failure: tuple[str, str],
    succeeded: Callable[[object], None],
) -> BackgroundTask | None:
    """Close the database, run `work` on the thread pool, open it again.

    `passphrases` open it after success and after failure; `failure` is the
    title of the error message and what it adds; `succeeded` gets the work's
    result once the database is open again.
    """
    try:
        before = window.detach()
    except Exception as error:  # the draft could not be written: stop here
        log.exception("saving the draft before closing the database failed")
        window.show_error(
            failure[0],
            f"Your draft could not be saved first: {error}\n\nNothing was changed.",
        )
        return None
    if before is not None:
        database_of(before.repository).close()  # and gives back the instance lock
    busy = BusyDialog(busy_text, window.parent)
    busy.open()
    task = BackgroundTask(work, window.parent)

    def after(ok: bool, value: object) -> None:
        task.deleteLater()  # and with it the closures holding the passphrases
        try:
            reopened = _reopen(window, path, passphrases[0 if ok else 1], before)
        finally:
            busy.finish()
        if reopened and ok:
            succeeded(value)
        elif reopened:
            window.show_error(failure[0], f"{value}\n\n{failure[1]} Nothing was lost.")

    task.succeeded.connect(lambda result: after(True, result))
    task.failed.connect(lambda error: after(False, error))
    task.start()
    return task


def _reopen(
    window: WindowDatabase,
    path: Path,
    passphrase: str | None,
    before: ExamSession | None,
) -> bool:
    """Open the database again and give it back to the window; False (after
    saying so) when it does not open."""
    from sijoint_exam.store.database import default_backup_folder, open_database
    from sijoint_exam.store.repository import Repository

    try:
        db = open_database(
            path, passphrase=passphrase, backup_folder=default_backup_folder(path)
        )
    except Exception as error:
        log.exception("opening the database again failed")
        window.show_error(
            "The database could not be opened again",
            f"{error}\n\nClose sijoint-exam and start it again.",
        )
        return False
    # The program closes the database it opened at start when it ends; this one
    # was opened here, so it is closed here.
    application = QCoreApplication.instance()
    if application is not None:
        application.aboutToQuit.connect(db.close)
    window.reattach(Repository(db), f"Database: {path}", before)
    return True


def _encrypted_text(path: Path, kept: Path, copies: list[Path]) -> str:
    others = "".join(f"\n  {copy}" for copy in copies if copy != kept)
    if others:
        others = f"\n\nThese copies made before are unencrypted too:{others}"
    return (
        f"{path.name} is now encrypted: it opens, and the window unlocks, only "
        "with the passphrase. Keep the passphrase somewhere safe.\n\nThe encrypted "
        "copy was checked against the database before it took its place. The "
        f"plain database from before is kept at:\n  {kept}\nIt still holds every "
        f"record unencrypted.{others}\n\nNow that the encrypted database has "
        "opened, delete every unencrypted copy securely (on an SSD or a "
        "copy-on-write file system only full-disk encryption makes deleted data "
        "unreadable)."
    )


def _tell(window: WindowDatabase, title: str, text: str) -> QMessageBox:
    """A message that does not wait: the window is usable while it is shown."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=window.parent)
    box.setObjectName("encryption.done")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class BusyDialog(QDialog):
    """Says what is being done while the database is closed. It cannot be
    dismissed: the window has no database until the work ends."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busy")
        self.setWindowTitle("Please wait")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.label = QLabel(text, self)
        self.label.setObjectName("busy.text")
        bar = QProgressBar(self)
        bar.setRange(0, 0)  # how long it takes is not known: a busy indicator
        bar.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(bar)
        self.setMinimumWidth(420)

    def reject(self) -> None:  # Qt override: Escape and the close button
        pass  # the work goes on regardless; the dialog goes when it ends

    def finish(self) -> None:
        """The work has ended: close and delete."""
        self.accept()
        self.deleteLater()
