"""Real services for the delivery tests: an S3-compatible server (``moto_server`` in a
subprocess on a free 127.0.0.1 port), a TCP endpoint that accepts and never answers, and
``scrapy crawl`` runs as subprocesses (started, watched, killed)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from newsbot.localservices import free_port
from newsbot.localservices import wait_port as _wait_port
from tests.crawling import REPO, crawl_env, written_feeds
from tests.recordschema import assert_valid

MOTO_SERVER = str(Path(sys.executable).with_name("moto_server"))
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY-newsbot-test"


class MotoServer:
    """``moto_server -H 127.0.0.1 -p PORT`` in a subprocess; can be stopped and restarted on
    the same port (a restart starts empty: moto keeps its data in memory)."""

    def __init__(self, port: int | None = None, *, auth: bool = False):
        self.port = port or free_port()
        self.auth = auth
        self.proc: subprocess.Popen[bytes] | None = None
        self.access_key = ACCESS_KEY
        self.secret_key = SECRET_KEY

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> MotoServer:
        """Start the server and wait until it answers."""
        env = dict(os.environ)
        if self.auth:
            # Requests are checked against moto's IAM users after the first three, which
            # create the user, its key and its policy.
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"
        self.proc = subprocess.Popen(
            [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(self.port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_port(self.port)
        if self.auth:
            self._make_user()
        return self

    def _make_user(self) -> None:
        iam = boto3.client(
            "iam",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="bootstrap",
            aws_secret_access_key="bootstrap",
        )
        iam.create_user(UserName="newsbot")
        key = iam.create_access_key(UserName="newsbot")["AccessKey"]
        policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }
        iam.put_user_policy(UserName="newsbot", PolicyName="all", PolicyDocument=json.dumps(policy))
        self.access_key, self.secret_key = key["AccessKeyId"], key["SecretAccessKey"]

    def stop(self) -> None:
        """Stop the server (its data is gone)."""
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def client(self) -> Any:
        """A boto3 S3 client with the server's credentials."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def new_bucket(self) -> str:
        """Create a bucket with a fresh name; return the name."""
        name = f"newsbot-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return name

    def env(self, **extra: str) -> dict[str, str]:
        """Environment variables a crawl needs to deliver to this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            **extra,
        }

    def objects(self, bucket: str) -> dict[str, bytes]:
        """Every object in ``bucket``: key -> bytes."""
        client = self.client()
        out = {}
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for obj in page.get("Contents", []):
                out[obj["Key"]] = client.get_object(Bucket=bucket, Key=obj["Key"])["Body"].read()
        return out


@pytest.fixture(scope="session")
def moto() -> Iterator[MotoServer]:
    """One S3 server for the session (tests use their own buckets)."""
    server = MotoServer().start()
    try:
        yield server
    finally:
        server.stop()


class SilentEndpoint:
    """Accepts TCP connections and never answers (a hung S3 endpoint)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])
        self.conns: list[socket.socket] = []
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self) -> None:
        """Stop accepting and drop every connection."""
        self._stop = True
        for conn in self.conns:
            conn.close()
        self.sock.close()


# -- crawls -----------------------------------------------------------------------------------


def env_for(base_url: str, **extra: str) -> dict[str, str]:
    """A crawl environment for the sample web at ``base_url``, without AWS variables from the
    outer environment, plus ``extra``."""
    env = {k: v for k, v in crawl_env(base_url).items() if not k.startswith(("AWS_", "NEWSBOT_S3"))}
    env.update(extra)
    return env


def crawl_cmd(outlets: str, *args: str) -> list[str]:
    """``python -m scrapy crawl bn_world -a outlets=... ARGS``."""
    return [sys.executable, "-m", "scrapy", "crawl", "bn_world", "-a", f"outlets={outlets}", *args]


def run(
    workdir: Path, env: dict[str, str], outlets: str, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a crawl to its end in ``workdir``; the local feeds it wrote are checked against the
    record schema."""
    workdir.mkdir(parents=True, exist_ok=True)
    before = set(workdir.rglob("*.jsonl"))
    proc = subprocess.run(
        crawl_cmd(outlets, *args),
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    written_feeds(workdir, before)
    return proc


def deliver(workdir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m newsbot deliver`` in ``workdir``."""
    return subprocess.run(
        [sys.executable, "-m", "newsbot", "deliver", *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def start(workdir: Path, env: dict[str, str], outlets: str, *args: str) -> subprocess.Popen[str]:
    """Start a crawl in ``workdir``; its log goes to ``workdir/crawl.log``."""
    workdir.mkdir(parents=True, exist_ok=True)
    with open(workdir / "crawl.log", "w", encoding="utf-8") as log:  # the child keeps its copy
        return subprocess.Popen(
            crawl_cmd(outlets, *args), cwd=workdir, env=env, stdout=log, stderr=log, text=True
        )


def wait_for(predicate: Callable[[], Any], timeout: float = 120, what: str = "condition") -> Any:
    """Poll ``predicate`` every 20 ms until it returns something true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def why(proc: subprocess.CompletedProcess[str]) -> str:
    """What to show when a crawl's exit code is not the expected one: its ERROR and WARNING
    lines, tracebacks, and the end of its log."""
    log = proc.stderr or ""
    lines = [ln for ln in log.splitlines() if "] ERROR:" in ln or "] WARNING:" in ln
             or "Error" in ln or "Traceback" in ln]
    return f"exit {proc.returncode}\n" + "\n".join(lines[:40]) + "\n...\n" + log[-1500:]


def kill(proc: subprocess.Popen[str]) -> None:
    """SIGKILL the crawl and reap it."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def spool_manifests(workdir: Path) -> list[dict[str, Any]]:
    """Manifests of the spool entries in ``workdir``."""
    spool = workdir / ".newsbot" / "spool"
    out = []
    for path in sorted(spool.glob("*.json")):
        with contextlib.suppress(OSError, ValueError):
            out.append(json.loads(path.read_text(encoding="utf-8")))
    return out


def feed_lines(data: bytes) -> list[dict[str, Any]]:
    """Records of a feed file's bytes (gzip or plain JSON Lines), checked against the record
    schema."""
    import gzip

    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    records = [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
    assert_valid(records, "in a feed")
    return records


def local_feed_records(workdir: Path) -> list[dict[str, Any]]:
    """Records of every main feed under ``workdir/feeds``."""
    out = []
    for path in sorted((workdir / "feeds").rglob("*.jsonl")):
        if path.name.endswith(".rejects.jsonl"):
            continue
        out.extend(feed_lines(path.read_bytes()))
    return out


__all__ = ["REPO", "MotoServer", "SilentEndpoint", "moto"]
