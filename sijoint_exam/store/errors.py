"""Errors the store raises: files that cannot be used, records that cannot change."""

from __future__ import annotations

from pathlib import Path


class DatabaseError(Exception):
    """The database file cannot be used; the message names the file and says why.

    Attributes:
        path: The file concerned, when there is one.
        latest_backup: The newest backup of it that passed SQLite's check, offered
            when the file itself is damaged or not a database; else None.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | None = None,
        latest_backup: Path | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.latest_backup = latest_backup


class DatabaseInUseError(DatabaseError):
    """Another running copy of the program has the database open."""


class NotFoundError(LookupError):
    """No patient, visit, draft or backup has the id or name asked for."""


class DuplicateMrnError(ValueError):
    """Another patient already has this medical record number."""


class VisitSignedError(ValueError):
    """The visit is signed: it can no longer change; corrections are addenda."""


class VisitElsewhereError(VisitSignedError):
    """The visit is in progress in another room (it came from the clinic server):
    only that room can change or sign it; here it is read-only."""


class PassphraseRequiredError(DatabaseError):
    """The database is encrypted and no passphrase was given to open it."""


class WrongPassphraseError(DatabaseError):
    """The passphrase given does not open the encrypted database."""


class DamagedRecordError(DatabaseError):
    """A stored record cannot be read (damaged on disk, or changed outside the
    program); the message names it.

    Attributes:
        visit_id: The visit concerned.
    """

    def __init__(self, message: str, *, visit_id: int) -> None:
        super().__init__(message)
        self.visit_id = visit_id

    @classmethod
    def of_visit(cls, visit_id: int, reason: str) -> DamagedRecordError:
        """The error for a visit whose stored content cannot be read."""
        return cls(
            f"Visit {visit_id} cannot be read: {reason}. It was damaged or changed "
            "outside the program; restore the database from a backup "
            "(`sijoint-exam verify` lists every record that differs).",
            visit_id=visit_id,
        )
