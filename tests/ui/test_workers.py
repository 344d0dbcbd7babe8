"""BackgroundTask: the work runs on the thread pool, its outcome arrives on the
GUI thread."""

from __future__ import annotations

import threading

import pytest

from sijoint_exam.ui.workers import BackgroundTask


def test_the_result_arrives_on_the_gui_thread(qtbot):
    ran_on: list[int] = []
    delivered: list[tuple[object, int]] = []
    task = BackgroundTask(lambda: ran_on.append(threading.get_ident()) or 42)
    task.succeeded.connect(
        lambda result: delivered.append((result, threading.get_ident()))
    )
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert delivered == [(42, threading.get_ident())]  # on the GUI thread
    assert ran_on != [threading.get_ident()]  # the work ran elsewhere
    assert not task.running


def test_an_error_arrives_as_failed(qtbot):
    def work() -> None:
        raise OSError("the disk is full")

    task = BackgroundTask(work)
    with qtbot.waitSignal(task.failed, timeout=5000) as waited:
        task.start()
    assert isinstance(waited.args[0], OSError)


def test_a_task_runs_once(qtbot):
    task = BackgroundTask(lambda: None)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    with pytest.raises(RuntimeError):
        task.start()
