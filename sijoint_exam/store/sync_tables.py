"""The local database's side of the clinic server: who this workstation is, which
records it shares under which clinic-wide id, and how far it has synced.

Standard library and sqlite-utils only: migration 008 creates these tables, and
the repository reads them to keep another room's visit in progress read-only here.
"""

from __future__ import annotations

import uuid

from sqlite_utils import Database


def create(db: Database) -> None:
    """The tables of migration 009_clinic_sync (no psycopg: no server needed)."""
    # One row: this database is a workstation ("a room"). Its identity is the
    # database, not the host: two databases on one machine are two rooms.
    db.execute(
        """
        CREATE TABLE sync_workstation (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            uid TEXT NOT NULL,
            room TEXT NOT NULL DEFAULT ''
        ) STRICT
        """
    )
    first = str(uuid.uuid4())
    db.execute("INSERT INTO sync_workstation (id, uid) VALUES (1, ?)", [first])
    # Every workstation id this database has had (a restored one starts a new
    # line, `sync --as-new-room`): records from any of them are its own.
    db.execute("CREATE TABLE sync_identity (uid TEXT PRIMARY KEY) STRICT")
    db.execute("INSERT INTO sync_identity (uid) VALUES (?)", [first])
    # The clinic-wide id of each shared record, and the room that created it.
    # An addendum's hash covers the id its visit had in the room that wrote it
    # (signing.addendum_sha256), kept here as signed_visit_ref.
    db.execute(
        """
        CREATE TABLE sync_record (
            entity TEXT NOT NULL CHECK (entity IN ('patient', 'visit', 'addendum')),
            local_id INTEGER NOT NULL,
            uid TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL,
            origin_room TEXT NOT NULL DEFAULT '',
            signed_visit_ref INTEGER,
            PRIMARY KEY (entity, local_id)
        ) STRICT, WITHOUT ROWID
        """
    )
    # The other rooms' names as the server last gave them (a room may be renamed).
    db.execute(
        "CREATE TABLE sync_room (uid TEXT PRIMARY KEY, room TEXT NOT NULL) STRICT"
    )
    # Cursors: the last audit entry pushed, the server's last change pulled, the
    # time of the last good sync.
    db.execute(
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT"
    )
    # Held back by a conflict a person must settle: a local patient not sent
    # (kind 'patient', key = local id), or a server patient not taken in (kind
    # 'server patient', key = uid). Each sync tries them again.
    db.execute(
        """
        CREATE TABLE sync_held (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            mrn TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        ) STRICT, WITHOUT ROWID
        """
    )
    # The other rooms' audit entries, as the server holds them (read-only copies).
    db.execute(
        """
        CREATE TABLE clinic_audit (
            workstation TEXT NOT NULL,
            id INTEGER NOT NULL,
            room TEXT NOT NULL,
            at TEXT NOT NULL,
            os_user TEXT NOT NULL,
            clinician TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_uid TEXT,
            detail TEXT NOT NULL,
            content_sha256 TEXT NOT NULL,
            previous_sha256 TEXT NOT NULL,
            entry_sha256 TEXT NOT NULL,
            PRIMARY KEY (workstation, id)
        ) STRICT, WITHOUT ROWID
        """
    )


def workstation(db: Database) -> tuple[str, str]:
    """This database's workstation uid and room name ("" until one is set)."""
    uid, room = db.execute(
        "SELECT uid, room FROM sync_workstation WHERE id = 1"
    ).fetchone()
    return uid, room


def room_elsewhere(db: Database, visit_id: int) -> str | None:
    """The room a visit belongs to when it is another room's (its record came
    from the clinic server); None when it is this room's own."""
    row = db.execute(
        f"SELECT {ROOM_OF_ORIGIN} FROM sync_record r"
        " LEFT JOIN sync_room n ON n.uid = r.origin"
        f" WHERE r.entity = 'visit' AND r.local_id = ? AND {NOT_OURS}",
        [visit_id],
    ).fetchone()
    return None if row is None else str(row[0])


# A sync_record row `r` that another room wrote.
NOT_OURS = "r.origin NOT IN (SELECT uid FROM sync_identity)"
# The name of a record's room: the server's latest, else the one it came with.
ROOM_OF_ORIGIN = (
    "coalesce(nullif(n.room, ''), nullif(r.origin_room, ''), 'another room')"
)
