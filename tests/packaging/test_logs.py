"""The rotating log file (sijoint_exam.logs), beside the crash hook it serves."""

from __future__ import annotations

import logging
import os
import stat
import sys

import pytest

from sijoint_exam import __version__
from sijoint_exam.logs import (
    BACKUP_COUNT,
    HANDLER_NAME,
    MAX_BYTES,
    configure_logging,
    remove_log_handler,
)
from sijoint_exam.paths import log_folder


@pytest.fixture(autouse=True)
def restore_root_logger():
    root = logging.getLogger()
    level = root.level
    yield
    remove_log_handler(root)
    root.setLevel(level)


def file_handlers() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if h.get_name() == HANDLER_NAME]


def test_creates_the_folder_and_returns_the_log_path(tmp_path):
    folder = tmp_path / "state" / "log"
    log_path = configure_logging(folder)
    assert log_path == folder / "sijoint-exam.log"
    assert log_path.is_file()
    assert f"sijoint-exam {__version__} started" in log_path.read_text("utf-8")


def test_records_from_any_module_reach_the_file(tmp_path):
    log_path = configure_logging(tmp_path)
    logging.getLogger("sijoint_exam.store.database").warning("Ñúñez: backup made")
    logging.getLogger("sijoint_exam.ui").debug("not at INFO")
    text = log_path.read_text("utf-8")
    assert "WARNING  sijoint_exam.store.database: Ñúñez: backup made" in text
    assert "not at INFO" not in text


def test_calling_again_replaces_the_handler(tmp_path):
    configure_logging(tmp_path / "first")
    second = configure_logging(tmp_path / "second")
    assert len(file_handlers()) == 1
    logging.getLogger("sijoint_exam").info("once")
    assert second.read_text("utf-8").count("once") == 1
    assert "once" not in (tmp_path / "first" / "sijoint-exam.log").read_text("utf-8")


def test_rotates_with_a_bounded_number_of_files(tmp_path):
    log_path = configure_logging(tmp_path)
    (handler,) = file_handlers()
    assert (handler.maxBytes, handler.backupCount) == (MAX_BYTES, BACKUP_COUNT)
    for _ in range(BACKUP_COUNT + 2):
        handler.doRollover()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["sijoint-exam.log"] + [
        f"sijoint-exam.log.{n}" for n in range(1, BACKUP_COUNT + 1)
    ]
    assert log_path.is_file()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_log_files_are_private(tmp_path):
    log_path = configure_logging(tmp_path)
    (handler,) = file_handlers()
    handler.doRollover()
    for path in (log_path, tmp_path / "sijoint-exam.log.1"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_default_folder_is_the_user_log_dir():
    folder = log_folder()
    assert "sijoint-exam" in folder.parts
    if sys.platform.startswith("linux"):
        assert folder.name == "log"
