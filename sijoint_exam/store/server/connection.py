"""Reach the clinic server: the address from a libpq URI, never a password in it.

Passwords live in the user's `.pgpass` (or a service file), which libpq reads by
itself: a password in the URI would end up in the shell's history, in `ps`, and
in any message naming the server.
"""

from __future__ import annotations

import psycopg
from psycopg import conninfo, sql

from sijoint_exam.store.server import schema

# Seconds: an unreachable server is given up on well within a minute.
CONNECT_TIMEOUT_S = 10
# A statement on a server that stops answering (a cable pulled mid-sync).
STATEMENT_TIMEOUT_MS = 45_000


class ServerError(Exception):
    """The clinic server could not be used; the message names it and says why
    (one line, never a password)."""


def describe(url: str) -> str:
    """The server as people name it: user@host:port/database, no password."""
    try:
        parts = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the clinic server (the address given is not a libpq URI)"
    host = parts.get("host") or "localhost"
    port = parts.get("port") or "5432"
    user = f"{parts['user']}@" if parts.get("user") else ""
    database = parts.get("dbname") or parts.get("user") or ""
    return f"{user}{host}:{port}/{database}"


def check_address(url: str) -> None:
    """Refuse an address that is not a libpq URI or that carries a password.

    Raises:
        ServerError: Saying what is wrong and what to do.
    """
    try:
        parts = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "not understood"
        raise ServerError(
            f"The clinic server address is not a libpq URI ({first}); it looks "
            "like postgresql://user@host:5432/database."
        ) from None
    if parts.get("password"):
        raise ServerError(
            f"The address of {describe(url)} holds a password: give it in the "
            "user's ~/.pgpass file (or a service file) instead, never in the address."
        )


def connect(url: str) -> psycopg.Connection:
    """A connection to the clinic server with the schema on its search path.

    Raises:
        ServerError: Unreachable, refused, or not a clinic server.
    """
    check_address(url)
    try:
        conn = psycopg.connect(
            url,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name="sijoint-exam",
            # Transactions only where the code opens one (conn.transaction()):
            # reads outside them hold no snapshot while the pull works locally.
            autocommit=True,
            # A dead peer is noticed in seconds, not after the kernel's two hours.
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=5,
            keepalives_count=3,
        )
    except psycopg.Error as exc:
        raise ServerError(failure(url, "could not connect", exc)) from None
    try:
        conn.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
        conn.execute(
            sql.SQL("SET search_path TO {}").format(sql.Identifier(schema.SCHEMA))
        )
    except psycopg.Error as exc:
        conn.close()
        raise ServerError(failure(url, "could not be set up", exc)) from None
    return conn


def failure(url: str, what: str, exc: BaseException) -> str:
    """One line: the server, what failed, and the server's (or libpq's) reason."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    return f"Clinic server {describe(url)}: {what}: {reason}"
