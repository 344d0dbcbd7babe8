"""What opening the window imports before it is shown.

The start-up budget (a bare Qt window's start × 1.5, bench/) is kept by leaving
out of the window's start everything it does not show: the command modules, the
store, the report, the domain, the exam form, the tally, the lock screen. A new
module-level import that pulls one of them back in fails here, long before anyone
runs the bench.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

# Run in a fresh interpreter: the test process has imported everything already.
_SCRIPT = """
import enum, json, sys

# Every enum class made until the window is shown, by name.
made = []
_new = enum.EnumType.__new__
def _record(metacls, name, bases, namespace, **kw):
    made.append(name)
    return _new(metacls, name, bases, namespace, **kw)
enum.EnumType.__new__ = _record

import sijoint_exam.cli  # the entry point, as `sijoint-exam` starts
from sijoint_exam.app import MainWindow  # and what `run_window` builds and shows
from sijoint_exam.ui.settings import Settings
from PySide6.QtWidgets import QApplication

app = QApplication([])
window = MainWindow(Settings(sys.argv[1]))
window.show_at_start()
app.processEvents()
print(json.dumps({"modules": sorted(sys.modules), "enums": made}))
"""

NOT_AT_START = (
    "sijoint_exam.cli.common",
    "sijoint_exam.cli.report_commands",
    "sijoint_exam.cli.store_commands",
    "sijoint_exam.cli.visit_commands",
    "sijoint_exam.store.database",
    "sijoint_exam.store.repository",
    "sijoint_exam.report.visit_note",
    "sijoint_exam.domain.visit",
    "sijoint_exam.domain.cluster",
    "sijoint_exam.domain.note",
    "sijoint_exam.ui.exam_form",
    "sijoint_exam.ui.operations",
    "sijoint_exam.ui.visit_operations",
    "reportlab",
    "sqlite_utils",
    "logging.handlers",
    "hashlib",
    "html",
    "dataclasses",
    "datetime",
    "sijoint_exam.domain.catalogue",
    "sijoint_exam.ui.privacy",
    "sijoint_exam.ui.window_drafts",
    "sijoint_exam.ui.tally_panel",
    "sijoint_exam.ui.bundled_fonts",
    # The clinic server: only when one is configured, never at start.
    "psycopg",
    "sijoint_exam.store.server",
)


def _shown_window(tmp_path) -> dict[str, list[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(tmp_path / "settings.ini")],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return json.loads(out.stdout.splitlines()[-1])


def test_the_window_is_shown_without_what_it_does_not_show(tmp_path):
    loaded = set(_shown_window(tmp_path)["modules"])
    assert "sijoint_exam.ui.main_window" in loaded  # the script did build it
    assert sorted(set(NOT_AT_START) & loaded) == []


def test_qt_namespace_enums_are_not_built_before_the_window_shows(tmp_path):
    # Qt's namespace holds some hundred enums, built as Python enums on its
    # first use: tens of ms. A positional parent, setShortcut, an alignment flag
    # or a table's header before the window is shown would bring them forward.
    made = _shown_window(tmp_path)["enums"]
    assert "Type" in made  # the recording works: QEvent's enum is always made
    for qt_namespace_enum in ("AlignmentFlag", "ItemDataRole", "Orientation", "Key"):
        assert qt_namespace_enum not in made


def test_window_arguments_take_only_the_windows_options(tmp_path):
    from sijoint_exam.cli import _window_arguments

    args = _window_arguments(["--db", str(tmp_path / "a.sqlite3")])
    assert args is not None and args.db == tmp_path / "a.sqlite3"
    assert args.exit_when is None
    assert _window_arguments(["--exit-when", "shown"]).exit_when == "shown"
    assert _window_arguments([]) is not None
    # Anything else goes to the full parser, which knows the commands and --help.
    for other in (["score", "visit.json"], ["--help"], ["--version"], ["--db"]):
        assert _window_arguments(other) is None, other
    assert _window_arguments(["--exit-when", "later"]) is None
