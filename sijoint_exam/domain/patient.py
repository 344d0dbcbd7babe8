"""Patient: who a visit is for. Standard library only, and nothing else of the
domain: the patient list is filled from it before the rest is imported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Sex(StrEnum):
    """Sex as recorded on the patient's chart."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Patient:
    """Who the visit is for; `mrn` is the clinic record number, unique per database."""

    mrn: str
    family_name: str
    given_names: str
    date_of_birth: dt.date
    sex: Sex = Sex.UNKNOWN

    @property
    def display_name(self) -> str:
        """Family name first, as on a chart label: `Kim, Sungae`."""
        if self.given_names:
            return f"{self.family_name}, {self.given_names}"
        return self.family_name
