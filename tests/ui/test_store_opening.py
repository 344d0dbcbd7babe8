"""The start: the patient list searchable while the database is checked on a
worker thread; the store attached once the check has passed; a damaged file
refused, unchanged, after it was listed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from sijoint_exam.store import database
from sijoint_exam.store.repository import Repository
from sijoint_exam.ui.main_window import MainWindow
from sijoint_exam.ui.store_opening import StoreOpening
from tests.store.test_patient_directory import NAMES, clinic, damage_table

__all__ = ["clinic"]  # the fixture, shared with the store's tests


class Opening:
    """A StoreOpening on `path` for a new window, recording what it reports."""

    def __init__(self, qtbot, settings, path: Path) -> None:
        self.window = MainWindow(settings)
        qtbot.addWidget(self.window)
        self.window.show()
        self.usable = 0
        self.failures: list[str] = []
        self.databases: list[database.ExamDatabase] = []
        self.opening = StoreOpening(
            self.window,
            path,
            usable=self._usable,
            opened=self._opened,
            failed=self.failures.append,
        )

    def _usable(self) -> None:
        self.usable += 1

    def _opened(self, db: database.ExamDatabase, passphrase: str | None) -> None:
        self.databases.append(db)
        self.window.attach_repository(Repository(db), "test")

    def list_and_check(self) -> bool:
        """List early, then start the check; False when there was no early list."""
        if not self.opening.list_early():
            return False
        self.opening.check_in_background()
        return True

    def close(self) -> None:
        self.opening.close()
        for db in self.databases:
            db.close()


@pytest.fixture
def make_opening(qtbot, settings):
    """Openings for new windows; each lets go of its files at teardown."""
    made: list[Opening] = []

    def make(path: Path) -> Opening:
        made.append(Opening(qtbot, settings, path))
        return made[-1]

    yield make
    for opening in made:
        opening.close()


@pytest.fixture
def held_check(monkeypatch):
    """The integrity check held on its worker thread until the test lets it go."""
    release = threading.Event()
    started = threading.Event()
    real = database.check_file

    def held(path: Path, backup_folder: Path | None = None) -> None:
        started.set()
        release.wait(timeout=30)
        real(path, backup_folder)

    monkeypatch.setattr(database, "check_file", held)
    yield started, release
    release.set()


def test_the_list_is_searchable_while_the_check_runs(
    qtbot, make_opening, clinic, held_check
):
    started, release = held_check
    opening = make_opening(clinic)
    assert opening.list_and_check()
    qtbot.waitUntil(started.is_set)
    window = opening.window
    assert opening.usable == 1
    assert window.session is None  # not open yet: the check is still running
    assert window.statusBar().currentMessage() == "Checking the database…"
    welcome = window.widgets.welcome
    assert "Search for the patient meanwhile" in welcome.message.text()
    assert not welcome.create_button.isVisible()
    patients = window.patient_list
    assert patients.model.rowCount() == len(NAMES)
    assert window.focusWidget() is patients.search_edit
    qtbot.keyClicks(patients.search_edit, "nunez")
    assert [
        patients.model.row(r).patient.family_name
        for r in range(patients.model.rowCount())
    ] == ["Ñúñez"]
    assert not window.menu_actions.new_patient.isEnabled()  # nothing writes yet
    release.set()
    qtbot.waitUntil(lambda: window.session is not None)
    assert opening.failures == []
    assert window.menu_actions.new_patient.isEnabled()
    assert patients.model.rowCount() == 1  # the search kept, now on the store


def test_a_patient_chosen_during_the_check_is_opened_after_it(
    qtbot, make_opening, clinic, held_check
):
    started, release = held_check
    opening = make_opening(clinic)
    assert opening.list_and_check()
    qtbot.waitUntil(started.is_set)
    patients = opening.window.patient_list
    patients.table.selectRow(2)
    chosen = patients.model.row(2)
    assert opening.window.session is None
    release.set()
    qtbot.waitUntil(lambda: opening.window.session is not None)
    session = opening.window.session
    qtbot.waitUntil(lambda: session.patient_id == chosen.id)
    assert opening.window.visit_list.isEnabled()


def test_a_damaged_file_is_listed_then_refused_and_left_unchanged(
    qtbot, make_opening, clinic
):
    damaged = damage_table(clinic, "audit_log")
    opening = make_opening(clinic)
    assert opening.list_and_check()
    qtbot.waitUntil(lambda: opening.failures != [])
    [message] = opening.failures
    assert "is damaged" in message and str(clinic) in message
    assert opening.window.session is None
    assert opening.databases == []  # never opened for writing
    opening.close()
    assert clinic.read_bytes() == damaged


def test_a_new_file_is_opened_at_once_without_an_early_list(make_opening, tmp_path):
    opening = make_opening(tmp_path / "new.sqlite3")
    assert not opening.list_and_check()
    opening.opening.open_now()
    assert opening.window.session is not None
    assert opening.window.patient_list.model.rowCount() == 0


# The program itself, to its usable list: run_window with the mark's printing
# replaced by a record of what is imported at that moment.
_TO_USABLE = """
import json, sys
from pathlib import Path
import sijoint_exam.app as app

