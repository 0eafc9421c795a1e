"""Real Redis and PostgreSQL servers for the scale-out tests (:mod:`newsbot.localservices`),
started on free 127.0.0.1 ports in throwaway folders and stopped at the end."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator

import pytest

from newsbot.localservices import PostgresServer, RedisServer


def new_postgres() -> PostgresServer:
    """A new, started PostgreSQL server in a fresh temporary folder."""
    return PostgresServer(tempfile.mkdtemp(prefix="newsbot-pg-")).init().start()


def new_schema() -> str:
    """A fresh state schema name (each test's own tables on the shared server)."""
    return f"t_{uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the session (tests use their own schemas)."""
    server = new_postgres()
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


__all__ = ["PostgresServer", "RedisServer", "new_postgres", "new_schema", "postgres",
           "redis_server"]
