"""Diagnostic SIJ blocks: % relief, peak in the agent window, result, comparative pair.

Normative behaviour: shared/design/clinical-rules.md §3.
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


class Comparative(StrEnum):
    """A screening and a confirmatory block with agents of different classes."""

    CONCORDANT = "concordant"
    DISCORDANT = "discordant"
    NOT_CONFIRMED = "not_confirmed"
    NEGATIVE = "negative"
    INCOMPLETE = "incomplete"


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


def comparative_pair(blocks: Sequence[Block]) -> tuple[int, int] | None:
    """Indexes of the screening and confirmatory blocks that form a comparative pair.

    The first block numbered 1, and the first numbered 2 on the same side; a pair
    only when one agent is short-acting and the other long-acting.
    """
    first = next((i for i, b in enumerate(blocks) if b.number == 1), None)
    if first is None:
        return None
    second = next(
        (
            i
            for i, b in enumerate(blocks)
            if b.number == 2 and b.side is blocks[first].side
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
    by_class = {
        AGENT_CLASS[r.block.agent]: r.block.relief_hours
        for r in (screening, confirmatory)
    }
    short = by_class[AgentClass.SHORT_ACTING]
    long = by_class[AgentClass.LONG_ACTING]
    if short is None or long is None:
        return Comparative.INCOMPLETE  # both positive, a needed duration missing
    return Comparative.CONCORDANT if long > short else Comparative.DISCORDANT


def _overall(
    readings: tuple[BlockReading, ...], comparative: Comparative | None
) -> BlockResult | None:
    """The block result set beside the cluster: the pair's, else the latest block's."""
    if comparative is not None:
        return {
            Comparative.CONCORDANT: BlockResult.POSITIVE,
            # Both blocks met the threshold; the duration only qualifies it.
            Comparative.DISCORDANT: BlockResult.POSITIVE,
            Comparative.NOT_CONFIRMED: BlockResult.NEGATIVE,
            Comparative.NEGATIVE: BlockResult.NEGATIVE,
            Comparative.INCOMPLETE: BlockResult.INCOMPLETE,
        }[comparative]
    if not readings:
        return None
    # Latest by date; among the same date, the one listed last.
    latest = max(enumerate(readings), key=lambda ir: (ir[1].block.date, ir[0]))
    return latest[1].result


def read_blocks(
    blocks: Sequence[Block], threshold_percent: int, windows: AgentWindows
) -> BlocksReading:
    """Read every block of a visit against the threshold and the agent windows it
    was stored with (both required: a default would silently read a visit with
    settings other than its own)."""
    plain = []
    for block in blocks:
        peak = peak_relief_percent(block, windows)
        plain.append(
            BlockReading(
                block,
                peak,
                threshold_percent,
                window_minutes(block.agent, windows),
                block_result(peak, threshold_percent),
                (),
            )
        )
    pair = comparative_pair(blocks)
    comparative = None
    if pair is not None:
        comparative = comparative_category(plain[pair[0]], plain[pair[1]])
    readings = tuple(
        _with_cautions(r, comparative if pair and i in pair else None)
        for i, r in enumerate(plain)
    )
    cautions = []
    if comparative in (Comparative.CONCORDANT, Comparative.DISCORDANT):
        cautions.append(DURATION_CONCORDANCE_CAUTION)
    if pair is not None and any(blocks[i].steroid for i in pair):
        cautions.append(STEROID_CAUTION)  # the durations compared are the steroid's
    return BlocksReading(
        readings, comparative, tuple(cautions), _overall(readings, comparative)
    )


def _with_cautions(reading: BlockReading, pair: Comparative | None) -> BlockReading:
    cautions = []
    # A positive block stays a single block unless a concordant pair confirms it.
    if reading.result is BlockResult.POSITIVE and pair is not Comparative.CONCORDANT:
        cautions.append(SINGLE_BLOCK_CAUTION)
    if reading.block.steroid:
        cautions.append(STEROID_CAUTION)
    return replace(reading, cautions=tuple(cautions))


class Agreement(StrEnum):
    """The block result beside the cluster result."""

    AGREE = "agree"
    DISAGREE = "disagree"


def agreement(
    block: BlockResult | None, cluster_positive: bool | None
) -> Agreement | None:
    """`agree`/`disagree`; None when either side has no definite result."""
    if block in (None, BlockResult.INCOMPLETE) or cluster_positive is None:
        return None
    same = (block is BlockResult.POSITIVE) == cluster_positive
    return Agreement.AGREE if same else Agreement.DISAGREE
