"""The audit log: append-only, each entry chained to the one before it by its hash.

Every entry holds who (the operating-system user and the clinician), when, what
(action, entity, id and a detail), the SHA-256 of the content concerned, and the
SHA-256 of the previous entry. Its own hash covers all of these, so an entry changed
or removed after the fact breaks the chain where it was (see `verify`).

This module uses the standard library and sqlite-utils only: the migrations use it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from sijoint_exam.store.transactions import immediate

# Actions, in the clinic's words. BASELINE: a record that was already in the
# database when the audit log was added to it.
BASELINE = "baseline"
CREATE = "create"
CHANGE = "change"
SIGN = "sign"
ADDENDUM = "addendum"
EXPORT = "export"
PRINT = "print"
BACKUP = "backup"
RESTORE = "restore"
ENCRYPT = "encrypt"  # a plain database was encrypted
REKEY = "change passphrase"
# A record (patient, visit, signature or addendum) written in another room and
# taken in from the clinic server; the clinician is the one who wrote it there.
RECEIVE = "receive"
ACTIONS = frozenset(
    {
        BASELINE,
        CREATE,
        CHANGE,
        SIGN,
        ADDENDUM,
        EXPORT,
        PRINT,
        BACKUP,
        RESTORE,
        ENCRYPT,
        REKEY,
        RECEIVE,
    }
)

# The previous hash of the first entry.
GENESIS = "0" * 64

# The patient columns whose content an entry's hash covers, in this order.
PATIENT_FIELDS = ("mrn", "family_name", "given_names", "date_of_birth", "sex")
PATIENT_COLUMNS = ", ".join(("id", *PATIENT_FIELDS))

_COLUMNS = (
    "id, at, os_user, clinician, action, entity, entity_id, detail,"
    " content_sha256, previous_sha256, entry_sha256"
)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: dt.datetime
    os_user: str
    clinician: str
    action: str
    entity: str
    entity_id: int | None
    detail: str
    content_sha256: str
    previous_sha256: str
    entry_sha256: str


def current_os_user() -> str:
    """The operating-system account running the program."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        # No login name in the environment and no passwd entry (some containers).
        uid = getattr(os, "getuid", None)
        return f"uid {uid()}" if uid else "unknown"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso_utc(moment: dt.datetime) -> str:
    """A moment as the database stores it: ISO 8601 in UTC, to the second."""
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def canonical(value: Any) -> str:
    """JSON text that is the same for the same value (what the hashes cover)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def sha256_text(text: str) -> str:
    """The hex SHA-256 of text encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def patient_sha256(row: Mapping[str, Any]) -> str:
    """The content hash of a patient row (or of a Patient's row mapping)."""
    return sha256_text(canonical({field: row[field] for field in PATIENT_FIELDS}))


def entry_sha256(entry: Mapping[str, Any]) -> str:
    """The hash of an entry: every field but the hash itself, in a fixed order."""
    fields = _COLUMNS.replace(" ", "").split(",")[:-1]
    return sha256_text(canonical([entry[field] for field in fields]))


class AuditLog:
    """Appends to and reads the audit log.

    Args:
        db: An open, migrated database.
        clock: The current time, timezone-aware.
        os_user: Gives the operating-system user to record.
        clinician: Gives the clinician working now, recorded on each entry that
            does not name one.
    """

    def __init__(
        self,
        db: Database,
        clock: Callable[[], dt.datetime] = _utc_now,
        os_user: Callable[[], str] = current_os_user,
        clinician: Callable[[], str] = lambda: "",
    ) -> None:
        self._db = db
        self._clock = clock
        self._os_user = os_user
        self._clinician = clinician

    def append(
        self,
        action: str,
        entity: str,
        entity_id: int | None,
        content_sha256: str = "",
        *,
        clinician: str | None = None,
        detail: str = "",
        at: str | None = None,
    ) -> AuditEntry:
        """Add one entry, in the caller's transaction if one is open.

        `clinician` defaults to the one working now; `at` is the ISO UTC time of
        the change it records (default: the clock's).
        """
        if clinician is None:
            clinician = self._clinician()
        [entry] = self.extend(
            [(action, entity, entity_id, content_sha256, clinician, detail)], at=at
        )
        return entry

    def extend(
        self,
        items: Iterable[tuple[str, str, int | None, str, str, str]],
        at: str | None = None,
    ) -> list[AuditEntry]:
        """Add entries given as (action, entity, entity_id, content_sha256,
        clinician, detail), chained in the order given, in one transaction."""
        if at is None:
            at = iso_utc(self._clock())
        os_user = self._os_user()
        added: list[dict[str, Any]] = []
        with immediate(self._db):
            next_id, previous = self._tail()
            for action, entity, entity_id, content, clinician, detail in items:
                if action not in ACTIONS:
                    raise ValueError(f"Unknown audit action: {action}")
                fields: dict[str, Any] = {
                    "id": next_id,
                    "at": at,
                    "os_user": os_user,
                    "clinician": clinician,
                    "action": action,
                    "entity": entity,
                    "entity_id": entity_id,
                    "detail": detail,
                    "content_sha256": content,
                    "previous_sha256": previous,
                }
                fields["entry_sha256"] = entry_sha256(fields)
                added.append(fields)
                previous = fields["entry_sha256"]
                next_id += 1
            self._db.conn.executemany(
                f"INSERT INTO audit_log ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [tuple(fields.values()) for fields in added],
            )
        return [_entry(fields) for fields in added]

    def entries(
        self, entity: str | None = None, entity_id: int | None = None
    ) -> list[AuditEntry]:
        """The log, oldest first; only one entity's (or one record's) if asked."""
        where, params = "1", list[object]()
        if entity is not None:
            where, params = "entity = ?", [entity]
            if entity_id is not None:
                where, params = "entity = ? AND entity_id = ?", [entity, entity_id]
        cursor = self._db.execute(
            f"SELECT {_COLUMNS} FROM audit_log WHERE {where} ORDER BY id", params
        )
        names = [column[0] for column in cursor.description]
        return [_entry(dict(zip(names, row, strict=True))) for row in cursor]

    def head(self) -> str:
        """The hash of the last entry: it stands for the whole log so far."""
        return self._tail()[1]

    def _tail(self) -> tuple[int, str]:
        """The id the next entry gets, and the hash it chains to."""
        # sqlite_sequence, not max(id): after a deleted last entry, the next id
        # leaves the gap that shows it.
        seq = self._db.execute(
            "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'"
        ).fetchone()
        last = self._db.execute(
            "SELECT entry_sha256 FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return (seq[0] if seq else 0) + 1, (last[0] if last else GENESIS)


def _entry(fields: Mapping[str, Any]) -> AuditEntry:
    return AuditEntry(**{**fields, "at": dt.datetime.fromisoformat(fields["at"])})
