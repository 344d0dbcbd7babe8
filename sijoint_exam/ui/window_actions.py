"""The window's actions with their shortcuts, its menus, and buttons mirroring them."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QPushButton, QWidget

StandardKey = QKeySequence.StandardKey


class WindowActions(NamedTuple):
    """Every action of the main window, by what it does."""

    new_patient: QAction
    new_visit: QAction
    new_visit_from_last: QAction
    compare: QAction
    trend: QAction
    save: QAction
    revert: QAction
    sign: QAction
    addendum: QAction
    export: QAction
    referral: QAction
    preview: QAction
    print: QAction
    export_period: QAction
    export_fhir: QAction
    clinic_accuracy: QAction
    encrypt_database: QAction
    change_passphrase: QAction
    settings: QAction
    help: QAction
    about: QAction
    demo: QAction
    find: QAction
    switch_clinician: QAction
    quit: QAction


def _action(
    window: QMainWindow,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | StandardKey | str,
    fallback: str = "",
) -> QAction:
    # `parent=` by name, and setShortcuts with a list rather than setShortcut: the
    # same results, without PySide building QIcon's and Qt's namespace enums as it
    # weighs the other overloads (see window_layout.py), before the window shows.
    action = QAction(text, parent=window)
    action.setShortcuts([QKeySequence(shortcut)])
    if action.shortcut().isEmpty() and fallback:  # not every platform has one
        action.setShortcuts([QKeySequence(fallback)])
    action.triggered.connect(slot)
    window.addAction(action)  # shortcuts work wherever the focus is in the window
    return action


def build_actions(
    window: QMainWindow,
    slots: dict[str, Callable[[], object]],
    database_state: Callable[[], tuple[bool, bool]],
) -> WindowActions:
    """Create the actions and the menu bar; `slots` maps each field to its handler.
    `database_state` says (open, encrypted) as the File menu opens: which of
    the database's own actions it offers."""
    actions = WindowActions(
        new_patient=_action(
            window, "New &patient…", slots["new_patient"], "Ctrl+Shift+N"
        ),
        new_visit=_action(window, "&New visit", slots["new_visit"], StandardKey.New),
        new_visit_from_last=_action(
            window,
            "New visit from the &last one",
            slots["new_visit_from_last"],
            "Ctrl+Shift+L",
        ),
        compare=_action(
            window, "&Compare with previous visit", slots["compare"], "Ctrl+Shift+C"
        ),
        trend=_action(window, "&Trend across visits", slots["trend"], "Ctrl+T"),
        save=_action(window, "&Save visit", slots["save"], StandardKey.Save),
        revert=_action(window, "&Revert to saved", slots["revert"], "Ctrl+Shift+Z"),
        sign=_action(window, "Si&gn visit…", slots["sign"], "Ctrl+Shift+S"),
        addendum=_action(window, "Add a&ddendum…", slots["addendum"], "Ctrl+Shift+A"),
        export=_action(
            window, "&Export visit note (PDF)…", slots["export"], StandardKey.Print
        ),
        referral=_action(
            window, "Export &referral letter (PDF)…", slots["referral"], "Ctrl+Shift+R"
        ),
        preview=_action(
            window, "Pre&view visit note", slots["preview"], "Ctrl+Shift+P"
        ),
        print=_action(window, "Pr&int visit note…", slots["print"], "Ctrl+Alt+P"),
        export_period=_action(
            window, "Export notes for a &period…", slots["export_period"], ""
        ),
        export_fhir=_action(window, "Export as &FHIR…", slots["export_fhir"], ""),
        clinic_accuracy=_action(
            window, "Clinic &accuracy…", slots["clinic_accuracy"], ""
        ),
        encrypt_database=_action(
            window, "Encr&ypt database…", slots["encrypt_database"], ""
        ),
        change_passphrase=_action(
            window, "C&hange passphrase…", slots["change_passphrase"], ""
        ),
        settings=_action(
            window, "&Settings…", slots["settings"], StandardKey.Preferences, "Ctrl+,"
        ),
        help=_action(
            window, "&Keyboard shortcuts", slots["help"], StandardKey.HelpContents
        ),
        about=_action(window, "&About sijoint-exam", slots["about"], ""),
        demo=_action(window, "Open a &demo patient", slots["demo"], ""),
        find=_action(
            window, "&Find patient", slots["find"], StandardKey.Find, "Ctrl+F"
        ),
        switch_clinician=_action(
            window,
            "S&witch clinician…",
            lambda: slots["switch_clinician"](),
            "Ctrl+Shift+W",
        ),
        quit=_action(window, "&Quit", slots["quit"], StandardKey.Quit),
    )
    file_menu = window.menuBar().addMenu("&File")
    for action in (
        actions.new_patient,
        actions.new_visit,
        actions.new_visit_from_last,
        actions.save,
        actions.revert,
        None,
        actions.sign,
        actions.addendum,
        None,
        actions.preview,
        actions.export,
        actions.referral,
        actions.print,
        actions.export_period,
        actions.export_fhir,
        None,
        actions.encrypt_database,
        actions.change_passphrase,
        None,
        actions.switch_clinician,
        actions.settings,
        None,
        actions.quit,
    ):
        if action is None:
            file_menu.addSeparator()
        else:
            file_menu.addAction(action)
    actions.encrypt_database.setVisible(False)  # until a database is open
    actions.change_passphrase.setVisible(False)
    file_menu.aboutToShow.connect(
        lambda: show_database_actions(actions, *database_state())
    )
    visit_menu = window.menuBar().addMenu("&Visits")
    for action in (
        actions.find,
        actions.new_visit_from_last,
        actions.compare,
        actions.trend,
    ):
        visit_menu.addAction(action)
    visit_menu.addSeparator()
    visit_menu.addAction(actions.clinic_accuracy)
    help_menu = window.menuBar().addMenu("&Help")
    for action in (actions.help, actions.demo, actions.about):
        help_menu.addAction(action)
    return actions


def show_database_actions(
    actions: WindowActions, is_open: bool, encrypted: bool
) -> None:
    """Offer to encrypt a plain database, and a new passphrase for an encrypted
    one (the window knows it is encrypted by the passphrase check it keeps)."""
    actions.encrypt_database.setVisible(is_open and not encrypted)
    actions.change_passphrase.setVisible(is_open and encrypted)


def action_button(action: QAction, name: str, parent: QWidget) -> QPushButton:
    """A touch-sized button that triggers `action` and is enabled exactly when it is."""
    button = QPushButton(action.text().replace("&", ""), parent=parent)
    button.setObjectName(name)
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    button.setToolTip(f"{button.text()} ({shortcut})")
    button.setMinimumHeight(44)
    button.clicked.connect(action.trigger)
    action.changed.connect(lambda: button.setEnabled(action.isEnabled()))
    button.setEnabled(action.isEnabled())
    return button
