"""Where the database, settings and logs live (platformdirs), with overrides, and
keeping the program's own folders and files readable by their owner only."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "sijoint-exam"
DATABASE_ENV = "SIJOINT_EXAM_DB"
DATABASE_FILE = "sijoint-exam.sqlite3"
LOG_FILE = "sijoint-exam.log"

# Settings name the clinician and the folders patient files go to; logs can
# carry patient names: owner-only, whatever the umask (POSIX).
FOLDER_MODE = 0o700
FILE_MODE = 0o600


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


def private_folder(folder: Path) -> Path:
    """Create `folder` owner-only, or make it so if it exists; the same for its
    parents up to the one named for the program, which are the program's own
    too (`~/.local/state/sijoint-exam/log`). Other parents (the home folder,
    `~/.config`) are not the program's to change. Returns `folder`."""
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    chain = [folder, *folder.parents]
    named = [i for i, level in enumerate(chain[:3]) if level.name == APP_NAME]
    ours = chain[: named[0] + 1] if named else chain[:1]
    if os.name == "posix":
        for level in ours:
            os.chmod(level, FOLDER_MODE)
    return folder


def private_file(path: Path) -> Path:
    """Create an empty owner-only file at `path`, or make the file there
    owner-only. Programs that rewrite a file in place or through a temporary
    file keep its mode (QSettings does), so this holds for what they write."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    if os.name == "posix":
        os.chmod(path, FILE_MODE)
    return path
