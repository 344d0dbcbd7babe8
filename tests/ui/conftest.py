"""UI fixtures: a main-window factory with an in-memory store and temp settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from tests.conftest import TODAY


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
