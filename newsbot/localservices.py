"""Throwaway Redis and PostgreSQL servers on 127.0.0.1, from the Debian packages
(``redis-server``, ``postgresql``), for ``make demo-cluster`` and the tests.

``initdb`` refuses to run as root: as root, the cluster is created and run as the unprivileged
user ``nobody`` (``runuser``), in a folder that user owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_port(port: int, timeout: float = 15.0) -> None:
    """Wait until something listens on 127.0.0.1:``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def pg_bin(name: str) -> str:
    """Path of a PostgreSQL server program (newest installed version)."""
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
               "--appendonly", "no"]
        if self.password:
            cmd += ["--requirepass", self.password]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env=service_env())
        wait_port(self.port)
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


def service_env() -> dict[str, str]:
    """The environment for a local service: this one, without a shifted clock (libfaketime's
    ``LD_PRELOAD``/``FAKETIME``): only newsbot's clock is moved, never a server's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME")}
    preload = " ".join(x for x in env.get("LD_PRELOAD", "").split() if "faketime" not in x)
    if preload:
        env["LD_PRELOAD"] = preload
    else:
        env.pop("LD_PRELOAD", None)
    return env


class PostgresServer:
    """A throwaway PostgreSQL cluster (``initdb`` + ``pg_ctl``) in ``directory``, on a free
    127.0.0.1 port, superuser ``newsbot`` with trust authentication (loopback only)."""

    def __init__(self, directory: str | os.PathLike[str]):
        self.port = free_port()
        self.dir = Path(directory).resolve()
        self.dir.mkdir(parents=True, exist_ok=True)
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
        subprocess.run(full, check=True, capture_output=True, cwd=self.dir, env=service_env())

    @property
    def url(self) -> str:
        """``postgresql://newsbot@127.0.0.1:PORT/postgres``."""
        return f"postgresql://newsbot@127.0.0.1:{self.port}/postgres"

    def init(self) -> PostgresServer:
        """Create the cluster."""
        self._run(pg_bin("initdb"), "-D", str(self.data), "-U", "newsbot", "--auth=trust",
                  "-E", "UTF8", "--no-sync")
        return self

    def start(self) -> PostgresServer:
        """Start the server and wait until it accepts connections."""
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
                   " -c max_connections=60")
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l",
                  str(self.dir / "server.log"), "-w", "start")
        wait_port(self.port)
        self.running = True
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are cut)."""
        if self.running:
            self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
            self.running = False

    def remove(self) -> None:
        """Stop and delete the cluster's folder."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
