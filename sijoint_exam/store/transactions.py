"""Write transactions that take SQLite's write lock when they begin."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from sqlite_utils import Database


@contextlib.contextmanager
def immediate(db: Database) -> Iterator[None]:
    """Group writes in one transaction begun with `BEGIN IMMEDIATE`.

    sqlite-utils' `db.atomic()` begins with a plain (deferred) `BEGIN`: the write
    lock is then taken at the first write, and in WAL mode a transaction that has
    read first (the audit log's last hash, say) and finds that another process
    wrote meanwhile fails at once with "database is locked" instead of waiting for
    the busy timeout. `BEGIN IMMEDIATE` waits for the lock first, so two writers
    queue up. Inside a transaction already open, this is `db.atomic()`'s savepoint.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        # A RAISE(ROLLBACK) or a disk error may already have ended the transaction.
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    try:
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
