"""Conflicts a person must settle: never merged, never guessed at.

Two different patients registered offline in two rooms under the same MRN cannot
both be right. The patient (and all of theirs) stays unsent here, or the server's
stays out of this room, until someone corrects one of the MRNs; every sync says
so until then.
"""

from __future__ import annotations

from dataclasses import dataclass


def patient_label(family_name: str, given_names: str, date_of_birth: str) -> str:
    return f"{family_name}, {given_names} (born {date_of_birth})"


class DivergedLogError(Exception):
    """This database's audit log differs from what the server holds from the same
    room: a database restored from an older backup, or a copy of the file used
    in two places. Nothing is sent: the server keeps each room's log as written."""


@dataclass(frozen=True)
class Conflict:
    """The same MRN for two different patients, here and in another room."""

    mrn: str
    here: str
    there: str
    other_room: str
    local_id: int | None = None  # the local patient held back, if it is here

    @property
    def message(self) -> str:
        return (
            f'conflict: MRN "{self.mrn}" is {self.here} in this room but '
            f"{self.there} in {self.other_room}. Two different patients cannot "
            "share an MRN: correct the MRN of one of them, then sync again "
            "(nothing of this patient is shared until then)."
        )
