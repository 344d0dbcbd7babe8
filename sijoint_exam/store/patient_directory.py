"""The patient list, and a read-only look at it before the store is open.

The window lists and searches patients the moment it is shown: `PatientDirectory`
reads them from the file on a read-only connection while the store's own opening
(its integrity check above all, a second or more on a large clinic) runs behind.
It never writes, so a damaged file is still refused before anything is written to
it; what it shows is replaced by the store's list once the store is open.

Standard library and `store.search` only, with the light `domain.patient`: the
store proper (sqlite-utils, the rest of the domain) is what this lets the start
do without.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sijoint_exam.domain.patient import Patient, Sex
from sijoint_exam.store import search

# The patient columns `patient_from_tuple` reads, in its order.
PATIENT_COLUMNS = "id, mrn, family_name, given_names, date_of_birth, sex"

# The first bytes of every plain SQLite file; an encrypted one opens only with its
# passphrase, which the full opening asks for.
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class PatientSummary:
    """A row of the patient list: the id to ask for, and the patient."""

    id: int
    patient: Patient


def patient_from_tuple(row: tuple[Any, ...]) -> Patient:
    """A patient from the columns of `PATIENT_COLUMNS`, in that order."""
    _, mrn, family_name, given_names, date_of_birth, sex = row
    return Patient(
        mrn=mrn,
        family_name=family_name,
        given_names=given_names,
        date_of_birth=dt.date.fromisoformat(date_of_birth),
        sex=Sex(sex),
    )


def find_patients(
    conn: sqlite3.Connection, text: str, limit: int
) -> list[PatientSummary]:
    """Patients whose name, MRN or date of birth contain every word of `text`,
    in name order (see `store.search`)."""
    sql, params = search.query(text, limit, PATIENT_COLUMNS)
    return [
        PatientSummary(id=row[0], patient=patient_from_tuple(row))
        for row in conn.execute(sql, params)
    ]


class PatientDirectory:
    """Search the patients of a database file, read-only, before it is opened.

    `open` gives None wherever the store's own opening must speak first: no file
    yet, an empty or encrypted file, another program's, or one it cannot read.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @classmethod
    def open(cls, path: Path) -> PatientDirectory | None:
        """A directory of the patients in `path`, or None (see the class)."""
        try:
            with open(path, "rb") as stream:
                if stream.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                    return None
        except OSError:
            return None
        conn = None
        try:
            # mode=ro: SQLite itself refuses any write on this connection, and a
            # read-only connection never checkpoints a WAL into the file.
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            directory = cls(conn)
            # One search now: a schema this version cannot read (an older one,
            # still to be upgraded; another program's) fails here, not later.
            directory.search_patients("", limit=1)
        except (sqlite3.Error, ValueError):
            if conn is not None:
                conn.close()
            return None
        return directory

    def search_patients(self, text: str = "", limit: int = 200) -> list[PatientSummary]:
        """As `Repository.search_patients`, on the read-only connection."""
        return find_patients(self._conn, text, limit)

    def close(self) -> None:
        self._conn.close()
