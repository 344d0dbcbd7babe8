"""Check the records against the audit log and the signatures; name every break.

`verify(db)` recomputes the audit log's hash chain, every signed visit's and
addendum's hash, and each patient's and visit's content hash against its latest
audit entry, and checks that the triggers guarding them are all still there. It
only reads.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from sijoint_exam.store import (
    audit,
    schema_check,
    signing,
    verify_columns,
    visit_content,
)

# The triggers that keep signed records and the audit log unchanged (migrations
# 004_signing and 005_audit_log). Dropping one is itself a break.
GUARD_TRIGGERS = (
    "visit_signed_no_insert",
    "visit_signed_no_update",
    "visit_signed_no_delete",
    "provocation_signed_no_insert",
    "provocation_signed_no_update",
    "provocation_signed_no_delete",
    "signature_no_replace",
    "signature_no_update",
    "signature_no_delete",
    "addendum_no_replace",
    "addendum_no_update",
    "addendum_no_delete",
    "addendum_only_signed",
    "audit_log_no_replace",
    "audit_log_no_update",
    "audit_log_no_delete",
)

# Entries that state a record's content as it then was.
# RECEIVE: as it arrived from another room through the clinic server.
_CONTENT_ACTIONS = (audit.BASELINE, audit.CREATE, audit.CHANGE, audit.RECEIVE)


def verify(db: Database) -> list[str]:
    """Every break found, one sentence each naming what broke; [] if none."""
    problems = list(schema_check.trigger_breaks(db, GUARD_TRIGGERS))
    problems += _chain_breaks(db)
    problems += _signature_breaks(db)
    problems += _addendum_breaks(db)
    problems += _content_breaks(db, "patient")
    problems += _content_breaks(db, "visit")
    problems += verify_columns.visit_column_breaks(db)
    return problems


def _chain_breaks(db: Database) -> list[str]:
    """Recompute each entry's hash and its link to the one before."""
    problems = []
    expected_id, previous = 1, audit.GENESIS
    cursor = db.execute("SELECT * FROM audit_log ORDER BY id")
    names = [column[0] for column in cursor.description]
    for values in cursor:
        entry = dict(zip(names, values, strict=True))
        entry_id = entry["id"]
        if entry_id != expected_id:
            problems.append(_gap(expected_id, entry_id - 1))
        elif entry["previous_sha256"] != previous:
            problems.append(
                f"Audit log entry {entry_id} does not follow entry {entry_id - 1}: "
                "the entry before it was changed or replaced."
            )
        if audit.entry_sha256(entry) != entry["entry_sha256"]:
            problems.append(
                f"Audit log entry {entry_id} ({entry['action']} {entry['entity']} "
                f"{entry['entity_id']}) was changed after it was written."
            )
        expected_id, previous = entry_id + 1, entry["entry_sha256"]
    seq = db.execute(
        "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'"
    ).fetchone()
    if seq is not None and seq[0] >= expected_id:
        problems.append(_gap(expected_id, seq[0]))
    return problems


def _gap(first: int, last: int) -> str:
    if first == last:
        return f"Audit log entry {first} has been deleted."
    return f"Audit log entries {first} to {last} have been deleted."


def _signature_breaks(db: Database) -> list[str]:
    problems = []
    logged = _sign_entries(db)
    received_signatures = _logged(db, audit.RECEIVE, "signature")
    signatures = db.execute(
        "SELECT s.visit_id, s.patient_id, s.clinician, s.signed_at,"
        " s.content_sha256, s.acknowledged_checks, v.patient_id, v.content"
        " FROM signature s LEFT JOIN visit v ON v.id = s.visit_id ORDER BY s.visit_id"
    ).fetchall()
    for row in signatures:
        visit_id, patient_id, clinician, signed_at, sha, checks, owner, stored = row
        name = f"Visit {visit_id} (signed by {clinician}, {signed_at})"
        if stored is None:
            problems.append(f"{name} has been deleted.")
            continue
        content = _readable(stored)
        if content is None or audit.sha256_text(content) != sha:
            problems.append(f"{name} was changed after it was signed.")
        elif _result_rows(db, visit_id) != _expected_rows(content):
            problems.append(
                f"{name}: its provocation results were changed after it was signed."
            )
        if owner != patient_id:
            problems.append(f"{name} was moved to another patient after signing.")
        received = received_signatures.pop(visit_id, None)
        if received is not None and visit_id not in logged:
            # Signed in another room: its receipt holds the whole signature's hash.
            if received != signing.received_sha256(sha, clinician, signed_at, checks):
                problems.append(f"{name} was changed after it was received.")
            continue
        entry = logged.pop(visit_id, None)
        if entry is None or entry[0] != sha:
            problems.append(f"{name}: the audit log has no record of this signature.")
            continue
        problems += _signature_differences(name, entry, clinician, signed_at, checks)
    for visit_id in logged:
        problems.append(
            f"Visit {visit_id} was signed according to the audit log, but its "
            "signature has been removed."
        )
    return problems


