"""A visit's own columns held to its content, and its times to the audit log.

The visit table keeps copies of a few facts of each visit's content — its date,
clinician, symptomatic side and scoring rule — for the visit list and the period
export, and the times it was created and last changed. They are outside the
content hash, so `verify` compares them separately (see `verify.verify`).
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from sijoint_exam.store import audit, visit_content

# What each column is called in a report, and where the content holds it; in
# the order the query below selects the columns.
_FACTS = (
    ("date", ("date",)),
    ("clinician", ("clinician",)),
    ("symptomatic side", ("symptomatic_side",)),
    ("scoring rule", ("scoring", "rule")),
)


def visit_column_breaks(db: Database) -> list[str]:
    """Each visit whose columns differ from its content, or whose times differ
    from the audit entries of its saves, named with what differs."""
    problems = []
    saved = _save_times(db)
    signed = {
        visit_id: f"Visit {visit_id} (signed by {clinician}, {signed_at})"
        for visit_id, clinician, signed_at in db.execute(
            "SELECT visit_id, clinician, signed_at FROM signature"
        )
    }
    rows = db.execute(
        "SELECT id, visit_date, clinician, symptomatic_side, rule, content,"
        " created_at, updated_at FROM visit ORDER BY id"
    )
    for visit_id, *columns, stored, created_at, updated_at in rows:
        name = signed.get(visit_id, f"Visit {visit_id}")
        problems += _column_differences(name, columns, stored)
        times = saved.get(visit_id)
        if times is not None and times != (created_at, updated_at):
            problems.append(
                f"{name}: its times of creation and last change ({created_at}, "
                f"{updated_at}) are not those the audit log records ({times[0]}, "
                f"{times[1]}): they were changed outside the program."
            )
    return problems


def _column_differences(name: str, columns: list[Any], stored: Any) -> list[str]:
    try:
        content = visit_content.unpack(stored)
    except visit_content.UnreadableContent:
        return []  # reported as unreadable with the content check
    if _agrees(content, columns):
        return []
    try:
        facts = json.loads(content)
    except ValueError:
        return []  # not the program's JSON: the content check reports it
    problems = []
    for (what, keys), value in zip(_FACTS, columns, strict=True):
        expected = facts
        for key in keys:
            expected = expected.get(key) if isinstance(expected, dict) else None
        if value != expected:
            problems.append(
                f"{name}: its {what} column reads {value!r}, its content "
                f"{expected!r}: it was changed outside the program."
            )
    return problems


def _agrees(content: str, columns: list[Any]) -> bool:
    """Whether the canonical JSON `content` holds the column values, read
    without parsing it (a third of verify's time at 40,000 visits otherwise).

    Canonical JSON starts with date, clinician and symptomatic side, in that
    order, and is compact; in it `"scoring":{"rule":` can only be the key itself,
    since a quotation mark inside a text is escaped. Any doubt falls through to
    a full parse.
    """
    date, clinician, side, rule = columns
    try:
        prefix = audit.canonical(
            {"date": date, "clinician": clinician, "symptomatic_side": side}
        )
        scoring = '"scoring":{"rule":' + audit.canonical(rule) + ","
    except (TypeError, ValueError):
        return False
    return content.startswith(prefix[:-1] + ",") and scoring in content


def _save_times(db: Database) -> dict[int, tuple[str, str]]:
    """(first, last) time of each visit saved by the program (a create entry,
    then change entries); visits from before the audit log began have none."""
    rows = db.execute(
        "SELECT entity_id, min(at) FILTER (WHERE action = ?), max(at) FROM audit_log"
        " WHERE entity = 'visit' AND action IN (?, ?) GROUP BY entity_id",
        [audit.CREATE, audit.CREATE, audit.CHANGE],
    )
    return {visit_id: (first, last) for visit_id, first, last in rows if first}
