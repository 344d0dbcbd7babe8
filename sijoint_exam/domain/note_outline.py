"""The outline of a note: sections of plain-text blocks that every renderer walks.

The PDF and the on-screen preview both render these, so they say the same thing in
the same order. Every string is plain text, never markup.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

NOT_RECORDED = "Not recorded"
NO_SIDE = "—"

# ---------------------------------------------------------------------------
# The outline: blocks of plain text that both renderers understand.
# ---------------------------------------------------------------------------


class Tone(StrEnum):
    """How a paragraph reads: the renderers choose the look."""

    BODY = "body"
    STRONG = "strong"  # a result
    MUTED = "muted"  # "Not recorded"
    CAUTION = "caution"  # an evidence caveat
    EMERGENCY = "emergency"


@dataclass(frozen=True)
class Text:
    """A paragraph; line breaks in it are kept."""

    text: str
    tone: Tone = Tone.BODY


@dataclass(frozen=True)
class Facts:
    """Label–value pairs."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]
    tone: Tone = Tone.CAUTION


@dataclass(frozen=True)
class Table:
    """A table; `highlighted` are indexes of data rows to shade (0 is the first)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    highlighted: frozenset[int] = field(default_factory=frozenset)
    caption: str = ""


@dataclass(frozen=True)
class BodyChart:
    """The body chart: the catalogue ids of the marked pain regions."""

    regions: tuple[str, ...]


@dataclass(frozen=True)
class TrendPoint:
    """One visit in the trend: date, pain NRS now, ODI percent, positive tests."""

    date: str
    nrs: int | None
    odi: float | None
    positive: int


@dataclass(frozen=True)
class TrendChart:
    """Pain, ODI and positive tests across visits, oldest first."""

    points: tuple[TrendPoint, ...]
    positive_label: str
    positive_max: int


Block = Text | Facts | Bullets | Table | BodyChart | TrendChart


@dataclass(frozen=True)
class Section:
    """A heading and its blocks; level 1 for a SOAP part, 2 within it."""

    heading: str
    blocks: tuple[Block, ...]
    level: int = 2
    boxed: bool = False  # drawn in a bordered box, kept on one page (bottom line)


# ---------------------------------------------------------------------------
# Words.
# ---------------------------------------------------------------------------


def words(value: str) -> str:
    """`posterior_thigh` -> `posterior thigh`."""
    return value.replace("_", " ")


def capitalised(value: str) -> str:
    """`not_tested` -> `Not tested`."""
    return words(value).capitalize()


def yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: NOT_RECORDED}[value]


def when(moment: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """`2026-11-20 10:30 CET`: a stored (UTC) time as the clinic's clock read it,
    with the zone's name so that it is never taken for another (`zone`: the
    computer's own when None)."""
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def or_not_recorded(text: str) -> Text:
    """A clinician's free text, or a muted 'Not recorded'."""
    return Text(text) if text.strip() else Text(NOT_RECORDED, Tone.MUTED)


def nrs(value: int | None) -> str:
    return "—" if value is None else str(value)
