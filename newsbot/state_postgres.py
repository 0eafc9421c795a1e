"""The state store in PostgreSQL (``NEWSBOT_STATE_URL=postgresql://…``), shared by every worker
of a scaled-out crawl.

Same behaviour as :class:`newsbot.state.SQLiteStateStore` — fingerprints and first/last seen,
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
is created and migrated by newsbot (table ``schema_version``, one transaction per migration,
under an advisory lock so that workers starting together migrate once).
"""

from __future__ import annotations

import json
import logging
import re
import socket
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from scrapy.settings import BaseSettings

from newsbot import clock, conf, default_settings
from newsbot.services import STATE_URL_SETTING, ServiceUnavailable, redact_url, setting_or_env
from newsbot.state import (
    ArticleState,
    FeedRecord,
    OutletRun,
    RunRecord,
    StateStore,
    Version,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")
CONNECT_TIMEOUT = 10
_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

#: Migrations, in order; ``{s}`` is the schema. Never edit one that shipped: append another.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE {s}.articles (
        canonical_url TEXT PRIMARY KEY,
        url TEXT,
        outlet_id TEXT,
        fingerprint TEXT,
        published TEXT,
        first_seen TIMESTAMPTZ NOT NULL,
        last_seen TIMESTAMPTZ NOT NULL,
        delivered_fingerprint TEXT,
        delivered_revision INTEGER,
        delivered_at TIMESTAMPTZ,
        delivered_to TEXT
    );
    CREATE TABLE {s}.aliases (url TEXT PRIMARY KEY, canonical_url TEXT NOT NULL);
    CREATE TABLE {s}.pending (
        spool TEXT NOT NULL,
        entry_id TEXT NOT NULL,
        canonical_url TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        revision INTEGER NOT NULL,
        PRIMARY KEY (spool, entry_id, canonical_url)
    );
    CREATE INDEX pending_by_url ON {s}.pending (canonical_url);
    CREATE TABLE {s}.runs (
        run_id TEXT PRIMARY KEY,
        spider TEXT NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ NOT NULL,
        finish_reason TEXT NOT NULL,
        exit_code INTEGER
    );
    CREATE TABLE {s}.outlet_runs (
        run_id TEXT NOT NULL REFERENCES {s}.runs (run_id) ON DELETE CASCADE,
        outlet_id TEXT NOT NULL,
        found INTEGER NOT NULL,
        parsed INTEGER NOT NULL,
        coverage JSONB NOT NULL,
        tripped BOOLEAN NOT NULL DEFAULT FALSE,
        PRIMARY KEY (run_id, outlet_id)
    );
    CREATE TABLE {s}.claims (
        canonical_url TEXT NOT NULL,
        revision INTEGER NOT NULL,
        owner TEXT NOT NULL,
        claimed_at TIMESTAMPTZ NOT NULL,
        lease_until TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (canonical_url, revision)
    );
    CREATE INDEX claims_by_owner ON {s}.claims (owner);
    CREATE TABLE {s}.templates (
        name TEXT PRIMARY KEY,
        doc JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
    );
    """,
    # Source fingerprints (revisions only when the page changed), and the store's delivery mark.
    """
    ALTER TABLE {s}.articles ADD COLUMN source TEXT;
    ALTER TABLE {s}.articles ADD COLUMN delivered_source TEXT;
    ALTER TABLE {s}.pending ADD COLUMN source TEXT;
    CREATE INDEX articles_by_outlet ON {s}.articles (outlet_id, first_seen);
    CREATE TABLE {s}.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO {s}.meta VALUES ('store_id', md5(random()::text || clock_timestamp()::text)),
                                ('generation', '0');
    """,
    # Checkpoints of long jobs (a backfill's file and offset).
    """
    CREATE TABLE {s}.checkpoints (
        name TEXT PRIMARY KEY,
        value JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
    );
    """,
    # Conditional refetches: when a page was last fetched and the validators of what it held.
    """
    ALTER TABLE {s}.articles ADD COLUMN fetched_at TIMESTAMPTZ;
    ALTER TABLE {s}.articles ADD COLUMN etag TEXT;
    ALTER TABLE {s}.articles ADD COLUMN last_modified TEXT;
    ALTER TABLE {s}.articles ADD COLUMN validated_fingerprint TEXT;
    """,
)

_BASELINE = (
    "SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o.outlet_id"
    " ORDER BY r.finished_at DESC, r.run_id DESC) AS rank"
    " FROM {s}.outlet_runs o JOIN {s}.runs r ON r.run_id = o.run_id"
    " WHERE r.spider = %s AND NOT o.tripped"
)


def default_spool_id(spool_dir: str) -> str:
    """This machine's name and the spool's absolute path: one per worker's spool."""
    return f"{socket.gethostname()}:{Path(spool_dir).resolve()}"


