"""The clinicians who have worked on a database: a short list to pick from."""

from __future__ import annotations

from sqlite_utils import Database

from sijoint_exam.store.transactions import immediate


def remember(db: Database, name: str, now: str) -> str:
    """Add `name` to the list, or mark it used at `now`; returns it stripped.

    Raises:
        ValueError: The name is blank.
    """
    name = name.strip()
    if not name:
        raise ValueError("A clinician needs a name.")
    with immediate(db):
        db.execute(
            "INSERT INTO clinician (name, first_used_at, last_used_at)"
            " VALUES (?, ?, ?) ON CONFLICT (name)"
            " DO UPDATE SET last_used_at = excluded.last_used_at",
            [name, now, now],
        )
    return name


def names(db: Database) -> list[str]:
    """The clinicians, the one who worked most recently first."""
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM clinician ORDER BY last_used_at DESC, name"
        )
    ]
