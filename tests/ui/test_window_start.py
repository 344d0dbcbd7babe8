"""How the window first appears: shown before the database is open, its lists
built once it is, and maximized on a first start on a small screen."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QTableView

from sijoint_exam.ui.main_window import MainWindow


def test_the_lists_are_built_when_the_database_is_attached(
    qtbot, settings, repo, sample_patient
):
    window = MainWindow(settings)
    qtbot.addWidget(window)
    left = window.widgets.list_slots[0].parentWidget()
    assert left.findChildren(QTableView) == []  # empty framed slots until then
    assert all(type(slot) is QFrame for slot in window.widgets.list_slots)
    repo.add_patient(sample_patient())
    window.attach_repository(repo, "test")
    tables = left.findChildren(QTableView)
    assert {t.objectName() for t in tables} >= {"patients.table"}
    layout = left.layout()
    # Each list took its slot's place: under its heading, above its button.
    assert layout.indexOf(window.patient_list) == 1
    assert layout.indexOf(window.visit_list) == 4
    assert window.patient_list.model.rowCount() == 1


def test_first_start_on_a_small_screen_is_maximized(qtbot, settings):
    screen = QGuiApplication.primaryScreen().availableGeometry()
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show_at_start()
    if screen.width() < 1400 or screen.height() < 820:
        qtbot.waitUntil(window.isMaximized)
    else:
        assert (window.width(), window.height()) == (1320, 760)
        assert not window.isMaximized()


def test_an_upgrade_is_shown_before_it_starts(qtbot, settings, tmp_path):
    """The window says so while the store upgrades a previous release's file,
    then lists its patients."""
    import shutil
    from pathlib import Path

    from sijoint_exam.store.database import open_database
    from sijoint_exam.store.repository import Repository

    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(Path(__file__).parents[1] / "data" / "schema-006.sqlite3", path)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    seen: list[tuple[str, str, bool]] = []

    def upgrading() -> None:
        window.show_database_upgrade()
        welcome = window.widgets.welcome
        seen.append(
            (
                window.statusBar().currentMessage(),
                welcome.message.text(),
                welcome.create_button.isVisible(),
            )
        )

    with open_database(path, on_upgrade=upgrading) as db:
        window.attach_repository(Repository(db), "test")
        assert window.patient_list.model.rowCount() == 2
    [(status, welcome, can_create)] = seen
    assert status == "Upgrading the database…"
    assert "A copy of it is kept first" in welcome
    assert not can_create  # nothing to do with the database until it is done
