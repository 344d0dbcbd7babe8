"""The clinic server: a PostgreSQL database the rooms' workstations sync through.

Each workstation keeps its own SQLite database as the working copy and the outbox;
`sync` pushes what it changed and pulls what the other rooms changed. Only this
package imports psycopg, and nothing imports this package until a server is
configured, so a workstation without one pays nothing for it.
"""
