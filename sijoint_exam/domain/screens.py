"""The neuro and hip screens (clinical-rules.md §9).

Pain reaching the foot is part of the SIJ picture, and so is radiculopathy; a letter
needs both screens. Each sided item is positive / negative / not tested per side, each
graded item normal / abnormal / not tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sijoint_exam.domain.catalogue import Result, Side


class SidedFinding(StrEnum):
    """A screen item tested on one side."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NOT_TESTED = "not_tested"


class GradedFinding(StrEnum):
    """A screen item graded as a whole (myotomes, reflexes, sensation)."""

    NORMAL = "normal"
    ABNORMAL = "abnormal"
    NOT_TESTED = "not_tested"


@dataclass(frozen=True)
class PerSide:
    """A sided item's finding on the left and the right."""

    left: SidedFinding = SidedFinding.NOT_TESTED
    right: SidedFinding = SidedFinding.NOT_TESTED

    def on_side(self, side: Side) -> SidedFinding:
        return self.left if side is Side.LEFT else self.right

    @property
    def positive(self) -> bool:
        return SidedFinding.POSITIVE in (self.left, self.right)


@dataclass(frozen=True)
class NeuroScreen:
    """Straight-leg raise and slump per side; myotomes, reflexes, sensation."""

    slr: PerSide = PerSide()
    slump: PerSide = PerSide()
    myotomes: GradedFinding = GradedFinding.NOT_TESTED
    reflexes: GradedFinding = GradedFinding.NOT_TESTED
    sensation: GradedFinding = GradedFinding.NOT_TESTED

    @property
    def graded(self) -> tuple[GradedFinding, ...]:
        return (self.myotomes, self.reflexes, self.sensation)

    @property
    def is_empty(self) -> bool:
        return self == NeuroScreen()


@dataclass(frozen=True)
class HipScreen:
    """FADIR pain and painful or restricted hip range, per side."""

    fadir: PerSide = PerSide()
    painful_range: PerSide = PerSide()

    @property
    def is_empty(self) -> bool:
        return self == HipScreen()


class NeuroReading(StrEnum):
    """What the neuro screen suggests; None (not a member) when not recorded."""

    SUGGESTS_RADICULOPATHY = "suggests_radiculopathy"
    SUGGESTS_NONE = "suggests_none"


def read_neuro_screen(screen: NeuroScreen) -> NeuroReading | None:
    """§9: radiculopathy when any SLR or slump is positive or any graded item is
    abnormal; none when at least one SLR and one graded item are recorded and nothing
    is positive or abnormal; otherwise not recorded (None)."""
    if screen.slr.positive or screen.slump.positive:
        return NeuroReading.SUGGESTS_RADICULOPATHY
    if GradedFinding.ABNORMAL in screen.graded:
        return NeuroReading.SUGGESTS_RADICULOPATHY
    slr_recorded = SidedFinding.NEGATIVE in (screen.slr.left, screen.slr.right)
    graded_recorded = GradedFinding.NORMAL in screen.graded
    if slr_recorded and graded_recorded:
        return NeuroReading.SUGGESTS_NONE
    return None


def hip_not_excluded_sides(
    hip: HipScreen, faber_left: Result, faber_right: Result
) -> tuple[Side, ...]:
    """The sides where a positive hip item stands beside a positive FABER."""
    faber = {Side.LEFT: faber_left, Side.RIGHT: faber_right}
    return tuple(
        side
        for side in Side
        if faber[side] is Result.POSITIVE
        and SidedFinding.POSITIVE
        in (hip.fadir.on_side(side), hip.painful_range.on_side(side))
    )
