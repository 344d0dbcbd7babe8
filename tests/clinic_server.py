"""A throwaway PostgreSQL for the clinic-server tests, started by the test run.

initdb on a temporary folder, as an unprivileged user (initdb and postgres refuse
root: as root the run uses the "postgres" account Debian's package made, or makes
a system account), listening on 127.0.0.1 only, on a free port, stopped and
removed at the end of the session. Trust authentication: nothing listens beyond
loopback, and no password is ever written down.

The tests that need it are skipped only when the server binaries cannot be found
at all, and never in CI (CI=true), where that is a failure: scripts/bootstrap-
system.sh --server (run by `make test`) installs them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ADMIN = "clinic_admin"
TEST_ACCOUNT = "sijoint-test-pg"
ROOMS = ("room_a", "room_b", "room_c")
_MIN_VERSION = 15


def find_bindir() -> Path | None:
    """The folder with initdb and pg_ctl of a PostgreSQL >= 15, newest first."""
    candidates = []
    given = os.environ.get("SIJOINT_EXAM_PG_BINDIR")
    if given:
        candidates.append(Path(given))
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(debian)
    for folder in candidates:
        initdb = folder / "initdb"
        if not (initdb.is_file() and (folder / "pg_ctl").is_file()):
            continue
        out = subprocess.run(
            [initdb, "--version"], capture_output=True, text=True, check=False
        ).stdout
        found = re.search(r"(\d+)", out)
        if found and int(found.group(1)) >= _MIN_VERSION:
            return folder
    return None


def _account() -> str | None:
    """The unprivileged account to run the server as (None: the current one)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", TEST_ACCOUNT):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        [
            "useradd",
            "--system",
            "--no-create-home",
            "--shell",
            "/usr/sbin/nologin",
            TEST_ACCOUNT,
        ],
        check=True,
    )
    return TEST_ACCOUNT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_folder(account: str | None) -> Path:
    """A new temporary folder the server's account owns. Under /tmp when another
    account runs the server: $TMPDIR may be a folder only root can enter."""
    parent = "/tmp" if account is not None and os.path.isdir("/tmp") else None
    folder = Path(tempfile.mkdtemp(prefix="sijoint-clinic-server-", dir=parent))
    if account is not None:
        shutil.chown(folder, account)
    return folder


@dataclass
class ClinicServer:
    """The running test server, and what the tests ask of it."""

    bindir: Path
    folder: Path
    account: str | None
    port: int = field(default_factory=_free_port)
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, role: str = ADMIN, database: str = "postgres") -> str:
        return f"postgresql://{role}@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str | Path) -> None:
        environment = {
            key: value for key, value in os.environ.items() if not key.startswith("PG")
        }
        done = subprocess.run(
            [str(part) for part in command],
            user=self.account,
            cwd=self.folder,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}")

    def initdb(self) -> None:
        self._run(
            self.bindir / "initdb",
            "-D",
            self.data,
            "-U",
            ADMIN,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port}"
            " -c unix_socket_directories='' -c fsync=off -c full_page_writes=off"
            " -c synchronous_commit=off -c max_connections=40"
        )
        self._run(
            self.bindir / "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            self.data,
            "-l",
            self.folder / "server.log",
            "-o",
            options,
        )

    def start_on_a_free_port(self, tries: int = 3) -> None:
        """Start; if another process took the port meanwhile, try another."""
        for attempt in range(tries):
            try:
                self.start()
                return
            except RuntimeError:
                if attempt == tries - 1:
                    raise
                self.port = _free_port()

    def stop(self) -> None:
        self._run(self.bindir / "pg_ctl", "stop", "-w", "-m", "fast", "-D", self.data)

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        """The server down for the block (a room offline), up again after it."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    def admin_execute(self, statement: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database=database), autocommit=True) as conn:
            conn.execute(statement)

    def new_database(self) -> str:
        name = f"clinic_{next(self._names)}"
        self.admin_execute(f"CREATE DATABASE {name}")
        return name


@pytest.fixture(scope="session")
def clinic_server() -> Iterator[ClinicServer]:
    """The session's PostgreSQL, with login roles room_a, room_b and room_c."""
    bindir = find_bindir()
    if bindir is None:
        reason = (
            "no PostgreSQL >= 15 server binaries (initdb, pg_ctl) found; install "
            "them with scripts/bootstrap-system.sh --server (make test does)"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    account = _account()
    folder = server_folder(account)
    server = ClinicServer(bindir, folder, account)
    try:
        server.initdb()
        server.start_on_a_free_port()
        for role in ROOMS:
            server.admin_execute(f"CREATE ROLE {role} LOGIN")
        yield server
    finally:
        with contextlib.suppress(RuntimeError):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Clinic:
    """One fresh clinic database on the test server, `server init` done."""

    server: ClinicServer
    database: str

    def url(self, role: str = ADMIN) -> str:
        return self.server.url(role, self.database)

    def connect(self, role: str = ADMIN):
        import psycopg

        conn = psycopg.connect(self.url(role), autocommit=True)
        conn.execute("SET search_path TO sijoint_exam")
        return conn


@pytest.fixture
def clinic(clinic_server: ClinicServer) -> Clinic:
    """A new clinic database with the schema, and the rooms in the group role."""
    from sijoint_exam.store.server import admin

    database = clinic_server.new_database()
    clinic = Clinic(clinic_server, database)
    admin.initialise(clinic.url())
    for role in ROOMS:
        clinic_server.admin_execute(f"GRANT sijoint_exam_workstation TO {role}")
    return clinic
