"""The main window's layout: patients and visits | the exam | the tally and actions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.ui.signing import SignaturePanel
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.welcome import Welcome
from sijoint_exam.ui.window_actions import action_button

# Qt's own namespace (`Qt`) is not imported at module level here, nor in anything
# the window needs before it is shown: its first use builds some hundred Python
# enums, tens of ms that the first frame need not wait for.
if TYPE_CHECKING:
    from sijoint_exam.ui.main_window import MainWindow
    from sijoint_exam.ui.patient_list import PatientList
    from sijoint_exam.ui.privacy import LockScreen
    from sijoint_exam.ui.tally_panel import TallyPanel
    from sijoint_exam.ui.visit_list import VisitList


# Smaller than this (or than the screen, if it is smaller) a window left behind is
# not put back: moved between screens or scales, one came back at 251×378.
USABLE_SIZE = (800, 500)


def fit_to_screen(window: MainWindow) -> bool:
    """First start: 1320×760; True when the screen is smaller, and the window is
    to be shown maximized instead (`showMaximized`, which needs no Qt enum)."""
    window.resize(1320, 760)
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return False
    available = screen.availableGeometry()
    window.resize(min(1320, available.width()), min(760, available.height()))
    share_panes(window, available.width())
    return available.width() < 1400 or available.height() < 820


def restore_if_it_fits(window: MainWindow, geometry: QByteArray) -> bool:
    """Put the window back as it was left, only if that fits a screen it is on
    now (same screen, same scale) and is large enough to work in; else False,
    and the caller fits it to the screen instead."""
    if not window.restoreGeometry(geometry):
        return False
    frame = window.frameGeometry()
    screen = QGuiApplication.screenAt(frame.center())
    if screen is None:
        return False
    available = screen.availableGeometry()
    # A little slack for the title bar and borders the window manager adds.
    within = available.adjusted(-16, -48, 16, 16).contains(frame)
    wide = min(USABLE_SIZE[0], available.width())
    high = min(USABLE_SIZE[1], available.height())
    large = frame.width() >= wide * 0.95 and frame.height() >= high * 0.95
    if within and large:
        share_panes(window, frame.width())
        return True
    return False


def share_panes(window: MainWindow, width: int) -> None:
    """Lists, exam and tally in proportion to `width`: on a narrow window (a
    small screen, or a scale of 2) the exam keeps most of it."""
    if width >= 1300:  # 1366 and wider: room for the visit list's clinician
        left, right = 380, 260
    else:
        left, right = round(width * 0.2), round(width * 0.18)
    window.splitter.setSizes([left, max(width - left - right, 0), right])


def build_panes(window: MainWindow) -> None:
    """Create the window's panes and labels (placed by `build_layout`)."""
    window.header_label = QLabel(window)
    window.header_label.setObjectName("exam.header")
    window.header_label.setWordWrap(True)  # two lines in a narrow window, not wider
    window.problems_label = QLabel(window)
    window.problems_label.setObjectName("exam.problems")
    window.problems_label.setWordWrap(True)
    set_tone(window.problems_label, Tone.ALERT)
    window.draft_label = QLabel(window)  # the quiet "autosaved" indicator
    window.draft_label.setObjectName("exam.draft_state")
    window.signature_panel = SignaturePanel(window)
    # Built with the database (window_privacy.show_clinicians), after the window
    # is shown: it names who is working, and there is no one before.
    window.clinician_button = None


def build_layout(window: MainWindow) -> None:
    """Place the panes; sets `welcome`, `centre` and `exam_side` on the window."""
    actions = window.menu_actions
    left = QWidget(window)
    left_layout = QVBoxLayout(left)
    # Where the patient and visit lists go once the database is open (`build_lists`).
    window.list_slots = (_list_slot(left), _list_slot(left))
    left_layout.addWidget(QLabel("<b>Patients</b>", left))
    left_layout.addWidget(window.list_slots[0], 3)
    left_layout.addWidget(action_button(actions.new_patient, "patients.new", left))
    left_layout.addWidget(QLabel("<b>Visits</b>", left))
    left_layout.addWidget(window.list_slots[1], 2)
    left_layout.addWidget(action_button(actions.new_visit, "visits.new", left))
    exam = QWidget(window)
    exam_layout = QVBoxLayout(exam)
    exam_layout.setContentsMargins(0, 0, 0, 0)
    exam_layout.addWidget(window.header_label)
    exam_layout.addWidget(window.signature_panel)
    exam_layout.addWidget(window.problems_label)
    window.exam_page_layout = exam_layout  # the form goes here when first needed
    window.welcome = Welcome(actions.new_patient, actions.demo, window)
    window.centre = QStackedWidget(window)
    window.centre.addWidget(window.welcome)
    window.centre.addWidget(exam)
    right = window.exam_side = QWidget(window)
    right_layout = QVBoxLayout(right)  # the tally goes on top when first needed
    for action, name in (
        (actions.save, "visit.save"),
        (actions.export, "visit.export"),
    ):
        right_layout.addWidget(action_button(action, name, right))
    # Side by side, a splitter's default; `parent=` by name: given by position, PySide
    # weighs the (orientation, parent) overload and builds Qt's namespace for it.
    splitter = QSplitter(parent=window)
    for widget in (left, window.centre, right):
        splitter.addWidget(widget)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([340, 740, 280])
    window.splitter = splitter
    # The lock screen (built on first lock) replaces everything with patient data.
    window.central = QStackedWidget(window)
    window.central.addWidget(splitter)
    window.setCentralWidget(window.central)
    window.statusBar().addPermanentWidget(window.draft_label)


def _list_slot(parent: QWidget) -> QFrame:
    """An empty framed box, as an empty list looks, held until the list is built."""
    slot = QFrame(parent)
    slot.setFrameShape(QFrame.Shape.StyledPanel)
    return slot


def build_lists(window: MainWindow) -> tuple[PatientList, VisitList]:
    """The patient and visit lists, in place of their empty slots.

    Built once the database is open rather than before the window is shown: they
    have nothing to list until then, and their models' headers are the first use
    of Qt's namespace (see above).
    """
    from sijoint_exam.ui.patient_list import PatientList
    from sijoint_exam.ui.visit_list import VisitList

    lists = (PatientList(window), VisitList(window))
    for slot, widget in zip(window.list_slots, lists, strict=True):
        layout = slot.parentWidget().layout()
        assert layout is not None
        layout.replaceWidget(slot, widget)
        slot.deleteLater()
    return lists


def build_lock_screen(window: MainWindow) -> LockScreen:
    """The lock screen, placed beside the panes; built on the first lock rather
    than with the window, which is shown sooner without it."""
    from sijoint_exam.ui.privacy import LockScreen

    screen = LockScreen(window)
    screen.unlock_requested.connect(window.unlock)
    window.central.addWidget(screen)
    return screen


def build_tally(window: MainWindow) -> TallyPanel:
    """The tally panel, on top of the exam's side pane; built with the first visit
    shown rather than with the window (the side pane is hidden until then)."""
    from sijoint_exam.ui.tally_panel import TallyPanel

    tally = TallyPanel(window.exam_side)
    # A check's button shows where it is put right in the form.
    tally.check_requested.connect(lambda check: window.form.show_check(check))
    layout = window.exam_side.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(0, tally, 1)
    return tally
