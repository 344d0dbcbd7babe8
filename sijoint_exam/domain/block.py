"""Diagnostic SIJ blocks: % relief, peak in the agent window, result, comparative pair.

Normative behaviour: docs/clinical-rules.md §3.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from fractions import Fraction

from sijoint_exam.domain.catalogue import (
    AGENT_CLASS,
    DEFAULT_AGENT_WINDOW_HOURS,
    DURATION_CONCORDANCE_CAUTION,
    SINGLE_BLOCK_CAUTION,
    STEROID_CAUTION,
    Agent,
    AgentClass,
)
from sijoint_exam.domain.catalogue_together import (
    GUIDANCE_NOT_RECORDED_CAUTION,
    LOW_BASELINE_MAX_PRE,
    STEROID_CONFOUNDED_CAUTION,
    UNGUIDED_BLOCK_CAUTION,
)


class BlockSide(StrEnum):
    """The joint injected."""

    LEFT = "left"
    RIGHT = "right"
    BILATERAL = "bilateral"


class Guidance(StrEnum):
    """How the needle was guided."""

    FLUOROSCOPY = "fluoroscopy"
    CT = "ct"
    ULTRASOUND = "ultrasound"
    NONE = "none"


class BlockResult(StrEnum):
    """One block read against the relief threshold."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    INCOMPLETE = "incomplete"  # no reading inside the agent's window
    UNGUIDED = "unguided"  # no image guidance: relief shown, not a diagnostic block


class Comparative(StrEnum):
    """A screening and a confirmatory block with agents of different classes."""

    CONCORDANT = "concordant"
    DISCORDANT = "discordant"
    NOT_CONFIRMED = "not_confirmed"
    NEGATIVE = "negative"
    INCOMPLETE = "incomplete"
    # Both positive, but a steroid was added: the durations are the steroid's, so the
    # pair reads as a single positive block.
    STEROID_CONFOUNDED = "steroid_confounded"


@dataclass(frozen=True)
class Reading:
    """A post-block pain rating: minutes after the block, NRS, patient's % relief."""

    minutes: int
    nrs: int
    patient_percent: int | None = None


@dataclass(frozen=True)
class Block:
    """One diagnostic block as recorded (number 1 = screening, 2 = confirmatory)."""

    date: dt.date
    number: int
    side: BlockSide
    agent: Agent
    pre: int  # NRS immediately before, 1–10
    concentration: str = ""
    volume: str = ""
    steroid: bool | None = None
    guidance: Guidance | None = None
    readings: tuple[Reading, ...] = ()
    relief_hours: float | None = None  # duration of relief at/above the threshold

    def __post_init__(self) -> None:
        object.__setattr__(self, "readings", tuple(self.readings))

    @property
    def unguided(self) -> bool:
        """Given blind: not a diagnostic block (Rosenberg 2000)."""
        return self.guidance is Guidance.NONE


def relief_percent(pre: int, post: int) -> int:
    """`(pre − post) / pre × 100`, rounded half-up (away from zero) to a whole number.

    Negative means the pain increased. Raises ValueError when `pre` is below 1.
    """
    if pre < 1:
        raise ValueError(f"pre-block NRS {pre}: relief cannot be computed")
    exact = Fraction(pre - post, pre) * 100
    # Half-up on the magnitude, so a rise of 12.5% reads as 13%, like a fall.
    magnitude = int(abs(exact) + Fraction(1, 2))
    return magnitude if exact >= 0 else -magnitude


def relief_text(percent: int) -> str:
    """`86% relief`, or `pain increased (−14%)` for a worse reading."""
    if percent < 0:
        return f"pain increased ({percent}%)".replace("-", "−")
    return f"{percent}% relief"


@dataclass(frozen=True)
class AgentWindows:
    """How long after a block its readings count, in whole hours, per agent.

    A setting, stored with the visit it was read with (clinical-rules.md §3); frozen
    and hashable like the rest of `Scoring`. One field per agent of
    `DEFAULT_AGENT_WINDOW_HOURS`, named by its id; `other` has none: every reading
    counts for an agent of unknown duration.
    """

    lidocaine: int = DEFAULT_AGENT_WINDOW_HOURS[Agent.LIDOCAINE]
    bupivacaine: int = DEFAULT_AGENT_WINDOW_HOURS[Agent.BUPIVACAINE]
    ropivacaine: int = DEFAULT_AGENT_WINDOW_HOURS[Agent.ROPIVACAINE]

    def hours(self, agent: Agent) -> int | None:
        """The agent's window in hours; None: every reading counts."""
        if agent not in DEFAULT_AGENT_WINDOW_HOURS:
            return None
        hours: int = getattr(self, agent.value)
        return hours

    def minutes(self, agent: Agent) -> int | None:
        """The agent's window in minutes (readings are timed in minutes)."""
        hours = self.hours(agent)
        return None if hours is None else hours * 60

    def by_agent(self) -> dict[Agent, int]:
        """Every window, in the catalogue's order of agents."""
        return {Agent(f.name): getattr(self, f.name) for f in fields(self)}

    @property
    def is_default(self) -> bool:
        """The catalogue's windows (the visit file then leaves them out)."""
        return self == DEFAULT_AGENT_WINDOWS


