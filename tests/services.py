"""Real Redis and PostgreSQL servers for the scale-out tests, started from the Debian packages
on free 127.0.0.1 ports, in throwaway folders, and stopped at the end.

``initdb`` refuses to run as root: when the tests run as root, the cluster is created and run
as the unprivileged user ``nobody`` (``runuser``), in a folder that user owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.s3server import _wait_port, free_port


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} not found (Debian package postgresql)")
    return found[-1]


class RedisServer:
    """``redis-server`` on 127.0.0.1 without persistence (a restart starts empty)."""

    def __init__(self, port: int | None = None, password: str = ""):
        self.port = port or free_port()
        self.password = password
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://[:password@]127.0.0.1:PORT/0``."""
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        """Start the server and wait until it listens."""
        cmd = ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
               "--appendonly", "no", "--protected-mode", "no"]
        if self.password:
            cmd += ["--requirepass", self.password]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_port(self.port)
        return self

    def stop(self) -> None:
        """Stop the server (its data is gone)."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
            self.proc = None

    def restart(self) -> None:
        """Stop and start again on the same port: every key is gone."""
        self.stop()
        self.start()

    def client(self):  # type: ignore[no-untyped-def]
        """A redis-py client."""
        import redis

        return redis.Redis.from_url(self.url)


class PostgresServer:
    """A throwaway PostgreSQL cluster (``initdb`` + ``pg_ctl``) on a free 127.0.0.1 port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="newsbot-pg-"))
        self.data = self.dir / "data"
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "nobody"
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.running = False

    def _run(self, *cmd: str) -> None:
        full = list(cmd)
        if self.user:
            full = ["runuser", "-u", self.user, "--", *full]
        subprocess.run(full, check=True, capture_output=True, cwd=self.dir)

    @property
    def url(self) -> str:
        """``postgresql://newsbot@127.0.0.1:PORT/postgres`` (trust authentication)."""
        return f"postgresql://newsbot@127.0.0.1:{self.port}/postgres"

    def init(self) -> PostgresServer:
        """Create the cluster (superuser ``newsbot``)."""
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "newsbot", "--auth=trust",
                  "-E", "UTF8", "--no-sync")
        return self

    def start(self) -> PostgresServer:
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
                   " -c max_connections=60")
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.dir / "server.log"), "-w", "start")
        _wait_port(self.port)
        self.running = True
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are cut)."""
        if self.running:
            self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
            self.running = False

    def remove(self) -> None:
        """Stop and delete the cluster."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def new_schema() -> str:
    """A fresh state schema name (each test's own tables on the shared server)."""
    return f"t_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session (tests use their own schemas)."""
    server = PostgresServer().init().start()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A Redis server of the test's own."""
    server = RedisServer().start()
    try:
        yield server
    finally:
        server.stop()

