"""Encrypting the database and changing its passphrase from the window: off the
GUI thread, the database closed meanwhile and opened again on the same visit."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from sijoint_exam.store import audit, cipher, encryption
from sijoint_exam.store.database import DatabaseError, open_database
from sijoint_exam.store.encryption import passphrase_opens
from sijoint_exam.store.repository import Repository
from sijoint_exam.ui.main_window import MainWindow
from sijoint_exam.ui.privacy import PassphraseCheck
from sijoint_exam.ui.window_encryption import BusyDialog, database_of
from tests.conftest import TODAY

SECRET = "kestrel over the river"
NEW_SECRET = "Stapel Pferd Ñandú 말"
FAMILY, GIVEN = "Łukasz-Ñúñez", "김선애"
CLINICIAN = "A. Lee, PT"
TIMEOUT_MS = 30_000  # encrypting takes well under a second here; CI may be slow


def _fill(path: Path, sample_patient, sample_visit, passphrase=None) -> int:
    """The patient with two visits, in a new database at `path`."""
    with open_database(path, passphrase=passphrase) as db:
        repo = Repository(db)
        patient_id = repo.add_patient(
            sample_patient(family_name=FAMILY, given_names=GIVEN)
        )
        repo.save_visit(patient_id, sample_visit(plan="first visit"))
        repo.save_visit(patient_id, sample_visit(plan="second visit"))
    return patient_id


@pytest.fixture
def plain(tmp_path, sample_patient, sample_visit) -> Path:
    path = tmp_path / "clinic" / "exam.sqlite3"
    _fill(path, sample_patient, sample_visit)
    return path


@pytest.fixture
def encrypted(tmp_path, sample_patient, sample_visit) -> Path:
    path = tmp_path / "clinic" / "exam.sqlite3"
    _fill(path, sample_patient, sample_visit, passphrase=SECRET)
    return path


@pytest.fixture
def window_on(qtbot, settings) -> Callable[..., MainWindow]:
    """The window on a database file, as the program opens it, with a patient's
    newest visit open and a clinician working; its database closed afterwards."""
    from sijoint_exam.app import create_main_window

    windows: list[MainWindow] = []

    def make(path: Path, passphrase: str | None = None) -> MainWindow:
        repository = Repository(open_database(path, passphrase=passphrase))
        window = create_main_window(repository, settings, today=lambda: TODAY)
        qtbot.addWidget(window)
        windows.append(window)
        if passphrase is not None:  # as app.py keeps it
            window.passphrase_check = PassphraseCheck.of(passphrase)
        window.switch_clinician(CLINICIAN)
        window.open_patient(1)
        return window

    yield make
    for window in windows:
        if window.session is not None:
            database_of(window.repository).close()


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        MainWindow, "show_error", lambda self, title, text: shown.append((title, text))
    )
    return shown


def _answer(monkeypatch, new: str, again: str, current: str = "") -> list[str]:
    """Type these into the passphrase dialog; returns the explanations shown."""
    shown: list[str] = []

    def ask(self, explanation: str, ask_current: bool):
        shown.append(explanation)
        return new, again, current

    monkeypatch.setattr(MainWindow, "ask_new_passphrase", ask)
    return shown


def _wait_until_reopened(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.session is not None, timeout=TIMEOUT_MS)


def _names_in(path: Path) -> list[str]:
    data = path.read_bytes()
    return [name for name in (FAMILY, GIVEN) if name.encode("utf-8") in data]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_encrypting_hides_the_records_and_the_window_stays_on_the_visit(
    plain, window_on, qtbot, errors, monkeypatch
):
    window = window_on(plain)
    visit_id = window.session.visit_id
    window.form.plan_edit.setPlainText("typed just before encrypting")
    explanations = _answer(monkeypatch, SECRET, SECRET)

    window.encrypt_database()
    assert window.session is None  # the database is closed while it is rewritten
    busy = window.findChild(BusyDialog)
    assert busy.isVisible()
    busy.reject()  # Escape: the database is closed, so the dialog stays
    assert busy.isVisible()
    _wait_until_reopened(qtbot, window)

    assert errors == []
    assert "kept aside" in explanations[0] and "cannot be recovered" in explanations[0]
    assert cipher.is_encrypted(plain)
    assert _names_in(plain) == []  # the file reads as random bytes
    (kept,) = plain.parent.glob("exam.sqlite3.plain-before-encryption-*.sqlite3")
    assert _names_in(kept) == [FAMILY, GIVEN]  # the search does find them in clear
    done = window.findChild(QMessageBox, "encryption.done")
    assert str(kept) in done.text() and "delete every unencrypted copy" in done.text()
    # The same patient and visit, the draft typed before, the clinician working.
    assert (window.session.patient_id, window.session.visit_id) == (1, visit_id)
    assert window.form.plan_edit.toPlainText() == "typed just before encrypting"
    assert FAMILY in window.widgets.header_label.text()
    assert window.repository.clinician == CLINICIAN
    (entry,) = [e for e in window.repository.audit_log() if e.action == audit.ENCRYPT]
    assert entry.clinician == CLINICIAN
    assert window.save_visit()  # work goes on, in the encrypted database


def test_a_new_visit_not_saved_yet_comes_back_with_what_was_typed(
    plain, window_on, qtbot, errors, monkeypatch
):
    window = window_on(plain)
    window.new_visit()
    window.form.plan_edit.setPlainText("a new visit, never saved")
    _answer(monkeypatch, SECRET, SECRET)
    window.encrypt_database()
    _wait_until_reopened(qtbot, window)
    assert errors == []
    assert window.session.patient_id == 1 and window.session.visit_id is None
    assert window.form.plan_edit.toPlainText() == "a new visit, never saved"
    assert window.save_visit()
    assert len(window.repository.list_visits(1)) == 3


def test_after_encrypting_unlocking_needs_the_new_passphrase(
    plain, window_on, qtbot, errors, monkeypatch
):
    window = window_on(plain)
    _answer(monkeypatch, SECRET, SECRET)
    window.encrypt_database()
    _wait_until_reopened(qtbot, window)
    window.lock()
    assert "Unlock with the passphrase" in window.lock_screen.message.text()
    asked: list[bool] = []
    answers = iter(["not the passphrase", SECRET])

    def ask(self, wrong: bool) -> str:
        asked.append(wrong)
        return next(answers)

    monkeypatch.setattr(MainWindow, "ask_passphrase", ask)
    assert window.unlock()
    assert asked == [False, True]
    assert not window.locked


@pytest.mark.parametrize(
    ("new", "again", "field"),
    [
        (SECRET, SECRET + "!", "New passphrase again: it differs"),
        ("short", "short", "New passphrase: A passphrase needs at least 8"),
        ("", "", "New passphrase: A passphrase needs at least 8"),
    ],
)
def test_a_passphrase_refused_names_the_field_and_changes_nothing(
    plain, window_on, errors, monkeypatch, new, again, field
):
    window = window_on(plain)
    session = window.session
    before = _sha(plain)
    _answer(monkeypatch, new, again)
    window.encrypt_database()
    ((title, text),) = errors
    assert title == "The database was not encrypted"
    assert text.startswith(field) and "Nothing was changed" in text
    assert window.session is session  # never let go of
    assert window.findChild(BusyDialog) is None
    assert _sha(plain) == before
    assert window.passphrase_check is None


def test_cancelling_the_dialog_changes_nothing(plain, window_on, errors, monkeypatch):
    window = window_on(plain)
    session = window.session
    monkeypatch.setattr(MainWindow, "ask_new_passphrase", lambda self, t, c: None)
    window.encrypt_database()
    assert window.session is session and errors == []
    assert not cipher.is_encrypted(plain)


def test_a_failed_encryption_leaves_the_plain_database_open_and_intact(
    plain, window_on, qtbot, errors, monkeypatch
):
    window = window_on(plain)
    window.form.plan_edit.setPlainText("typed before the failure")
    _answer(monkeypatch, SECRET, SECRET)
    threads: list[int] = []

    def fail(path, passphrase, **options):
        threads.append(threading.get_ident())
        raise DatabaseError("The disk is full (a test).", path=path)

    monkeypatch.setattr(encryption, "encrypt_database", fail)
    window.encrypt_database()
    _wait_until_reopened(qtbot, window)

    assert threads and threads[0] != threading.get_ident()  # off the GUI thread
    ((title, text),) = errors
    assert title == "The database was not encrypted"
    assert "The disk is full (a test)." in text and "Nothing was lost" in text
    assert cipher.file_kind(plain) == "plain"
    assert encryption.plain_copies(plain) == []  # no copy was made
    assert window.passphrase_check is None
    assert window.form.plan_edit.toPlainText() == "typed before the failure"
    assert window.save_visit()
    assert window.repository.search_patients(FAMILY)[0].patient.given_names == GIVEN


def test_changing_the_passphrase_from_the_window(
    encrypted, window_on, qtbot, errors, monkeypatch
):
    window = window_on(encrypted, SECRET)
    explanations = _answer(monkeypatch, NEW_SECRET, NEW_SECRET, current=SECRET)
    window.change_passphrase()
    _wait_until_reopened(qtbot, window)

    assert errors == []
    assert "Backups made before keep the old passphrase" in explanations[0]
    assert not passphrase_opens(encrypted, SECRET)
    assert passphrase_opens(encrypted, NEW_SECRET)
    assert window.passphrase_check.matches(NEW_SECRET)
    assert not window.passphrase_check.matches(SECRET)
    rekeyed = [e for e in window.repository.audit_log() if e.action == audit.REKEY]
    assert [e.clinician for e in rekeyed] == [CLINICIAN]
    assert (
        window.session.patient_id == 1 and FAMILY in window.widgets.header_label.text()
    )
    assert "old passphrase only" in window.findChild(QMessageBox).text()


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        (("another good one", "another good one", "not the passphrase"), "Current"),
        (("another good one", "another good one", ""), "Current passphrase"),
        ((SECRET, SECRET, SECRET), "New passphrase: it is the current passphrase"),
        (("another good one", "another good 1", SECRET), "New passphrase again"),
    ],
)
def test_a_passphrase_change_refused_changes_nothing(
    encrypted, window_on, errors, monkeypatch, answer, field
):
    window = window_on(encrypted, SECRET)
    check = window.passphrase_check
    _answer(monkeypatch, *answer)
    window.change_passphrase()
    ((title, text),) = errors
    assert title == "The passphrase was not changed" and text.startswith(field)
    assert window.session is not None and window.passphrase_check is check
    assert passphrase_opens(encrypted, SECRET)


def test_a_failed_rekey_opens_the_database_with_its_passphrase_again(
    encrypted, window_on, qtbot, errors, monkeypatch
):
    window = window_on(encrypted, SECRET)
    _answer(monkeypatch, NEW_SECRET, NEW_SECRET, current=SECRET)

    def fail(path, old, new, **options):
        raise DatabaseError("The disk is full (a test).", path=path)

    monkeypatch.setattr(encryption, "change_passphrase", fail)
    window.change_passphrase()
    _wait_until_reopened(qtbot, window)
    ((title, text),) = errors
    assert title == "The passphrase was not changed" and "Nothing was lost" in text
    assert window.passphrase_check.matches(SECRET)
    assert passphrase_opens(encrypted, SECRET)
    assert window.repository.get_patient(1).family_name == FAMILY


def test_the_passphrases_are_written_nowhere(
    plain, window_on, qtbot, errors, monkeypatch, settings, tmp_path, caplog
):
    caplog.set_level("DEBUG")
    window = window_on(plain)
    _answer(monkeypatch, SECRET, SECRET)
    window.encrypt_database()
    _wait_until_reopened(qtbot, window)
    window.repository.backup_to(plain.parent / "backups")
    _answer(monkeypatch, NEW_SECRET, NEW_SECRET, current=SECRET)
    window.change_passphrase()
    _wait_until_reopened(qtbot, window)
    window.close()  # writes the settings
    settings.sync()
    assert errors == []
    secrets = [SECRET.encode("utf-8"), NEW_SECRET.encode("utf-8")]
    files = [path for path in tmp_path.rglob("*") if path.is_file()]
    # database, its lock file, the plain copy kept, a backup, the settings
    assert len(files) >= 5
    for path in files:
        assert not [s for s in secrets if s in path.read_bytes()], path
    assert SECRET not in caplog.text and NEW_SECRET not in caplog.text


def test_the_file_menu_offers_what_fits_the_database(plain, window_on):
    window = window_on(plain)
    file_menu = window.menuBar().actions()[0].menu()
    file_menu.aboutToShow.emit()
    actions = window.menu_actions
    assert actions.encrypt_database.isVisible()
    assert not actions.change_passphrase.isVisible()
    assert actions.encrypt_database in file_menu.actions()
    window.passphrase_check = PassphraseCheck.of(SECRET)
    file_menu.aboutToShow.emit()
    assert not actions.encrypt_database.isVisible()
    assert actions.change_passphrase.isVisible()