def _sign_entries(db: Database) -> dict[int, tuple[str, str, str, str]]:
    """(content hash, clinician, time, detail) of each visit's signing entry."""
    rows = db.execute(
        "SELECT entity_id, content_sha256, clinician, at, detail FROM audit_log"
        " WHERE entity = 'visit' AND action = ? ORDER BY id",
        [audit.SIGN],
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def _signature_differences(
    name: str, entry: tuple[str, str, str, str], clinician: Any, at: Any, checks: Any
) -> list[str]:
    """What a signature says that its audit entry does not: who, when, and the
    checks acknowledged (the entry's hash chain keeps the entry as written)."""
    _, logged_clinician, logged_at, detail = entry
    problems = []
    if clinician != logged_clinician:
        problems.append(
            f"{name}: the signer was changed after signing (the audit log "
            f"records {logged_clinician})."
        )
    if at != logged_at:
        problems.append(
            f"{name}: the time of signing was changed after signing (the audit "
            f"log records {logged_at})."
        )
    stored = signing.stored_checks(checks)
    if stored is None or signing.sign_detail(stored) != detail:
        recorded = detail.removeprefix(signing.ACKNOWLEDGED) or "none"
        problems.append(
            f"{name}: the acknowledged checks before signing were changed after "
            f"signing (the audit log records {recorded})."
        )
    return problems


def _addendum_breaks(db: Database) -> list[str]:
    problems = []
    logged = _logged(db, (audit.ADDENDUM, audit.RECEIVE), "addendum")
    # An addendum written in another room was hashed with the id its visit has
    # there (kept in sync_record when it arrived).
    rows = db.execute(
        "SELECT a.id, a.visit_id, a.text, a.clinician, a.created_at,"
        " a.content_sha256, s.content_sha256, coalesce(r.signed_visit_ref, a.visit_id)"
        " FROM addendum a LEFT JOIN signature s ON s.visit_id = a.visit_id"
        " LEFT JOIN sync_record r ON r.entity = 'addendum' AND r.local_id = a.id"
        " ORDER BY a.id"
    ).fetchall()
    for addendum_id, visit_id, text, clinician, created, sha, visit_sha, ref in rows:
        name = f"Addendum {addendum_id} to visit {visit_id} (by {clinician}, {created})"
        # Without the visit's signature (reported above) there is nothing to
        # recompute the addendum's hash with.
        if visit_sha is not None and sha != signing.addendum_sha256(
            ref, visit_sha, text, clinician, created
        ):
            problems.append(f"{name} was changed after it was signed.")
        if logged.pop(addendum_id, None) != sha:
            problems.append(f"{name}: the audit log has no record of it.")
    for addendum_id in logged:
        problems.append(
            f"Addendum {addendum_id} is in the audit log but has been deleted."
        )
    return problems


def _content_breaks(db: Database, entity: str) -> list[str]:
    """Each record against the content hash its latest audit entry recorded."""
    problems = []
    recorded = _logged(db, _CONTENT_ACTIONS, entity)
    if entity == "patient":
        rows: Any = (
            (row["id"], audit.patient_sha256(row))
            for row in db.query(f"SELECT {audit.PATIENT_COLUMNS} FROM patient")
        )
    else:
        rows = (
            (visit_id, _content_sha256(stored))
            for visit_id, stored in db.execute("SELECT id, content FROM visit")
        )
    for record_id, sha in rows:
        expected = recorded.pop(record_id, None)
        if expected is None:
            problems.append(
                f"{entity.capitalize()} {record_id} is not in the audit log: it was "
                "added outside the program."
            )
        elif sha is None:
            problems.append(
                f"Visit {record_id} cannot be read: its stored content is damaged "
                "or was changed outside the program; restore the database from a "
                "backup."
            )
        elif expected != sha:
            problems.append(
                f"{entity.capitalize()} {record_id} differs from its last audit "
                "entry: it was changed outside the program."
            )
    for record_id in recorded:
        problems.append(
            f"{entity.capitalize()} {record_id} is in the audit log but has been "
            "deleted."
        )
    return problems


def _logged(
    db: Database, actions: str | tuple[str, ...], entity: str
) -> dict[int, str]:
    """The content hash of each record's latest entry with one of `actions`."""
    actions = (actions,) if isinstance(actions, str) else actions
    marks = ", ".join("?" for _ in actions)
    rows = db.execute(
        "SELECT entity_id, content_sha256 FROM audit_log"
        f" WHERE entity = ? AND action IN ({marks}) ORDER BY id",
        [entity, *actions],
    )
    return dict(rows.fetchall())  # later entries replace earlier ones


def _readable(stored: Any) -> str | None:
    """A visit's JSON text; None if the stored value is not one the program
    wrote (it was then changed outside it, which the callers report)."""
    try:
        return visit_content.unpack(stored)
    except visit_content.UnreadableContent:
        return None


def _content_sha256(stored: Any) -> str | None:
    """The hash of a visit's JSON; None (matching no recorded hash) if unreadable."""
    content = _readable(stored)
    return None if content is None else audit.sha256_text(content)


def _result_rows(db: Database, visit_id: int) -> set[tuple[str, str, str]]:
    rows = db.execute(
        "SELECT test_id, side, result FROM provocation_result WHERE visit_id = ?",
        [visit_id],
    )
    return set(rows.fetchall())


def _expected_rows(content_json: str) -> set[tuple[str, str, str]]:
    """The provocation rows a visit's stored content implies: a test done per side
    has `left` and `right`, any other a single `result`."""
    rows = set()
    for test_id, finding in json.loads(content_json).get("provocation", {}).items():
        if "result" in finding:
            rows.add((test_id, "none", finding["result"]))
        else:
            rows.add((test_id, "left", finding["left"]))
            rows.add((test_id, "right", finding["right"]))
    return rows
