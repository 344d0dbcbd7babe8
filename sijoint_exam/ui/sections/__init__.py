"""The sections of the exam form, each a widget bound to its part of the `Visit`.

Every section follows `ExamSection`: the form calls `load(visit)` to fill it,
`apply(visit)` to read it back into a new `Visit`, and listens to `changed`.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance

from sijoint_exam.domain.visit import Visit


@runtime_checkable
class ExamSection(Protocol):
    """What the exam form needs of a section (each one is also a `QWidget`).

    - `title`: the heading the form shows above the section.
    - `changed`: a `Signal()` emitted on every edit by the user — never by `load`.
    - `load(visit)`: fill the widgets from `visit` inside `QSignalBlocker`s.
    - `apply(visit)`: `dataclasses.replace(visit, <the section's fields>)` read from
      the widgets, so `section.load(v); section.apply(v) == v` for any valid `v`.
      Fields the section does not own pass through untouched.

    Derived values (scores, relief, suggestions) are computed by the domain and
    shown in read-only labels; they are never stored in a widget.
    """

    title: ClassVar[str]
    changed: SignalInstance

    def load(self, visit: Visit) -> None: ...

    def apply(self, visit: Visit) -> Visit: ...


# Imported after the protocol: the section modules do not import this package's
# names, so there is no cycle.
from sijoint_exam.ui.sections.alignment import AlignmentSection  # noqa: E402
from sijoint_exam.ui.sections.blocks import BlocksSection  # noqa: E402
from sijoint_exam.ui.sections.history import HistorySection  # noqa: E402
from sijoint_exam.ui.sections.outcomes import OutcomesSection  # noqa: E402
from sijoint_exam.ui.sections.pain import PainSection  # noqa: E402
from sijoint_exam.ui.sections.red_flags import RedFlagsSection  # noqa: E402
from sijoint_exam.ui.sections.screens import ScreensSection  # noqa: E402

# In the order of the exam at the table.
SECTION_TYPES: tuple[type, ...] = (
    HistorySection,
    RedFlagsSection,
    PainSection,
    OutcomesSection,
    ScreensSection,
    AlignmentSection,
    BlocksSection,
)

__all__ = [
    "SECTION_TYPES",
    "AlignmentSection",
    "BlocksSection",
    "ExamSection",
    "HistorySection",
    "OutcomesSection",
    "PainSection",
    "RedFlagsSection",
    "ScreensSection",
]
