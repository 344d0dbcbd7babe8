"""Outcome measures and the red-flag screen: pain NRS, ODI, ASLR, cauda equina.

Normative behaviour: docs/clinical-rules.md §5–§6.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from sijoint_exam.domain.catalogue_measures import (
    ASLR_POSITIVE_FROM,
    CAUDA_EQUINA_UNDOCUMENTED,
    DEFAULT_ODI_VERSION,
    NRS_IMPORTANT_CHANGE_PERCENT,
    NRS_IMPORTANT_CHANGE_POINTS,
    ODI_BANDS,
    ODI_IMPORTANT_CHANGE_POINTS,
    ODI_MAX_UNANSWERED,
    ODI_SECTIONS,
    ODI_TOO_MANY_MISSING,
    PAIN_REGIONS,
    RED_FLAGS,
)

_REGION_ORDER = {region: i for i, region in enumerate(PAIN_REGIONS)}


@dataclass(frozen=True)
class Pain:
    """Pain NRS (0–10) now and over 24 h, and the body-chart regions."""

    now: int | None = None
    best_24h: int | None = None
    worst_24h: int | None = None
    regions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Chart order, each region once, so equal charts compare equal; a name the
        # catalogue does not know keeps its place at the end for validation to name.
        unique = list(dict.fromkeys(self.regions))
        ordered = sorted(unique, key=lambda r: _REGION_ORDER.get(r, len(_REGION_ORDER)))
        object.__setattr__(self, "regions", tuple(ordered))


def nrs_change_is_important(before: int, after: int) -> bool:
    """A change of at least 2 points or 30% of the baseline (Ostelo 2008)."""
    change = abs(after - before)
    if change >= NRS_IMPORTANT_CHANGE_POINTS:
        return True
    return before > 0 and Fraction(change, before) * 100 >= NRS_IMPORTANT_CHANGE_PERCENT


@dataclass(frozen=True)
class Odi:
    """Oswestry Disability Index answers: ten sections, each 0–5 or None."""

    version: str = DEFAULT_ODI_VERSION
    answers: tuple[int | None, ...] = (None,) * ODI_SECTIONS

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", tuple(self.answers))

    @property
    def is_empty(self) -> bool:
        """No section answered."""
        return all(answer is None for answer in self.answers)


@dataclass(frozen=True)
class OdiScore:
    """The ODI read: percent and band, or why there is no score."""

    answered: int
    percent: float | None
    band: str | None  # catalogue id: minimal, moderate, severe, crippling, bed_bound
    band_label: str | None
    reason: str | None = None  # set when there is no score

    @property
    def text(self) -> str:
        """`51.1% — severe disability (9 of 10 sections answered)`."""
        answered = f"{self.answered} of {ODI_SECTIONS} sections answered"
        if self.percent is None:
            return f"no score — {self.reason} ({answered})"
        return f"{self.percent:.1f}% — {self.band_label} ({answered})"


def _half_up_one_decimal(value: Fraction) -> float:
    return math.floor(value * 10 + Fraction(1, 2)) / 10


def odi_band(percent: float) -> tuple[str, str]:
    """The band id and label of a (rounded) ODI percent."""
    for upper, band_id, label in ODI_BANDS:
        if percent <= upper:
            return band_id, label
    return ODI_BANDS[-1][1], ODI_BANDS[-1][2]


def odi_score(odi: Odi) -> OdiScore:
    """sum / (5 × answered) × 100, half-up to one decimal (Fairbank & Pynsent 2000).

    More than two sections unanswered: no score. The band is read from the rounded
    percent, so the band shown always agrees with the number shown.
    """
    given = [a for a in odi.answers if a is not None]
    unanswered = ODI_SECTIONS - len(given)
    if unanswered > ODI_MAX_UNANSWERED or not given:
        return OdiScore(len(given), None, None, None, ODI_TOO_MANY_MISSING)
    percent = _half_up_one_decimal(Fraction(sum(given) * 100, 5 * len(given)))
    band_id, label = odi_band(percent)
    return OdiScore(len(given), percent, band_id, label)


def odi_change_is_important(before: float, after: float) -> bool:
    """A change of at least 10 points (Ostelo 2008)."""
    return abs(after - before) >= ODI_IMPORTANT_CHANGE_POINTS


@dataclass(frozen=True)
class Aslr:
    """Active straight leg raise: difficulty per leg, 0–5 (Mens 2001)."""

    left: int | None = None
    right: int | None = None

    @property
    def total(self) -> int | None:
        """Left plus right, 0–10; None unless both legs were scored."""
        if self.left is None or self.right is None:
            return None
        return self.left + self.right

    @property
    def positive(self) -> bool | None:
        """Total ≥ 1 (the 0 vs ≥1 cut-off, Mens 2012); None without a total."""
        return None if self.total is None else self.total >= ASLR_POSITIVE_FROM


class Answer(StrEnum):
    """A red-flag screening answer."""

    YES = "yes"
    NO = "no"
    NOT_ASKED = "not_asked"


@dataclass(frozen=True)
class RedFlagScreen:
    """What the red-flag answers mean for the banner and the note."""

    emergency: bool  # any cauda equina item answered yes
    cauda_equina_yes: tuple[str, ...]
    undocumented: tuple[str, ...]  # cauda equina items not asked (or absent)
    other_yes: tuple[str, ...]

    @property
    def undocumented_text(self) -> str | None:
        """`cauda equina screen not documented: sexual dysfunction`, or None."""
        if not self.undocumented:
            return None
        labels = {f.id: f.label for f in RED_FLAGS}
        return CAUDA_EQUINA_UNDOCUMENTED + ", ".join(
            labels[i] for i in self.undocumented
        )


def screen_red_flags(answers: Mapping[str, Answer]) -> RedFlagScreen:
    """Read the answers; a flag that is absent counts as not asked."""

    def answer(flag_id: str) -> Answer:
        return answers.get(flag_id, Answer.NOT_ASKED)

    cauda = [f.id for f in RED_FLAGS if f.cauda_equina]
    yes_cauda = tuple(i for i in cauda if answer(i) is Answer.YES)
    return RedFlagScreen(
        emergency=bool(yes_cauda),
        cauda_equina_yes=yes_cauda,
        undocumented=tuple(i for i in cauda if answer(i) is Answer.NOT_ASKED),
        other_yes=tuple(
            f.id for f in RED_FLAGS if not f.cauda_equina and answer(f.id) is Answer.YES
        ),
    )
