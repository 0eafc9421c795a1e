"""The state store in PostgreSQL (``NEWSBOT_STATE_URL=postgresql://…``), shared by every worker
of a scaled-out crawl.

Same behaviour as :class:`newsbot.state.sqlite.SQLiteStateStore` — fingerprints and first/last seen,
revisions, the refetch window's look-ups, pending and delivered versions, run history for the
canary — plus what several workers need:

* **claims** (table ``claims``): before a worker emits a version of an article (canonical URL +
  revision number) it claims it in one ``INSERT … ON CONFLICT DO UPDATE … WHERE`` statement; only
  one worker gets it, even if two workers cleaned the page slightly differently. A claim is a
  lease (``NEWSBOT_CLAIM_LEASE_SECONDS``) that the worker's heartbeat extends; once the version
  is in a sealed spool entry or delivered, the claim holds for good. A worker that dies (even
  SIGKILL) stops renewing, so its claims lapse and the next run emits those articles; a worker
  that closes releases its unfinished claims at once.
* **pending marks per spool** (column ``spool``): each worker has its own spool and forgets only
  its own pending marks.
* **learned templates** (table ``templates``), merged between workers.

The schema lives in its own PostgreSQL schema (``NEWSBOT_STATE_SCHEMA``, default ``newsbot``),
is created and migrated by newsbot (:mod:`newsbot.state.migrations`). Each concern's SQL is in
its own module (:mod:`~newsbot.state.articles`, :mod:`~newsbot.state.ledger` with the claims,
:mod:`~newsbot.state.runs`); this module holds the connection and the learned templates.
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from scrapy.settings import BaseSettings

from newsbot import clock, conf, default_settings
from newsbot.services import STATE_URL_SETTING, ServiceUnavailable, redact_url, setting_or_env
from newsbot.state.articles import PostgresArticles
from newsbot.state.ledger import PostgresLedger
from newsbot.state.migrations import migrate_postgres
from newsbot.state.runs import PostgresRuns
from newsbot.state.store import StateStore

logger = logging.getLogger(__name__)

T = TypeVar("T")
CONNECT_TIMEOUT = 10
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def default_spool_id(spool_dir: str) -> str:
    """This machine's name and the spool's absolute path: one per worker's spool."""
    return f"{socket.gethostname()}:{Path(spool_dir).resolve()}"


class PostgresStateStore(PostgresArticles, PostgresLedger, PostgresRuns, StateStore):
    """The state in PostgreSQL (psycopg 3); one connection per process, used under a lock
    (deliveries run in worker threads). A broken connection is opened again on the next call."""

    def __init__(
        self,
        url: str,
        *,
        schema: str = default_settings.NEWSBOT_STATE_SCHEMA,
        spool_id: str = "",
        owner: str = "",
        lease_seconds: float = default_settings.NEWSBOT_CLAIM_LEASE_SECONDS,
    ):
        if not _SCHEMA_NAME.match(schema):
            raise ValueError(f"bad PostgreSQL schema name {schema!r}")
        self.url = url
        self.label = redact_url(url)
        self.schema = schema
        self.spool_id = spool_id or default_spool_id(".newsbot/spool")
        self.owner = owner or self.spool_id
        self.lease = timedelta(seconds=lease_seconds)
        self._lock = threading.RLock()
        self._conn: Any = None
        self._closed = False
        with self._lock:
            self._connect()
            self._migrate()

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> PostgresStateStore:
        from newsbot.cluster.config import ClusterConfig

        url = setting_or_env(settings, STATE_URL_SETTING)
        config = ClusterConfig.from_settings(settings)
        return cls(
            url,
            schema=setting_or_env(settings, "NEWSBOT_STATE_SCHEMA"),
            spool_id=default_spool_id(conf.get_or_default(settings, "NEWSBOT_SPOOL_DIR")),
            owner=config.owner,
            lease_seconds=conf.getfloat(settings, "NEWSBOT_CLAIM_LEASE_SECONDS"),
        )

    # -- connection ----------------------------------------------------------------------------

    def _connect(self) -> None:
        import psycopg

        try:
            self._conn = psycopg.connect(
                self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                application_name="newsbot",
            )
        except psycopg.Error as exc:
            raise ServiceUnavailable(
                f"PostgreSQL state store {self.label} is unreachable: {_one_line(exc)}"
            ) from None

    def _q(self, sql: str) -> str:
        return sql.replace("{s}", self.schema)

    def _run(self, work: Callable[[Any], T]) -> T:
        """Run ``work(connection)`` under the lock; reconnect once if the connection broke."""
        import psycopg

        with self._lock:
            if self._closed:
                raise ServiceUnavailable(f"state store {self.label} is closed")
            for attempt in (1, 2):
                try:
                    if self._conn is None or self._conn.closed:
                        self._connect()
                    return work(self._conn)
                except psycopg.OperationalError as exc:
                    if self._conn is not None and not self._conn.closed and not self._conn.broken:
                        raise
                    self._conn = None
                    if attempt == 2:
                        raise ServiceUnavailable(
                            f"PostgreSQL state store {self.label} failed: {_one_line(exc)}"
                        ) from None
            raise AssertionError("unreachable")

    def _migrate(self) -> None:
        migrate_postgres(self._conn, self.schema, self.label)

    def schema_version(self) -> int:
        """The schema version in the database."""
        row = self._run(
            lambda c: c.execute(self._q("SELECT max(version) FROM {s}.schema_version")).fetchone()
        )
        return int(row[0] or 0)

    # -- learned templates ---------------------------------------------------------------------

    def load_templates(self, name: str) -> dict[str, Any] | None:
        """The learned-templates document ``name`` (None when there is none)."""
        row = self._run(
            lambda c: c.execute(
                self._q("SELECT doc FROM {s}.templates WHERE name = %s"), (name,)
            ).fetchone()
        )
        return _jsonb(row[0]) if row else None

    def save_templates(
        self, name: str, doc: dict[str, Any],
        merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any]:
        """Store ``doc`` merged (``merge(stored, doc)``) with what other workers stored, in one
        transaction (the row is locked while merging); returns the stored document."""
        now = clock.now()

        def work(c: Any) -> dict[str, Any]:
            with c.transaction():
                c.execute(
                    self._q(
                        "INSERT INTO {s}.templates VALUES (%s, '{}'::jsonb, %s)"
                        " ON CONFLICT (name) DO NOTHING"
                    ),
                    (name, now),
                )
                row = c.execute(
                    self._q("SELECT doc FROM {s}.templates WHERE name = %s FOR UPDATE"), (name,)
                ).fetchone()
                merged = merge(_jsonb(row[0]) or {}, doc)
                c.execute(
                    self._q("UPDATE {s}.templates SET doc = %s, updated_at = %s WHERE name = %s"),
                    (json.dumps(merged, ensure_ascii=False), now, name),
                )
            return merged

        return self._run(work)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                try:
                    self._conn.close()
                except Exception:  # closing a broken connection must not fail the run
                    logger.debug("closing the state store connection failed", exc_info=True)
                self._conn = None


def _jsonb(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
