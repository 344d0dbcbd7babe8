"""UI fixtures: a main-window factory with an in-memory store and temp settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tests.conftest import TODAY
from tests.ui.keyboard import Keys


@pytest.fixture
def settings(tmp_path):
    from sijoint_exam.ui.settings import Settings

    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def make_main_window(qtbot, repo, settings) -> Callable[..., object]:
    """Build the window on the test's repository (napari's factory-fixture style)."""
    from sijoint_exam.app import create_main_window

    def make(repository=None):
        window = create_main_window(repository or repo, settings, today=lambda: TODAY)
        qtbot.addWidget(window)
        return window

    return make


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def open_visit(make_main_window, repo, sample_patient, qtbot):
    """The window shown and active, a new visit open for the sample patient; the
    Keys to press in it."""
    patient_id = repo.add_patient(sample_patient())
    window = make_main_window()
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.open_patient(patient_id)
    return window, patient_id, Keys(qtbot, window)
