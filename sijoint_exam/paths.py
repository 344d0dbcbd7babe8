"""Where the database, settings and logs live (platformdirs), with overrides."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "sijoint-exam"
DATABASE_ENV = "SIJOINT_EXAM_DB"
DATABASE_FILE = "sijoint-exam.sqlite3"
LOG_FILE = "sijoint-exam.log"


def default_database_path() -> Path:
    """`$SIJOINT_EXAM_DB` if set, else the database in the user data dir."""
    override = os.environ.get(DATABASE_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / DATABASE_FILE


def settings_path() -> Path:
    """The INI file of UI preferences (never clinical data)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "settings.ini"


def log_folder() -> Path:
    """The user log folder platformdirs gives for sijoint-exam.

    On Linux `~/.local/state/sijoint-exam/log`, on macOS `~/Library/Logs/sijoint-exam`,
    on Windows `%LOCALAPPDATA%\\sijoint-exam\\Logs`.
    """
    return platformdirs.user_log_path(APP_NAME, appauthor=False)