class PostgresStateStore(StateStore):
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
        conn = self._conn
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"newsbot:{self.schema}",))
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {self.schema}")
            conn.execute(self._q("CREATE TABLE IF NOT EXISTS {s}.schema_version (version INTEGER)"))
            row = conn.execute(self._q("SELECT max(version) FROM {s}.schema_version")).fetchone()
            current = row[0] or 0
            for number, sql in enumerate(MIGRATIONS, start=1):
                if number <= current:
                    continue
                conn.execute(self._q(sql))
                conn.execute(self._q("INSERT INTO {s}.schema_version VALUES (%s)"), (number,))
                logger.info("State store %s: schema migrated to version %d", self.label, number)

    def schema_version(self) -> int:
        """The schema version in the database."""
        row = self._run(
            lambda c: c.execute(self._q("SELECT max(version) FROM {s}.schema_version")).fetchone()
        )
        return int(row[0] or 0)

    # -- reading -------------------------------------------------------------------------------

    def lookup(self, canonical_url: str) -> ArticleState | None:
        def work(c: Any) -> tuple[Any, Any]:
            row = c.execute(
                self._q(
                    "SELECT url, outlet_id, fingerprint, published, first_seen, last_seen,"
                    " delivered_fingerprint, delivered_revision, delivered_at, delivered_to,"
                    " source, delivered_source, fetched_at, etag, last_modified,"
                    " validated_fingerprint"
                    " FROM {s}.articles WHERE canonical_url = %s"
                ),
                (canonical_url,),
            ).fetchone()
            pending = c.execute(
                self._q(
                    "SELECT fingerprint, revision, source FROM {s}.pending"
                    " WHERE canonical_url = %s"
                    " ORDER BY revision DESC LIMIT 1"
                ),
                (canonical_url,),
            ).fetchone()
            return row, pending

        row, pending = self._run(work)
        if row is None and pending is None:
            return None
        state = ArticleState(canonical_url=canonical_url)
        if row is not None:
            (state.url, state.outlet_id, state.fingerprint, state.published,
             state.first_seen, state.last_seen) = row[:6]
            state.source = row[10]
            (state.fetched_at, state.etag, state.last_modified,
             state.validated_fingerprint) = row[12:16]
            if row[6] is not None:
                state.delivered = Version(row[6], row[7], row[11])
                state.delivered_at = row[8]
                state.delivered_to = row[9]
        if pending is not None:
            state.pending = Version(pending[0], pending[1], pending[2])
        return state

    def lookup_url(self, url: str) -> ArticleState | None:
        state = self.lookup(url)
        if state is not None:
            return state
        row = self._run(
            lambda c: c.execute(
                self._q("SELECT canonical_url FROM {s}.aliases WHERE url = %s"), (url,)
            ).fetchone()
        )
        return self.lookup(row[0]) if row else None

    # -- writing -------------------------------------------------------------------------------

    def record_seen(
        self,
        canonical_url: str,
        *,
        fingerprint: str,
        url: str | None = None,
        outlet_id: str | None = None,
        published: str | None = None,
        when: datetime | None = None,
        source: str | None = None,
    ) -> None:
        now = when or clock.now()

        def work(c: Any) -> None:
            with c.transaction():
                c.execute(
                    self._q(
                        "INSERT INTO {s}.articles AS a (canonical_url, url, outlet_id,"
                        " fingerprint, published, first_seen, last_seen, source)"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                        " ON CONFLICT (canonical_url) DO UPDATE SET url = EXCLUDED.url,"
                        " outlet_id = COALESCE(EXCLUDED.outlet_id, a.outlet_id),"
                        " fingerprint = EXCLUDED.fingerprint,"
                        " source = EXCLUDED.source,"
                        " published = COALESCE(EXCLUDED.published, a.published),"
                        " last_seen = EXCLUDED.last_seen"
                    ),
                    (canonical_url, url, outlet_id, fingerprint, published, now, now, source),
                )
                if url and url != canonical_url:
                    c.execute(
                        self._q(
                            "INSERT INTO {s}.aliases (url, canonical_url) VALUES (%s, %s)"
                            " ON CONFLICT (url) DO UPDATE"
                            " SET canonical_url = EXCLUDED.canonical_url"
                        ),
                        (url, canonical_url),
                    )

        self._run(work)

    def record_fetch(
        self,
        canonical_url: str,
        *,
        when: datetime | None = None,
        fingerprint: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        now = when or clock.now()
        if fingerprint is None:  # a 304: the validators kept stand
            sql = "UPDATE {s}.articles SET fetched_at = %s WHERE canonical_url = %s"
            params: tuple[Any, ...] = (now, canonical_url)
        else:
            sql = ("UPDATE {s}.articles SET fetched_at = %s, etag = %s, last_modified = %s,"
                   " validated_fingerprint = %s WHERE canonical_url = %s")
            params = (now, etag, last_modified, fingerprint, canonical_url)
        self._run(lambda c: c.execute(self._q(sql), params))

    def _hold_claims(self, c: Any, records: Sequence[FeedRecord], now: datetime) -> None:
        """Claims of these versions hold for good (they are spooled or delivered)."""
        c.cursor().executemany(
            self._q(
                "INSERT INTO {s}.claims (canonical_url, revision, owner, claimed_at,"
                " lease_until) VALUES (%s, %s, %s, %s, 'infinity')"
                " ON CONFLICT (canonical_url, revision) DO UPDATE SET lease_until = 'infinity'"
            ),
            [(r.canonical_url, r.revision, self.owner, now) for r in records],
        )

    def mark_pending(self, entry_id: str, records: Iterable[FeedRecord]) -> None:
        records = list(records)
        now = clock.now()

        def work(c: Any) -> None:
            with c.transaction():
                c.cursor().executemany(
                    self._q(
                        # the source fingerprint of the article's last sighting, when that
                        # sighting was of this very version
                        "INSERT INTO {s}.pending (spool, entry_id, canonical_url, fingerprint,"
                        " revision, source) VALUES (%s, %s, %s, %s, %s, (SELECT source FROM"
                        " {s}.articles WHERE canonical_url = %s AND fingerprint = %s))"
                        " ON CONFLICT (spool, entry_id, canonical_url) DO UPDATE SET"
                        " fingerprint = EXCLUDED.fingerprint, revision = EXCLUDED.revision,"
                        " source = EXCLUDED.source"
                    ),
                    [
                        (self.spool_id, entry_id, r.canonical_url, r.fingerprint, r.revision,
                         r.canonical_url, r.fingerprint)
                        for r in records
                    ],
                )
                self._hold_claims(c, records, now)

        self._run(work)

    def mark_delivered(
        self,
        entry_id: str,
        records: Iterable[FeedRecord],
        *,
        target: str,
        when: datetime | None = None,
    ) -> int:
        records = list(records)
        now = when or clock.now()

        def work(c: Any) -> None:
            with c.transaction():
                c.cursor().executemany(
                    self._q(
                        "INSERT INTO {s}.articles AS a (canonical_url, url, outlet_id,"
                        " fingerprint, published, first_seen, last_seen, delivered_fingerprint,"
                        " delivered_revision, delivered_at, delivered_to, delivered_source)"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
                        # the version's source fingerprint: kept with its pending mark, else
                        # from the article's last sighting when that was this version
                        " COALESCE((SELECT p.source FROM {s}.pending p WHERE p.spool = %s"
                        " AND p.entry_id = %s AND p.canonical_url = %s AND p.fingerprint = %s"
                        " AND p.source IS NOT NULL LIMIT 1), (SELECT x.source FROM {s}.articles x"
                        " WHERE x.canonical_url = %s AND x.fingerprint = %s)))"
                        " ON CONFLICT (canonical_url) DO UPDATE SET"
                        " delivered_fingerprint = EXCLUDED.delivered_fingerprint,"
                        " delivered_revision = EXCLUDED.delivered_revision,"
                        " delivered_at = EXCLUDED.delivered_at,"
                        " delivered_to = EXCLUDED.delivered_to,"
                        " delivered_source = EXCLUDED.delivered_source"
                        " WHERE a.delivered_revision IS NULL"
                        " OR a.delivered_revision <= EXCLUDED.delivered_revision"
                    ),
                    [
                        (r.canonical_url, r.url, r.outlet_id, r.fingerprint, r.published, now,
                         now, r.fingerprint, r.revision, now, target,
                         self.spool_id, entry_id, r.canonical_url, r.fingerprint,
                         r.canonical_url, r.fingerprint)
                        for r in records
                    ],
                )
                if records:
                    c.execute(self._q(
                        "UPDATE {s}.meta SET value = (value::bigint + 1)::text"
                        " WHERE key = 'generation'"
                    ))
                self._hold_claims(c, records, now)
                c.execute(
                    self._q("DELETE FROM {s}.pending WHERE spool = %s AND entry_id = %s"),
                    (self.spool_id, entry_id),
                )

        self._run(work)
        return len(records)

    def _forget(self, c: Any, where: str, params: tuple[Any, ...]) -> None:
        """Delete this spool's pending marks matching ``where``; release their claims (the
        feed holding them is gone, so those versions must be emitted again)."""
        with c.transaction():
            gone = c.execute(
                self._q(
                    "DELETE FROM {s}.pending WHERE spool = %s AND " + where
                    + " RETURNING canonical_url, revision"
                ),
                (self.spool_id, *params),
            ).fetchall()
            c.cursor().executemany(
                self._q(
                    "UPDATE {s}.claims c SET lease_until = '-infinity'"
                    " WHERE c.canonical_url = %s AND c.revision = %s"
                    " AND NOT EXISTS (SELECT 1 FROM {s}.articles a"
                    " WHERE a.canonical_url = c.canonical_url"
                    " AND a.delivered_revision >= c.revision)"
                    " AND NOT EXISTS (SELECT 1 FROM {s}.pending p"
                    " WHERE p.canonical_url = c.canonical_url AND p.revision = c.revision)"
                ),
                [tuple(row) for row in gone],
            )

    def forget_pending(self, keep: Iterable[str]) -> int:
        keep = sorted(set(keep))

        def work(c: Any) -> int:
            before = c.execute(
                self._q("SELECT DISTINCT entry_id FROM {s}.pending WHERE spool = %s"),
                (self.spool_id,),
            ).fetchall()
            gone = [r[0] for r in before if r[0] not in keep]
            if gone:
                self._forget(c, "entry_id = ANY(%s)", (gone,))
            return len(gone)

        return self._run(work)

    def forget_entry(self, entry_id: str) -> int:
        def work(c: Any) -> int:
            count = c.execute(
                self._q("SELECT count(*) FROM {s}.pending WHERE spool = %s AND entry_id = %s"),
                (self.spool_id, entry_id),
            ).fetchone()[0]
            self._forget(c, "entry_id = %s", (entry_id,))
            return int(count)

        return self._run(work)

    def pending_records(self, entry_id: str) -> list[FeedRecord]:
        rows = self._run(
            lambda c: c.execute(
                self._q(
                    "SELECT canonical_url, fingerprint, revision FROM {s}.pending"
                    " WHERE spool = %s AND entry_id = %s ORDER BY canonical_url"
                ),
                (self.spool_id, entry_id),
            ).fetchall()
        )
        return [FeedRecord(r[0], r[1], r[2]) for r in rows]

    # -- claims --------------------------------------------------------------------------------

    def claim(self, canonical_url: str, revision: int) -> bool:
        """Claim revision ``revision`` of the article for this worker; False when another live
        worker holds it (or it is spooled or delivered already)."""
        now = clock.now()
        row = self._run(
            lambda c: c.execute(
                self._q(
                    "INSERT INTO {s}.claims AS k (canonical_url, revision, owner, claimed_at,"
                    " lease_until) VALUES (%s, %s, %s, %s, %s)"
                    " ON CONFLICT (canonical_url, revision) DO UPDATE SET"
                    " owner = EXCLUDED.owner, claimed_at = EXCLUDED.claimed_at,"
                    " lease_until = EXCLUDED.lease_until"
                    " WHERE k.lease_until <> 'infinity' AND (k.owner = EXCLUDED.owner"
                    " OR k.lease_until < EXCLUDED.claimed_at)"
                    " RETURNING owner"
                ),
                (canonical_url, revision, self.owner, now, now + self.lease),
            ).fetchone()
        )
        return row is not None

    def heartbeat(self) -> int:
        """Extend the lease of this worker's open claims; returns how many."""
        now = clock.now()
        return self._run(
            lambda c: c.execute(
                self._q(
                    "UPDATE {s}.claims SET lease_until = %s WHERE owner = %s"
                    " AND lease_until <> 'infinity' AND lease_until >= %s"
                ),
                (now + self.lease, self.owner, now),
            ).rowcount
        )

    def release_claims(self) -> int:
        """Give up this worker's open claims (at close: what it did not spool is free)."""
        return self._run(
            lambda c: c.execute(
                self._q(
                    "UPDATE {s}.claims SET lease_until = '-infinity' WHERE owner = %s"
                    " AND lease_until <> 'infinity'"
                ),
                (self.owner,),
            ).rowcount
        )

    # -- runs ----------------------------------------------------------------------------------

    def record_run(self, run: RunRecord) -> None:
        def work(c: Any) -> None:
            with c.transaction():
                c.execute(
                    self._q(
                        "INSERT INTO {s}.runs VALUES (%s, %s, %s, %s, %s, %s)"
                        " ON CONFLICT (run_id) DO UPDATE SET spider = EXCLUDED.spider,"
                        " started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,"
                        " finish_reason = EXCLUDED.finish_reason, exit_code = EXCLUDED.exit_code"
                    ),
                    (run.run_id, run.spider, run.started_at, run.finished_at,
                     run.finish_reason, run.exit_code),
                )
                c.execute(self._q("DELETE FROM {s}.outlet_runs WHERE run_id = %s"), (run.run_id,))
                c.cursor().executemany(
                    self._q("INSERT INTO {s}.outlet_runs VALUES (%s, %s, %s, %s, %s, %s)"),
                    [
                        (run.run_id, o.outlet_id, o.found, o.parsed,
                         json.dumps(o.coverage, sort_keys=True), o.tripped)
                        for o in run.outlets
                    ],
                )

        self._run(work)

    def _runs(self, c: Any, rows: list[Any], outlets_of: Callable[[str], list[Any]]) -> list:
        out = []
        for row in rows:
            out.append(
                RunRecord(
                    run_id=row[0],
                    spider=row[1],
                    started_at=row[2],
                    finished_at=row[3],
                    finish_reason=row[4],
                    exit_code=row[5],
                    outlets=[
                        OutletRun(o[1], found=o[2], parsed=o[3], coverage=_coverage(o[4]),
                                  tripped=bool(o[5]))
                        for o in outlets_of(row[0])
                    ],
                )
            )
        return out

    def recent_runs(self, spider: str, limit: int) -> list[RunRecord]:
        def work(c: Any) -> list[RunRecord]:
            rows = c.execute(
                self._q(
                    "SELECT * FROM {s}.runs WHERE spider = %s"
                    " ORDER BY finished_at DESC, run_id DESC LIMIT %s"
                ),
                (spider, limit),
            ).fetchall()
            query = self._q(
                "SELECT run_id, outlet_id, found, parsed, coverage, tripped FROM {s}.outlet_runs"
                " WHERE run_id = %s ORDER BY outlet_id"
            )
            return self._runs(c, rows, lambda rid: c.execute(query, (rid,)).fetchall())

        return self._run(work)

    def baseline_runs(self, spider: str, limit: int) -> list[RunRecord]:
        def work(c: Any) -> list[RunRecord]:
            base = self._q(_BASELINE)
            rows = c.execute(
                self._q(
                    f"SELECT r.* FROM {{s}}.runs r WHERE r.spider = %s AND r.run_id IN"
                    f" (SELECT run_id FROM ({base}) b WHERE rank <= %s)"
                    " ORDER BY r.finished_at DESC, r.run_id DESC"
                ),
                (spider, spider, limit),
            ).fetchall()
            query = (
                "SELECT run_id, outlet_id, found, parsed, coverage, tripped FROM"
                f" ({base}) b WHERE run_id = %s AND rank <= %s ORDER BY outlet_id"
            )
            return self._runs(
                c, rows, lambda rid: c.execute(query, (spider, rid, limit)).fetchall()
            )

        return self._run(work)

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

    # -- tools ---------------------------------------------------------------------------------

    def newest_first_seen(self, outlet_id: str) -> datetime | None:
        row = self._run(
            lambda c: c.execute(
                self._q("SELECT max(first_seen) FROM {s}.articles WHERE outlet_id = %s"),
                (outlet_id,),
            ).fetchone()
        )
        return row[0] if row else None

    def delivery_mark(self) -> tuple[str, int]:
        rows = self._run(
            lambda c: c.execute(self._q("SELECT key, value FROM {s}.meta")).fetchall()
        )
        values = dict(rows)
        return str(values["store_id"]), int(values["generation"])

    def get_checkpoint(self, name: str) -> dict[str, Any] | None:
        row = self._run(
            lambda c: c.execute(
                self._q("SELECT value FROM {s}.checkpoints WHERE name = %s"), (name,)
            ).fetchone()
        )
        return dict(row[0]) if row else None

    def set_checkpoint(self, name: str, value: dict[str, Any]) -> None:
        doc = json.dumps(value, sort_keys=True)
        self._run(
            lambda c: c.execute(
                self._q(
                    "INSERT INTO {s}.checkpoints (name, value, updated_at) VALUES (%s, %s, %s)"
                    " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value,"
                    " updated_at = EXCLUDED.updated_at"
                ),
                (name, doc, clock.now()),
            )
        )

    def delivered_urls(self) -> dict[str, Version]:
        """Every delivered canonical URL with its delivered version (for tests and tools)."""
        rows = self._run(
            lambda c: c.execute(
                self._q(
                    "SELECT canonical_url, delivered_fingerprint, delivered_revision"
                    " FROM {s}.articles WHERE delivered_fingerprint IS NOT NULL"
                )
            ).fetchall()
        )
        return {r[0]: Version(r[1], r[2]) for r in rows}

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


def _coverage(value: Any) -> dict[str, float | None]:
    data = _jsonb(value) or {}
    return {str(k): v for k, v in data.items()}


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]

