"""The main window's layout: patients and visits | the exam | the tally and actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sijoint_exam.ui.signing import SignaturePanel
from sijoint_exam.ui.tones import Tone, set_tone
from sijoint_exam.ui.welcome import Welcome
from sijoint_exam.ui.window_actions import WindowActions, action_button

# Qt's own namespace (`Qt`) is not imported at module level here, nor in anything
# the window needs before it is shown: its first use builds some hundred Python
# enums, tens of ms that the first frame need not wait for.
if TYPE_CHECKING:
    from sijoint_exam.ui.patient_list import PatientList
    from sijoint_exam.ui.privacy import LockScreen
    from sijoint_exam.ui.tally_panel import TallyPanel
    from sijoint_exam.ui.visit_list import VisitList


class WindowWidgets(NamedTuple):
    """The window's panes and labels, made by `build_layout`. What is built later
    (lists, form, tally, lock screen) goes into `list_slots`, `exam_page_layout`,
    `exam_side` and `central`. A NamedTuple rather than a dataclass: the module
    `dataclasses` is not imported before the window is shown."""

    header_label: QLabel  # who and which visit, and its state
    problems_label: QLabel  # what keeps the visit from being saved
    draft_label: QLabel  # the quiet "autosaved" indicator
    signature_panel: SignaturePanel
    list_slots: tuple[QFrame, QFrame]  # where the patient and visit lists go
    exam_page_layout: QVBoxLayout  # the form goes here when first needed
    welcome: Welcome
    centre: QStackedWidget  # the welcome page or the exam
    exam_side: QWidget  # the tally and the visit's buttons
    splitter: QSplitter
    central: QStackedWidget  # everything, or the lock screen


# Smaller than this (or than the screen, if it is smaller) a window left behind is
# not put back: moved between screens or scales, one came back at 251×378.
USABLE_SIZE = (800, 500)


def fit_to_screen(window: QMainWindow, splitter: QSplitter) -> bool:
    """First start: 1320×760; True when the screen is smaller, and the window is
    to be shown maximized instead (`showMaximized`, which needs no Qt enum)."""
    window.resize(1320, 760)
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return False
    available = screen.availableGeometry()
    window.resize(min(1320, available.width()), min(760, available.height()))
    share_panes(splitter, available.width())
    return available.width() < 1400 or available.height() < 820


def restore_if_it_fits(
    window: QMainWindow, splitter: QSplitter, geometry: QByteArray
) -> bool:
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
        share_panes(splitter, frame.width())
        return True
    return False


def share_panes(splitter: QSplitter, width: int) -> None:
    """Lists, exam and tally in proportion to `width`: on a narrow window (a
    small screen, or a scale of 2) the exam keeps most of it."""
    if width >= 1300:  # 1366 and wider: room for the visit list's clinician
        left, right = 380, 260
    else:
        left, right = round(width * 0.2), round(width * 0.18)
    splitter.setSizes([left, max(width - left - right, 0), right])


def build_layout(window: QMainWindow, actions: WindowActions) -> WindowWidgets:
    """Create and place the window's panes: patients and visits | the exam | the
    tally and actions, under a stack that the lock screen joins when first used."""
    header_label = QLabel(window)
    header_label.setObjectName("exam.header")
    header_label.setWordWrap(True)  # two lines in a narrow window, not wider
    problems_label = QLabel(window)
    problems_label.setObjectName("exam.problems")
    problems_label.setWordWrap(True)
    set_tone(problems_label, Tone.ALERT)
    draft_label = QLabel(window)
    draft_label.setObjectName("exam.draft_state")
    signature_panel = SignaturePanel(window)
    left = QWidget(window)
    left_layout = QVBoxLayout(left)
    # Where the patient and visit lists go once the database is open (`build_lists`).
    list_slots = (_list_slot(left), _list_slot(left))
    left_layout.addWidget(QLabel("<b>Patients</b>", left))
    left_layout.addWidget(list_slots[0], 3)
    left_layout.addWidget(action_button(actions.new_patient, "patients.new", left))
    left_layout.addWidget(QLabel("<b>Visits</b>", left))
    left_layout.addWidget(list_slots[1], 2)
    left_layout.addWidget(action_button(actions.new_visit, "visits.new", left))
    exam = QWidget(window)
    exam_layout = QVBoxLayout(exam)
    exam_layout.setContentsMargins(0, 0, 0, 0)
    exam_layout.addWidget(header_label)
    exam_layout.addWidget(signature_panel)
    exam_layout.addWidget(problems_label)
    welcome = Welcome(actions.new_patient, actions.demo, window)
    centre = QStackedWidget(window)
    centre.addWidget(welcome)
    centre.addWidget(exam)
    right = QWidget(window)
    right_layout = QVBoxLayout(right)  # the tally goes on top when first needed
    for action, name in (
        (actions.save, "visit.save"),
        (actions.export, "visit.export"),
    ):
        right_layout.addWidget(action_button(action, name, right))
    # Side by side, a splitter's default; `parent=` by name: given by position, PySide
    # weighs the (orientation, parent) overload and builds Qt's namespace for it.
    splitter = QSplitter(parent=window)
    for widget in (left, centre, right):
        splitter.addWidget(widget)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([340, 740, 280])
    # The lock screen (built on first lock) replaces everything with patient data.
    central = QStackedWidget(window)
    central.addWidget(splitter)
    window.setCentralWidget(central)
    window.statusBar().addPermanentWidget(draft_label)
    return WindowWidgets(
        header_label=header_label,
        problems_label=problems_label,
        draft_label=draft_label,
        signature_panel=signature_panel,
        list_slots=list_slots,
        exam_page_layout=exam_layout,
        welcome=welcome,
        centre=centre,
        exam_side=right,
        splitter=splitter,
        central=central,
    )


def _list_slot(parent: QWidget) -> QFrame:
    """An empty framed box, as an empty list looks, held until the list is built."""
    slot = QFrame(parent)
    slot.setFrameShape(QFrame.Shape.StyledPanel)
    return slot


def build_lists(
    slots: tuple[QFrame, QFrame], parent: QWidget
) -> tuple[PatientList, VisitList]:
    """The patient and visit lists, in place of their empty slots.

    Built once the database is open rather than before the window is shown: they
    have nothing to list until then, and their models' headers are the first use
    of Qt's namespace (see above).
    """
    from sijoint_exam.ui.patient_list import PatientList
    from sijoint_exam.ui.visit_list import VisitList

    lists = (PatientList(parent), VisitList(parent))
    for slot, widget in zip(slots, lists, strict=True):
        holder = slot.parentWidget()
        layout = holder.layout() if holder is not None else None
        assert layout is not None
        layout.replaceWidget(slot, widget)
        slot.deleteLater()
    return lists


def build_lock_screen(
    central: QStackedWidget, unlock: Callable[[], object]
) -> LockScreen:
    """The lock screen, placed beside the panes; built on the first lock rather
    than with the window, which is shown sooner without it."""
    from sijoint_exam.ui.privacy import LockScreen

    screen = LockScreen(central.parentWidget())
    screen.unlock_requested.connect(unlock)
    central.addWidget(screen)
    return screen


def build_tally(exam_side: QWidget, show_check: Callable[[str], None]) -> TallyPanel:
    """The tally panel, on top of the exam's side pane; built with the first visit
    shown rather than with the window (the side pane is hidden until then)."""
    from sijoint_exam.ui.tally_panel import TallyPanel

    tally = TallyPanel(exam_side)
    # A check's button shows where it is put right in the form.
    tally.check_requested.connect(show_check)
    layout = exam_side.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(0, tally, 1)
    return tally
