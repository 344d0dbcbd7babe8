"""`verify --server`: check the clinic server as `verify` checks a workstation.

Each room's audit log is recomputed entry by entry (the same hashes as in the
room's own database), every signed visit's content against its signature's hash,
every addendum's hash, each visit against the latest content its room logged,
and the guard triggers are checked to be there. It only reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg.rows import dict_row

from sijoint_exam.store import audit, signing
from sijoint_exam.store.server import schema
from sijoint_exam.store.server.connection import ServerError, connect, failure

_CONTENT = (audit.BASELINE, audit.CREATE, audit.CHANGE)


def check(url: str) -> tuple[list[str], dict[str, int]]:
    """`verify_server` on the server at `url`.

    Raises:
        ServerError: It could not be reached or read (one line naming it).
    """
    with connect(url) as conn:
        try:
            return verify_server(conn)
        except psycopg.Error as exc:
            raise ServerError(failure(url, "could not be checked", exc)) from None


def verify_server(conn: psycopg.Connection) -> tuple[list[str], dict[str, int]]:
    """Every break found (one sentence each), and what was checked (counts)."""
    with conn.transaction():
        # One snapshot for the whole check: pushes in between change nothing seen.
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        problems = list(_missing_triggers(conn))
        entries, chain = _chain_breaks(conn)
        problems += chain
        signed, signature_problems = _signature_breaks(conn)
        problems += signature_problems
        problems += _addendum_breaks(conn)
        problems += _visit_breaks(conn)
    return problems, {"entries": entries, "signed": signed}


def _rows(conn: psycopg.Connection, query: str) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cursor:
        cursor.execute(query)
        rows: list[dict[str, Any]] = cursor.fetchall()
        return rows


def _missing_triggers(conn: psycopg.Connection) -> Iterator[str]:
    present = {
        row[0]
        for row in conn.execute(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND t.tgenabled <> 'D'",
            [schema.SCHEMA],
        )
    }
    for name in schema.GUARD_TRIGGERS:
        if name not in present:
            yield (
                f'The trigger "{name}" that keeps signed records or the audit log '
                "from changing on the clinic server has been removed or disabled."
            )


def _chain_breaks(conn: psycopg.Connection) -> tuple[int, list[str]]:
    """Each room's chain: entries 1, 2, 3… each hashing the one before."""
    problems = []
    rows = _rows(
        conn,
        "SELECT w.room, a.workstation::text AS ws, a.id, a.at, a.os_user,"
        " a.clinician, a.action, a.entity, a.entity_id, a.detail, a.content_sha256,"
        " a.previous_sha256, a.entry_sha256 FROM audit_entry a"
        " JOIN workstation w ON w.uid = a.workstation ORDER BY a.workstation, a.id",
    )
    room, expected, previous = None, 1, audit.GENESIS
    for entry in rows:
        if entry["ws"] != room:
            room, expected, previous = entry["ws"], 1, audit.GENESIS
        where = f"{entry['room']}'s audit log entry {entry['id']}"
        if entry["id"] != expected:
            missing = (
                f"entry {expected} is"
                if entry["id"] - 1 == expected
                else f"entries {expected} to {entry['id'] - 1} are"
            )
            problems.append(
                f"{entry['room']}'s audit log {missing} missing on the clinic server."
            )
        elif entry["previous_sha256"] != previous:
            problems.append(f"{where} does not follow the entry before it.")
        if audit.entry_sha256(entry) != entry["entry_sha256"]:
            problems.append(
                f"{where} ({entry['action']} {entry['entity']}) was changed after "
                "it was written."
            )
        expected, previous = entry["id"] + 1, entry["entry_sha256"]
    return len(rows), problems


def _signature_breaks(conn: psycopg.Connection) -> tuple[int, list[str]]:
    problems = []
    rows = _rows(
        conn,
        "SELECT s.visit_uid::text AS uid, s.clinician, s.signed_at, s.content_sha256,"
        " v.content_json, w.room, EXISTS (SELECT 1 FROM audit_entry a"
        "  WHERE a.workstation = s.workstation AND a.entity_uid = s.visit_uid"
        "  AND a.action = 'sign' AND a.content_sha256 = s.content_sha256) AS logged"
        " FROM signature s JOIN workstation w ON w.uid = s.workstation"
        " LEFT JOIN visit v ON v.uid = s.visit_uid ORDER BY s.signed_at",
    )
    for row in rows:
        name = (
            f"Visit {row['uid']} (signed by {row['clinician']} in {row['room']}, "
            f"{row['signed_at']})"
        )
        if row["content_json"] is None:
            problems.append(f"{name} has been deleted.")
        elif audit.sha256_text(row["content_json"]) != row["content_sha256"]:
            problems.append(f"{name} was changed after it was signed.")
        if not row["logged"]:
            problems.append(f"{name}: its room's audit log has no record of it.")
    return len(rows), problems


def _addendum_breaks(conn: psycopg.Connection) -> list[str]:
    problems = []
    for row in _rows(
        conn,
        "SELECT a.uid::text AS uid, a.visit_uid::text AS visit, a.text, a.clinician,"
        " a.created_at, a.content_sha256, a.signed_visit_ref, s.content_sha256 AS"
        " visit_sha FROM addendum a JOIN signature s ON s.visit_uid = a.visit_uid",
    ):
        expected = signing.addendum_sha256(
            row["signed_visit_ref"],
            row["visit_sha"],
            row["text"],
            row["clinician"],
            row["created_at"],
        )
        if expected != row["content_sha256"]:
            problems.append(
                f"Addendum {row['uid']} to visit {row['visit']} (by "
                f"{row['clinician']}, {row['created_at']}) was changed after it "
                "was signed."
            )
    return problems


def _visit_breaks(conn: psycopg.Connection) -> list[str]:
    """Each visit against the latest content its room logged for it."""
    problems = []
    for row in _rows(
        conn,
        # Only the room that opens a visit saves it (others log a 'receive'),
        # under any of its workstation ids: the latest save to arrive counts.
        "SELECT v.uid::text AS uid, v.content_json, w.room, (SELECT a.content_sha256"
        "  FROM audit_entry a WHERE a.entity_uid = v.uid AND a.entity = 'visit'"
        f"  AND a.action IN ({', '.join(repr(action) for action in _CONTENT)})"
        "  ORDER BY a.changed_seq DESC LIMIT 1) AS logged FROM visit v"
        " JOIN workstation w ON w.uid = v.workstation",
    ):
        if row["logged"] is None:
            problems.append(
                f"Visit {row['uid']} from {row['room']} is not in its room's audit "
                "log: it was added outside the program."
            )
        elif audit.sha256_text(row["content_json"]) != row["logged"]:
            problems.append(
                f"Visit {row['uid']} from {row['room']} differs from its room's "
                "last audit entry: it was changed outside the program."
            )
    return problems
