"""A problem with the input, named by its field: what every reader and rule reports.

Its own module so that the reader, the input limits and the clinical validation can all
name problems without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

# The clinic's record number: long enough for any clinic's scheme, short enough to
# print on a label (the form holds the same limit).
MRN_MAX_LENGTH = 40


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, named by its field path (`patient.mrn`)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"