def reached(qt_app):
    print(json.dumps(sorted(sys.modules)))
    qt_app.quit()

app._reached = reached
sys.exit(app.run_window(Path(sys.argv[1]), exit_when="usable"))
"""


def test_the_list_is_usable_before_the_store_is_imported(clinic, tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        **{name: str(tmp_path / name) for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")},
    }
    result = subprocess.run(
        [sys.executable, "-c", _TO_USABLE, str(clinic)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    modules = set(json.loads(result.stdout.splitlines()[-1]))
    assert "sijoint_exam.store.patient_directory" in modules
    assert "sijoint_exam.ui.patient_list" in modules
    for heavy in (
        "sqlite_utils",
        "sijoint_exam.store.database",
        "sijoint_exam.store.repository",
        "sijoint_exam.domain.visit",
        "sijoint_exam.ui.privacy",
        "logging.handlers",
    ):
        assert heavy not in modules, heavy


def test_the_program_refuses_a_damaged_file_it_listed(clinic, tmp_path):
    """The whole program: the file is listed, the check on the worker thread
    refuses it, the program ends with status 1 and one message, no traceback,
    and the file is byte for byte as it was."""
    from tests.cli.test_main import run

    damaged = damage_table(clinic, "audit_log")
    result = run("--db", str(clinic), "--exit-when", "ready", home=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f'The database "{clinic}" is damaged' in result.stderr
    assert clinic.read_bytes() == damaged


def test_a_damaged_file_is_refused_with_its_latest_backup_named_once(clinic, tmp_path):
    """The refusal names the backup to go back to, and the command, once."""
    from sijoint_exam.store.database import default_backup_folder, open_database
    from tests.cli.test_main import run

    folder = default_backup_folder(clinic)
    folder.mkdir()
    with open_database(clinic) as db:
        backup = Repository(db).backup_to(folder)
    damage_table(clinic, "audit_log")
    result = run("--db", str(clinic), "--exit-when", "ready", home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.count("sijoint-exam restore") == 1
    assert f'The latest good backup is "{backup}"' in result.stderr


def test_a_previous_release_file_is_listed_then_upgraded(qtbot, make_opening, tmp_path):
    """Listed from its older schema (read-only), then upgraded once checked: the
    upgrade is said in the window and the list is the store's afterwards."""
    import shutil

    from sijoint_exam.store.migrations import known_names, migrations

    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(Path(__file__).parents[1] / "data" / "schema-006.sqlite3", path)
    opening = make_opening(path)
    window = opening.window
    upgrades: list[str] = []
    real_upgrade = window.show_database_upgrade

    def upgrading() -> None:
        real_upgrade()
        upgrades.append(window.statusBar().currentMessage())

    window.show_database_upgrade = upgrading
    assert opening.list_and_check()
    assert window.patient_list.model.rowCount() == 2
    qtbot.waitUntil(lambda: window.session is not None)
    assert upgrades == ["Upgrading the database…"]
    [db] = opening.databases
    assert [m.name for m in migrations.applied(db)] == known_names()
    assert window.patient_list.model.rowCount() == 2


def test_a_start_up_import_that_is_gone_is_skipped(
    qtbot, make_opening, clinic, monkeypatch
):
    """The list of slow imports is a hint: a library a later sqlite-utils no
    longer uses does not stop the opening."""
    from sijoint_exam.ui import store_opening

    monkeypatch.setattr(
        store_opening, "STORE_IMPORTS", ("no_such_module_here", "sqlite_utils")
    )
    opening = make_opening(clinic)
    assert opening.list_and_check()
    qtbot.waitUntil(lambda: opening.window.session is not None)
    assert opening.failures == []