DEFAULT_AGENT_WINDOWS = AgentWindows()


def window_minutes(
    agent: Agent, windows: AgentWindows = DEFAULT_AGENT_WINDOWS
) -> int | None:
    """The agent's window in minutes; None means every reading counts."""
    return windows.minutes(agent)


def window_phrase(minutes: int | None) -> str:
    """`within 2 h` (`within 90 min` if not whole hours), or `all readings`."""
    if minutes is None:
        return "all readings"
    return f"within {minutes // 60} h" if minutes % 60 == 0 else f"within {minutes} min"


def _within(readings: Sequence[Reading], limit: int | None) -> tuple[Reading, ...]:
    """The readings taken at most `limit` minutes after the block (inclusive)."""
    return tuple(r for r in readings if limit is None or r.minutes <= limit)


def readings_in_window(
    block: Block, windows: AgentWindows = DEFAULT_AGENT_WINDOWS
) -> tuple[Reading, ...]:
    """The readings taken within the agent's window (inclusive)."""
    return _within(block.readings, window_minutes(block.agent, windows))


def peak_relief_percent(
    block: Block, windows: AgentWindows = DEFAULT_AGENT_WINDOWS
) -> int | None:
    """The largest % relief within the window; None when no reading is in it, or
    when the pre-block NRS is not a valid 1–10 (validation names that field; a
    draft being typed must still be readable, so this does not raise)."""
    inside = readings_in_window(block, windows)
    if not inside or block.pre < 1:
        return None
    return max(relief_percent(block.pre, r.nrs) for r in inside)


def block_result(peak: int | None, threshold_percent: int) -> BlockResult:
    """Positive when the peak reaches the threshold; incomplete without a peak."""
    if peak is None:
        return BlockResult.INCOMPLETE
    return BlockResult.POSITIVE if peak >= threshold_percent else BlockResult.NEGATIVE


@dataclass(frozen=True)
class BlockReading:
    """One block read with the visit's threshold and agent windows."""

    block: Block
    peak_relief_percent: int | None
    threshold_percent: int
    # The agent's window it was read with, carried so that whatever shows the peak
    # names the same window; None: every reading counts.
    window_minutes: int | None
    result: BlockResult
    cautions: tuple[str, ...]

    @property
    def readings_in_window(self) -> tuple[Reading, ...]:
        """The block's readings that counted toward the peak."""
        return _within(self.block.readings, self.window_minutes)


@dataclass(frozen=True)
class BlocksReading:
    """Every block of a visit, the comparative pair if any, and the overall result."""

    blocks: tuple[BlockReading, ...]
    comparative: Comparative | None
    comparative_cautions: tuple[str, ...]
    overall: BlockResult | None  # what is compared with the cluster; None: no block
    # The joint of the block (or pair) whose result is `overall`.
    overall_side: BlockSide | None = None


def comparative_pair(blocks: Sequence[Block]) -> tuple[int, int] | None:
    """Indexes of the screening and confirmatory blocks that form a comparative pair.

    The first block numbered 1, and the first numbered 2 on the same side; a pair
    only when one agent is short-acting and the other long-acting. A block given
    without image guidance is never part of a pair.
    """
    guided = [i for i, b in enumerate(blocks) if not b.unguided]
    first = next((i for i in guided if blocks[i].number == 1), None)
    if first is None:
        return None
    second = next(
        (
            i
            for i in guided
            if blocks[i].number == 2 and blocks[i].side is blocks[first].side
        ),
        None,
    )
    if second is None:
        return None
    classes = {AGENT_CLASS.get(blocks[i].agent) for i in (first, second)}
    if classes != {AgentClass.SHORT_ACTING, AgentClass.LONG_ACTING}:
        return None  # same class, or an agent of no known class
    return first, second


