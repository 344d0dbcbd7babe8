"""The program's log: a rotating file in the user log folder, kept private.

No Qt here. The composition root picks the folder (`paths.log_folder()`, the
platformdirs user log dir) and calls `configure_logging(folder)` once at start-up;
tests pass a temporary folder. Exceptions can carry patient names, so the log files
are created readable by their owner only (POSIX).
"""

from __future__ import annotations

import logging
import os
import platform
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from sijoint_exam import __version__
from sijoint_exam.paths import LOG_FILE, private_file, private_folder

MAX_BYTES = 1_000_000  # per file; sijoint-exam.log plus BACKUP_COUNT older ones
BACKUP_COUNT = 5
HANDLER_NAME = "sijoint-exam-file"
FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files are created with mode 0600 on POSIX."""

    def _open(self):  # type: ignore[override]  # the stdlib hook that opens the stream
        descriptor = os.open(
            self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600
        )
        return open(descriptor, self.mode, encoding=self.encoding, errors=self.errors)


def configure_logging(folder: Path, level: int = logging.INFO) -> Path:
    """Send the root logger's records to a rotating file in `folder`.

    Creates `folder` if needed, owner-only (with its parent named for the
    program: `paths.private_folder`). Calling it again replaces the file handler
    it added before, so records are never written twice.

    Args:
        folder: where `sijoint-exam.log` and its rotated copies go.
        level: the lowest level written to the file.

    Returns:
        The path of the current log file, for the crash dialog and the About box.
    """
    private_folder(folder)
    log_path = folder / LOG_FILE
    # A log a version before this one wrote may be readable by others.
    for written in folder.glob(f"{LOG_FILE}*"):
        private_file(written)
    handler = PrivateRotatingFileHandler(
        log_path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.set_name(HANDLER_NAME)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    remove_log_handler(root)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.getLogger(__name__).info(
        "sijoint-exam %s started; Python %s on %s",
        __version__,
        platform.python_version(),
        sys.platform,
    )
    return log_path


def remove_log_handler(logger: logging.Logger | None = None) -> None:
    """Close and remove the file handler `configure_logging` added, if any."""
    logger = logger or logging.getLogger()
    for handler in list(logger.handlers):
        if handler.get_name() == HANDLER_NAME:
            logger.removeHandler(handler)
            handler.close()
