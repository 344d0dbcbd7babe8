"""Hear at once when another room has pushed (PostgreSQL LISTEN/NOTIFY), so an
open window can pull then instead of waiting for its next timed sync."""

from __future__ import annotations

import psycopg

from sijoint_exam.store.server.connection import ServerError, connect, failure
from sijoint_exam.store.server.push import NOTIFY_CHANNEL


class ChangeListener:
    """A connection listening for pushes; `wait` returns when one comes.

    Raises:
        ServerError: The server could not be reached (on creation or in `wait`).
    """

    def __init__(self, url: str, me: str) -> None:
        self._url = url
        self._me = me  # this room's own pushes are not news
        self._conn = connect(url)
        self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, timeout_s: float) -> bool:
        """True when another room pushed within `timeout_s` seconds."""
        try:
            for notice in self._conn.notifies(timeout=timeout_s):
                if notice.payload != self._me:
                    return True
        except psycopg.Error as exc:
            raise ServerError(failure(self._url, "stopped listening", exc)) from None
        return False

    def close(self) -> None:
        self._conn.close()
