"""The triggers of a database, held to the text the program's own migrations write.

Checking names only let a guard trigger be replaced by a do-nothing trigger of
the same name. The reference is a private in-memory database brought up to date
by the same migrations, so it follows every later migration by itself.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from sqlite_utils import Database

from sijoint_exam.store import migrations

_TRIGGERS = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"


@functools.cache
def reference_triggers() -> dict[str, tuple[str, str]]:
    """(table, SQL) of every trigger the migrations create, by name."""
    with Database(memory=True, execute_plugins=False) as db:
        db.execute("PRAGMA foreign_keys = ON")
        migrations.migrations.apply(db)
        return {name: (table, sql) for name, table, sql in db.execute(_TRIGGERS)}


def trigger_breaks(db: Database, guards: tuple[str, ...]) -> Iterator[str]:
    """Each trigger removed, changed or added since the program wrote them; the
    `guards` (those that keep records from changing) named as such."""
    present = {name: (table, sql) for name, table, sql in db.execute(_TRIGGERS)}
    reference = reference_triggers()
    # The guards first, in the order given; then the others, by name.
    order = [*guards, *sorted(set(reference) - set(guards))]
    for name in order:
        table, sql = reference[name]
        kind = (
            "that keeps signed records or the audit log from changing"
            if name in guards
            else f"that keeps {table} in step"
        )
        if name not in present:
            yield f'The trigger "{name}" {kind} has been removed.'
        elif present[name][1] != sql:
            yield (
                f'The trigger "{name}" {kind} has been replaced: its text is not '
                "the one the program wrote."
            )
    for name, (table, _) in sorted(present.items()):
        if name not in reference:
            yield (
                f'A trigger "{name}" on {table} was added outside the program: '
                "the program writes no such trigger."
            )
