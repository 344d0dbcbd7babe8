"""The preferences a clinic sets (clinician, letterhead, how new visits are scored,
auto-lock): typed, with their defaults from the domain catalogue, and the rule
that brings hand-edited values back in range. `settings.Settings` stores them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from sijoint_exam.domain.catalogue import (
    AGENT_WINDOW_HOURS_RANGE,
    BLOCK_THRESHOLD_CHOICES,
    DEFAULT_AGENT_WINDOW_HOURS,
    DEFAULT_BLOCK_THRESHOLD_PERCENT,
    DEFAULT_PRETEST_PROBABILITY,
    DEFAULT_RULE_ID,
    PRETEST_PROBABILITY_RANGE,
    RULES_BY_ID,
    Agent,
)
from sijoint_exam.ui.privacy import DEFAULT_IDLE_MINUTES

# Auto-lock cannot be switched off: at most a working day's half.
IDLE_LOCK_MAX_MINUTES = 240


# Only the catalogue is imported here, and this module only when preferences
# are first read (not before the window is shown): the rest of the domain is not
# needed until a visit is.
if TYPE_CHECKING:
    from sijoint_exam.domain.block import AgentWindows
    from sijoint_exam.domain.note import Letterhead
    from sijoint_exam.domain.visit import Scoring


@dataclass(frozen=True)
class Preferences:
    """What the settings dialog edits; new visits start from these values."""

    clinician: str = ""
    clinic_name: str = ""
    clinic_address: str = ""
    clinic_phone: str = ""
    clinic_logo: str = ""  # path of an image for the letterhead
    # The URI of the clinic's record numbers (urn:oid:… or https://…): how an EHR
    # receiving a FHIR export matches patients. No default: a shared one would
    # merge different clinics' patients with the same MRN.
    patient_identifier_system: str = ""
    rule_id: str = DEFAULT_RULE_ID
    pretest_probability: float = DEFAULT_PRETEST_PROBABILITY
    block_threshold_percent: int = DEFAULT_BLOCK_THRESHOLD_PERCENT
    idle_lock_minutes: int = DEFAULT_IDLE_MINUTES  # auto-lock after this idle time
    # Block agent windows in whole hours (plain ints: the INI file holds text).
    lidocaine_window_hours: int = DEFAULT_AGENT_WINDOW_HOURS[Agent.LIDOCAINE]
    bupivacaine_window_hours: int = DEFAULT_AGENT_WINDOW_HOURS[Agent.BUPIVACAINE]
    ropivacaine_window_hours: int = DEFAULT_AGENT_WINDOW_HOURS[Agent.ROPIVACAINE]
    # The clinic server this workstation syncs with (a libpq URI without a
    # password; "" for none: the database stays on this machine alone).
    clinic_server: str = ""

    def agent_windows(self) -> AgentWindows:
        """The block agent windows new visits are read with."""
        from sijoint_exam.domain.block import AgentWindows

        return AgentWindows(
            **{a.value: getattr(self, window_field(a)) for a in WINDOWED_AGENTS}
        )

    def scoring(self) -> Scoring:
        """The settings a new visit is read with (stored with it from then on)."""
        from sijoint_exam.domain.visit import Scoring

        return Scoring(
            rule=self.rule_id,
            pretest_probability=self.pretest_probability,
            block_threshold_percent=self.block_threshold_percent,
            agent_window_hours=self.agent_windows(),
        )

    def letterhead(self) -> Letterhead:
        """The clinic as printed at the top of notes and letters."""
        # Imported here: the note builder is not needed to start the window.
        from sijoint_exam.domain.note import Letterhead

        return Letterhead(
            self.clinic_name, self.clinic_address, self.clinic_phone, self.clinic_logo
        )

    def sanitised(self) -> Preferences:
        """Out-of-range values (a hand-edited file) fall back to the defaults."""
        defaults = Preferences()
        low, high = PRETEST_PROBABILITY_RANGE
        return Preferences(
            **{
                **{f.name: getattr(self, f.name) for f in fields(self)},
                "rule_id": self.rule_id
                if self.rule_id in RULES_BY_ID
                else defaults.rule_id,
                "pretest_probability": self.pretest_probability
                if low <= self.pretest_probability <= high
                else defaults.pretest_probability,
                "block_threshold_percent": self.block_threshold_percent
                if self.block_threshold_percent in BLOCK_THRESHOLD_CHOICES
                else defaults.block_threshold_percent,
                "idle_lock_minutes": self.idle_lock_minutes
                if 1 <= self.idle_lock_minutes <= IDLE_LOCK_MAX_MINUTES
                else defaults.idle_lock_minutes,
                **{
                    window_field(agent): _in_range(
                        getattr(self, window_field(agent)),
                        AGENT_WINDOW_HOURS_RANGE,
                        getattr(defaults, window_field(agent)),
                    )
                    for agent in WINDOWED_AGENTS
                },
            }
        )


# The agents whose window is a setting (`other` has none: every reading counts).
WINDOWED_AGENTS = tuple(DEFAULT_AGENT_WINDOW_HOURS)


def window_field(agent: Agent) -> str:
    """The Preferences field holding `agent`'s window: `lidocaine_window_hours`."""
    return f"{agent.value}_window_hours"


def _in_range(value: int, allowed: tuple[int, int], default: int) -> int:
    low, high = allowed
    return value if low <= value <= high else default