def comparative_category(
    screening: BlockReading, confirmatory: BlockReading
) -> Comparative:
    """Read a comparative pair (clinical-rules.md §3)."""
    if screening.result is BlockResult.INCOMPLETE:
        return Comparative.INCOMPLETE
    if screening.result is BlockResult.NEGATIVE:
        return Comparative.NEGATIVE
    if confirmatory.result is BlockResult.INCOMPLETE:
        return Comparative.INCOMPLETE
    if confirmatory.result is BlockResult.NEGATIVE:
        return Comparative.NOT_CONFIRMED
    if screening.block.steroid or confirmatory.block.steroid:
        return Comparative.STEROID_CONFOUNDED
    by_class = {
        AGENT_CLASS[r.block.agent]: r.block.relief_hours
        for r in (screening, confirmatory)
    }
    short = by_class[AgentClass.SHORT_ACTING]
    long = by_class[AgentClass.LONG_ACTING]
    if short is None or long is None:
        return Comparative.INCOMPLETE  # both positive, a needed duration missing
    return Comparative.CONCORDANT if long > short else Comparative.DISCORDANT


_PAIR_RESULT = {
    Comparative.CONCORDANT: BlockResult.POSITIVE,
    # Both blocks met the threshold; the duration only qualifies it.
    Comparative.DISCORDANT: BlockResult.POSITIVE,
    Comparative.STEROID_CONFOUNDED: BlockResult.POSITIVE,  # as a single block
    Comparative.NOT_CONFIRMED: BlockResult.NEGATIVE,
    Comparative.NEGATIVE: BlockResult.NEGATIVE,
    Comparative.INCOMPLETE: BlockResult.INCOMPLETE,
}


def _overall(
    readings: tuple[BlockReading, ...],
    pair: tuple[int, int] | None,
    comparative: Comparative | None,
) -> tuple[BlockResult | None, BlockSide | None]:
    """The block result set beside the cluster, and its joint: the pair's, else the
    latest image-guided block's (an unguided block is not a diagnostic block)."""
    if pair is not None and comparative is not None:
        return _PAIR_RESULT[comparative], readings[pair[0]].block.side
    guided = [(i, r) for i, r in enumerate(readings) if not r.block.unguided]
    if not guided:
        return None, None
    # Latest by date; among the same date, the one listed last.
    latest = max(guided, key=lambda ir: (ir[1].block.date, ir[0]))[1]
    return latest.result, latest.block.side


def low_baseline_text(pre: int) -> str | None:
    """With a pre-block NRS of 3 or less, relief reads only in coarse steps."""
    if not 1 <= pre <= LOW_BASELINE_MAX_PRE:
        return None
    steps = [relief_percent(pre, post) for post in range(pre, -1, -1)]
    listed = ", ".join(str(step) for step in steps[:-1]) + f" or {steps[-1]}%"
    return f"with a pre-block NRS of {pre}, relief reads only {listed}"


def _one_reading(
    block: Block, threshold_percent: int, windows: AgentWindows
) -> BlockReading:
    peak = peak_relief_percent(block, windows)
    result = (
        BlockResult.UNGUIDED
        if block.unguided
        else block_result(peak, threshold_percent)
    )
    cautions = []
    if block.unguided:
        cautions.append(UNGUIDED_BLOCK_CAUTION)
    elif block.guidance is None:
        cautions.append(GUIDANCE_NOT_RECORDED_CAUTION)
    if (low := low_baseline_text(block.pre)) is not None:
        cautions.append(low)
    if block.steroid:
        cautions.append(STEROID_CAUTION)
    return BlockReading(
        block,
        peak,
        threshold_percent,
        window_minutes(block.agent, windows),
        result,
        tuple(cautions),
    )


def read_blocks(
    blocks: Sequence[Block], threshold_percent: int, windows: AgentWindows
) -> BlocksReading:
    """Read every block of a visit against the threshold and the agent windows it
    was stored with (both required: a default would silently read a visit with
    settings other than its own)."""
    readings = [_one_reading(b, threshold_percent, windows) for b in blocks]
    pair = comparative_pair(blocks)
    comparative = None
    if pair is not None:
        comparative = comparative_category(readings[pair[0]], readings[pair[1]])
    confirmed = comparative in (Comparative.CONCORDANT, Comparative.DISCORDANT)
    # The single-block caution is said once per visit: on the first positive block
    # that no concordant or discordant pair confirms.
    for i, reading in enumerate(readings):
        in_pair = pair is not None and i in pair
        if reading.result is BlockResult.POSITIVE and not (in_pair and confirmed):
            readings[i] = replace(
                reading, cautions=(SINGLE_BLOCK_CAUTION, *reading.cautions)
            )
            break
    cautions = []
    if confirmed:
        cautions.append(DURATION_CONCORDANCE_CAUTION)
    if comparative is Comparative.STEROID_CONFOUNDED:
        cautions.append(STEROID_CONFOUNDED_CAUTION)
    elif pair is not None and any(blocks[i].steroid for i in pair):
        cautions.append(STEROID_CAUTION)  # the durations compared are the steroid's
    frozen = tuple(readings)
    overall, side = _overall(frozen, pair, comparative)
    return BlocksReading(frozen, comparative, tuple(cautions), overall, side)
