"""The uncaught-exception hook (sijoint_exam.ui.crash_dialog), without exec()."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from sijoint_exam.ui import crash_dialog

LOG_PATH = Path("/home/clinic/.local/state/sijoint-exam/log/sijoint-exam.log")


class Calls:
    """What the hook did, in order."""

    def __init__(self) -> None:
        self.events: list[tuple] = []


@pytest.fixture
def calls(monkeypatch) -> Calls:
    """Record the previous hook and the dialog instead of printing and showing."""
    record = Calls()
    monkeypatch.setattr(
        sys, "excepthook", lambda t, e, tb: record.events.append(("stderr", t))
    )
    monkeypatch.setattr(
        crash_dialog,
        "show_crash_dialog",
        lambda path, saved: record.events.append(("dialog", path, saved)),
    )
    return record


def raise_and_hook(error: BaseException) -> None:
    """Hand `error` with a real traceback to whatever sys.excepthook is now."""
    try:
        raise error
    except BaseException as caught:
        sys.excepthook(type(caught), caught, caught.__traceback__)


def test_logs_saves_the_draft_then_shows_the_log_path(calls, caplog):
    crash_dialog.install_excepthook(LOG_PATH, lambda: calls.events.append(("draft",)))
    with caplog.at_level(logging.CRITICAL):
        raise_and_hook(ValueError("thigh_thrust"))
    assert calls.events == [
        ("stderr", ValueError),
        ("draft",),
        ("dialog", LOG_PATH, True),
    ]
    (record,) = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is ValueError


def test_a_failing_draft_save_is_logged_and_reported(calls, caplog):
    def on_crash() -> None:
        raise OSError("disk full")

    crash_dialog.install_excepthook(LOG_PATH, on_crash)
    raise_and_hook(RuntimeError("boom"))
    assert calls.events[-1] == ("dialog", LOG_PATH, False)
    assert "Could not save the draft" in caplog.text


def test_a_failing_dialog_does_not_recurse(calls, caplog, monkeypatch):
    def broken_dialog(path: Path, saved: bool) -> None:
        calls.events.append(("dialog", path, saved))
        raise RuntimeError("no display")

    monkeypatch.setattr(crash_dialog, "show_crash_dialog", broken_dialog)
    hook = crash_dialog.install_excepthook(LOG_PATH, lambda: None)
    raise_and_hook(ValueError("first"))
    assert [e[0] for e in calls.events] == ["stderr", "dialog"]
    assert "The crash dialog failed" in caplog.text
    assert sys.excepthook is hook  # still installed for the next error


def test_an_error_while_the_dialog_is_open_is_only_logged(calls, caplog, monkeypatch):
    def dialog_whose_event_loop_runs_a_failing_slot(path: Path, saved: bool) -> None:
        calls.events.append(("dialog", path, saved))
        raise_and_hook(KeyError("second"))

    monkeypatch.setattr(
        crash_dialog, "show_crash_dialog", dialog_whose_event_loop_runs_a_failing_slot
    )
    crash_dialog.install_excepthook(LOG_PATH, lambda: calls.events.append(("draft",)))
    raise_and_hook(ValueError("first"))
    assert [e[0] for e in calls.events] == ["stderr", "draft", "dialog", "stderr"]
    assert caplog.text.count("Uncaught exception") == 2
    raise_and_hook(ValueError("later"))  # the next error gets its dialog again
    assert [e[0] for e in calls.events].count("dialog") == 2


def test_keyboard_interrupt_goes_to_the_previous_hook_only(calls):
    crash_dialog.install_excepthook(LOG_PATH, lambda: calls.events.append(("draft",)))
    raise_and_hook(KeyboardInterrupt())
    assert calls.events == [("stderr", KeyboardInterrupt)]


def test_no_stderr_no_problem(calls, monkeypatch):
    monkeypatch.setattr(sys, "stderr", None)  # pythonw / the windowed bundle
    crash_dialog.install_excepthook(LOG_PATH, lambda: None)
    raise_and_hook(ValueError("x"))
    assert calls.events == [("dialog", LOG_PATH, True)]


class Emitter(QObject):
    fired = Signal()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_slot_reaches_the_hook(calls, qtbot):
    crash_dialog.install_excepthook(LOG_PATH, lambda: calls.events.append(("draft",)))
    emitter = Emitter()

    def failing_slot() -> None:
        raise ZeroDivisionError("relief over zero baseline")

    emitter.fired.connect(failing_slot)
    emitter.fired.emit()
    assert ("dialog", LOG_PATH, True) in calls.events


def test_the_box_names_the_log_file_and_can_be_copied(qtbot):
    box = crash_dialog.build_crash_box(LOG_PATH, draft_saved=True)
    qtbot.addWidget(box)
    assert box.icon() == QMessageBox.Icon.Critical
    assert str(LOG_PATH) in box.text()
    assert "kept as a draft" in box.text()
    assert "could not be kept" in crash_dialog.crash_message(LOG_PATH, False)


def test_without_an_application_the_dialog_is_skipped(monkeypatch):
    monkeypatch.setattr(
        crash_dialog.QApplication, "instance", staticmethod(lambda: None)
    )
    crash_dialog.show_crash_dialog(LOG_PATH, True)  # returns, no exec, no crash
