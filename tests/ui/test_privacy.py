"""Privacy in the window: the passphrase at start, the idle lock, the clinician."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from sijoint_exam.store.database import open_database
from sijoint_exam.store.errors import PassphraseRequiredError
from sijoint_exam.ui.main_window import MainWindow
from sijoint_exam.ui.privacy import IdleWatcher, PassphraseCheck
from sijoint_exam.ui.store_opening import open_with_passphrase
from sijoint_exam.ui.visit_history import CompareDialog

SECRET = "correct horse battery"


def test_the_passphrase_is_asked_until_right_then_opens(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    open_database(path, passphrase=SECRET).close()
    answers = iter(["wrong one!", SECRET])
    asked: list[bool] = []

    def ask(wrong: bool) -> str | None:
        asked.append(wrong)
        return next(answers)

    db, used = open_with_passphrase(
        lambda key: open_database(path, passphrase=key), ask
    )
    try:
        assert used == SECRET
        assert asked == [False, True]  # the second ask says the first was wrong
        assert db.encrypted
    finally:
        db.close()


def test_giving_up_on_the_passphrase_raises(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    open_database(path, passphrase=SECRET).close()
    with pytest.raises(PassphraseRequiredError):
        open_with_passphrase(
            lambda key: open_database(path, passphrase=key), lambda wrong: None
        )


def test_passphrase_check_recognises_only_the_passphrase():
    check = PassphraseCheck.of(SECRET)
    assert check.matches(SECRET)
    assert not check.matches(SECRET + " ")
    assert SECRET.encode() not in check.digest + check.salt


def test_idle_watcher_fires_after_the_idle_time(qtbot):
    watcher = IdleWatcher(minutes=0.0005)  # 30 ms
    app = QCoreApplication.instance()
    watcher.start(app)
    try:
        with qtbot.waitSignal(watcher.idle, timeout=2000):
            pass
    finally:
        app.removeEventFilter(watcher)


def test_only_input_restarts_the_idle_time():
    watcher = IdleWatcher(minutes=5)
    watcher.eventFilter(watcher, QEvent(QEvent.Type.Paint))
    assert not watcher.timer.isActive()  # a repaint is not someone at the desk
    watcher.eventFilter(watcher, QEvent(QEvent.Type.KeyPress))
    assert watcher.timer.isActive()
    assert watcher.timer.remainingTime() > 4 * 60_000


@pytest.fixture
def open_window(make_main_window, repo, sample_patient, sample_visit):
    patient_id = repo.add_patient(sample_patient())
    repo.save_visit(patient_id, sample_visit())
    repo.save_visit(patient_id, sample_visit())
    window = make_main_window()
    window.open_patient(patient_id)
    return window


def test_locking_hides_patient_data_and_keeps_the_draft(open_window, repo):
    window = open_window
    window.compare_with_previous()
    window.form.plan_edit.setPlainText("typed just before the lock")
    window.lock()
    assert window.locked
    assert not window.findChild(CompareDialog).isVisible()
    assert not window.menu_actions.save.isEnabled()
    assert [d.visit.plan for d in repo.drafts()] == ["typed just before the lock"]


def test_the_lock_screen_says_all_it_has_to_say(open_window, qtbot):
    """Its message is shown whole (a wrapped label placed with an alignment flag
    got one line's height), and the name field says what it wants."""
    window = open_window
    window.resize(1366, 768)
    window.show()
    window.lock()
    message = window.lock_screen.message
    qtbot.waitUntil(lambda: message.isVisible() and message.width() > 0)
    assert "Unlock with your name" in message.text()
    assert message.height() >= message.heightForWidth(message.width())
    assert window.lock_screen.clinician_combo.lineEdit().placeholderText()


def test_plain_database_unlocks_with_the_clinicians_name(open_window, repo):
    window = open_window
    window.lock()
    window.lock_screen.clinician_combo.setCurrentText("A. Lee, PT")
    assert window.unlock()
    assert not window.locked
    assert repo.clinician == "A. Lee, PT"
    assert "A. Lee, PT" in repo.clinicians()
    assert window.menu_actions.save.isEnabled()


def test_encrypted_database_needs_the_passphrase_to_unlock(open_window, monkeypatch):
    window = open_window
    window.passphrase_check = PassphraseCheck.of(SECRET)
    window.lock()
    window.lock_screen.clinician_combo.setCurrentText("J. Doe, PT")
    monkeypatch.setattr(MainWindow, "ask_passphrase", lambda self, wrong: None)
    assert not window.unlock()
    assert window.locked
    answers = iter(["nope", SECRET])
    monkeypatch.setattr(MainWindow, "ask_passphrase", lambda self, w: next(answers))
    assert window.unlock()
    assert not window.locked


def test_switching_clinician_is_one_step_and_stamps_the_audit(open_window, repo):
    window = open_window
    window.switch_clinician("B. Park, PT")
    assert repo.clinician == "B. Park, PT"
    window.form.plan_edit.setPlainText("seen by B. Park")
    assert window.save_visit()
    assert repo.audit_log()[-1].clinician == "B. Park, PT"
