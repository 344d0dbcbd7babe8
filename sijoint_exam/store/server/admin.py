"""`server init`: create or migrate the schema, and grant the workstations' role."""

from __future__ import annotations

import psycopg

from sijoint_exam.store.server import schema
from sijoint_exam.store.server.connection import ServerError, connect, failure


def initialise(url: str, group_role: str | None = None) -> str:
    """Bring the clinic server's schema up to date and grant the group role;
    returns what was done, for people, in a few lines.

    Raises:
        ServerError: The server could not be reached, or the user lacks the
            rights (a superuser, or the database owner with CREATEROLE).
    """
    group = group_role or schema.DEFAULT_GROUP_ROLE
    with connect(url) as conn:
        try:
            applied = schema.migrate(conn)
            created = schema.grant_workstations(conn, group)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise ServerError(
                failure(
                    url,
                    "the schema could not be set up (run server init as "
                    "a superuser, or as the database owner with CREATEROLE)",
                    exc,
                )
            ) from None
        except (psycopg.Error, ValueError) as exc:
            raise ServerError(
                failure(url, "the schema could not be set up", exc)
            ) from None
    from sijoint_exam.store.server.connection import describe

    done = f"applied {', '.join(applied)}" if applied else "the schema was up to date"
    role = "created" if created else "granted again"
    return (
        f"Clinic server {describe(url)} ready ({done}; group role {group} {role}).\n"
        "Give each room a login role in it, e.g.: "
        f"CREATE ROLE room_1 LOGIN IN ROLE {group};"
    )
