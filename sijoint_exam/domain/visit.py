"""Patient and Visit: the frozen values the form, the store and the reports share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from sijoint_exam.domain.alignment import Alignment
from sijoint_exam.domain.block import DEFAULT_AGENT_WINDOWS, AgentWindows, Block
from sijoint_exam.domain.catalogue import (
    DEFAULT_BLOCK_THRESHOLD_PERCENT,
    DEFAULT_PRETEST_PROBABILITY,
    DEFAULT_RULE_ID,
    PainSide,
    Result,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.catalogue_measures import RED_FLAGS
from sijoint_exam.domain.outcomes import Answer, Aslr, Odi, Pain

# Patient and Sex live in their own module, light enough for the patient list
# shown before the rest of the domain is imported; named here too, with the
# visit they belong to.
from sijoint_exam.domain.patient import Patient as Patient
from sijoint_exam.domain.patient import Sex as Sex
from sijoint_exam.domain.screens import HipScreen, NeuroScreen


@dataclass(frozen=True)
class ProvocationFinding:
    """What one provocation test showed.

    Non-lateral tests use `result` (with where the pain was felt, and for compression
    the side the patient lay on); lateral tests use `left` and `right`.
    """

    result: Result = Result.NOT_TESTED
    left: Result = Result.NOT_TESTED
    right: Result = Result.NOT_TESTED
    pain_side: PainSide | None = None
    lying_side: Side | None = None
    note: str = ""

    def on_side(self, side: Side) -> Result:
        """The result on one side of a lateral test."""
        return self.left if side is Side.LEFT else self.right


NOT_RECORDED = ProvocationFinding()


@dataclass(frozen=True)
class Scoring:
    """The settings a visit's results were read with; stored with the visit."""

    rule: str = DEFAULT_RULE_ID
    pretest_probability: float = DEFAULT_PRETEST_PROBABILITY
    block_threshold_percent: int = DEFAULT_BLOCK_THRESHOLD_PERCENT
    # Which post-block readings count toward the peak, per agent (whole hours).
    agent_window_hours: AgentWindows = DEFAULT_AGENT_WINDOWS


@dataclass(frozen=True)
class History:
    """The history behind the visit; None for a yes/no not recorded."""

    onset: dt.date | None = None
    mechanism: str = ""
    conservative_care: str = ""
    conservative_care_weeks: int | None = None  # whole weeks (CMS asks for ≥ 4)
    imaging: str = ""
    medications: str = ""
    anticoagulation: bool | None = None  # these three matter for an injection
    contrast_allergy: bool | None = None
    pregnant: bool | None = None


class Urgency(StrEnum):
    """How soon the referral asks to be seen."""

    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"


@dataclass(frozen=True)
class Referral:
    """To whom the letter goes, the question asked, and the copy list."""

    recipient: str = ""
    question: str = ""
    urgency: Urgency | None = None
    copies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "copies", tuple(self.copies))


_RED_FLAG_ORDER = {flag.id: i for i, flag in enumerate(RED_FLAGS)}


def _frozen_red_flags(answers: Mapping[str, Answer]) -> Mapping[str, Answer]:
    """Drop `not_asked` (the default) and freeze in screen order."""
    kept = {k: v for k, v in answers.items() if v is not Answer.NOT_ASKED}
    ordered = sorted(kept.items(), key=lambda kv: _RED_FLAG_ORDER.get(kv[0], 99))
    return MappingProxyType(dict(ordered))


def _frozen_findings(
    findings: Mapping[str, ProvocationFinding],
) -> Mapping[str, ProvocationFinding]:
    """Drop unrecorded tests and freeze, so equal exams compare equal."""
    return MappingProxyType(
        {test_id: f for test_id, f in sorted(findings.items()) if f != NOT_RECORDED}
    )


@dataclass(frozen=True)
class Visit:
    """One examination. Immutable: the form builds a new one on every edit."""

    date: dt.date
    clinician: str = ""
    symptomatic_side: SymptomaticSide = SymptomaticSide.UNKNOWN
    chief_complaint: str = ""
    centralised: bool | None = None  # None: not assessed
    provocation: Mapping[str, ProvocationFinding] = field(
        default_factory=lambda: MappingProxyType({})
    )
    scoring: Scoring = Scoring()
    assessment: str = ""
    plan: str = ""
    history: History = History()
    referral: Referral = Referral()
    pain: Pain = Pain()
    # Red-flag answers by catalogue id; a flag not listed was not asked.
    red_flags: Mapping[str, Answer] = field(
        default_factory=lambda: MappingProxyType({})
    )
    alignment: Alignment = Alignment()
    blocks: tuple[Block, ...] = ()
    odi: Odi = Odi()
    aslr: Aslr = Aslr()
    neuro_screen: NeuroScreen = NeuroScreen()
    hip_screen: HipScreen = HipScreen()

    def __post_init__(self) -> None:
        object.__setattr__(self, "provocation", _frozen_findings(self.provocation))
        object.__setattr__(self, "red_flags", _frozen_red_flags(self.red_flags))
        object.__setattr__(self, "blocks", tuple(self.blocks))

    def finding(self, test_id: str) -> ProvocationFinding:
        """The finding of one test; a test not recorded is `not_tested`."""
        return self.provocation.get(test_id, NOT_RECORDED)

    def red_flag(self, flag_id: str) -> Answer:
        """The answer to one red-flag question; not asked unless recorded."""
        return self.red_flags.get(flag_id, Answer.NOT_ASKED)
