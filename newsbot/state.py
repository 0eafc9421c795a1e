"""Incremental crawl state: what each article looked like and what was delivered.

Per canonical URL the store keeps two fingerprints — of the cleaned title and body, and of the
source (title and body as extracted, before cleaning; see :mod:`newsbot.pipelines.source`) —,
first/last seen times, the published time, and the delivery state:

* **pending** — the article is in a feed file that is complete in the spool but not stored yet
  (it will be stored by the next run or ``python -m newsbot deliver``);
* **delivered** — the feed that holds it was stored; the fingerprint and revision delivered.

Runs also leave per-outlet records (articles found, field coverage) for the outlet canary.

:class:`StateStore` is the interface; :class:`SQLiteStateStore` (one SQLite file, setting
``NEWSBOT_STATE_PATH``) is the default backend; ``NEWSBOT_STATE_URL=postgresql://…`` selects
:class:`newsbot.state_postgres.PostgresStateStore`, shared by the workers of a scaled-out crawl.
Another backend is a class with the same methods named by ``NEWSBOT_STATE_BACKEND``.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import uuid
import weakref
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from newsbot import clock
from newsbot.services import STATE_URL_SETTING, setting_or_env
from newsbot.text import clean_line

DEFAULT_STATE_PATH = ".newsbot/state.sqlite3"
DEFAULT_BACKEND = "newsbot.state.SQLiteStateStore"
POSTGRES_BACKEND = "newsbot.state_postgres.PostgresStateStore"


# -- fingerprints ---------------------------------------------------------------------------------


def fingerprint(title: Any, body: Any) -> str:
    """Content fingerprint of an article: SHA-256 over its NFC, whitespace-collapsed title and
    body paragraphs (empty paragraphs ignored). ``body`` is a list of paragraphs or a string."""
    paragraphs = body.split("\n\n") if isinstance(body, str) else [str(p) for p in body or []]
    content = [clean_line(str(title or "")), [p for p in map(clean_line, paragraphs) if p]]
    blob = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time as an aware datetime (naive values are taken as UTC); None if unparsable."""
    if not value:
        return None
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


# -- records --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One delivered (or pending) version of an article: its cleaned fingerprint, revision and
    source fingerprint (None when unknown, e.g. delivered before the store kept it)."""

    fingerprint: str
    revision: int
    source: str | None = None

    def same_content(self, fingerprint: str, source: str | None) -> bool:
        """Whether an article now fingerprinted (``fingerprint``, ``source``) is this version:
        the cleaned text is the same, or the source is (only the cleaning changed)."""
        return self.fingerprint == fingerprint or (
            source is not None and self.source == source
        )


@dataclass(frozen=True)
class FeedRecord:
    """One feed line, as far as delivery bookkeeping is concerned."""

    canonical_url: str
    fingerprint: str
    revision: int = 0
    outlet_id: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass
class ArticleState:
    """What the store knows about one canonical URL."""

    canonical_url: str
    url: str | None = None
    outlet_id: str | None = None
    fingerprint: str | None = None
    source: str | None = None
    published: str | None = None
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    delivered: Version | None = None
    delivered_at: datetime | None = None
    delivered_to: str | None = None
    pending: Version | None = None
    #: When the article page was last fetched (answered with a body or with 304).
    fetched_at: datetime | None = None
    #: HTTP validators of the page and the fingerprint of the content they describe.
    etag: str | None = None
    last_modified: str | None = None
    validated_fingerprint: str | None = None

    def latest(self) -> Version | None:
        """The newest version delivered or waiting in the spool (highest revision)."""
        versions = [v for v in (self.delivered, self.pending) if v is not None]
        return max(versions, key=lambda v: v.revision) if versions else None

    @property
    def held(self) -> bool:
        """Whether some version of the article is delivered or about to be."""
        return self.latest() is not None

    def age_reference(self) -> datetime | None:
        """The time the article's age counts from: published time, else first seen."""
        return parse_time(self.published) or self.first_seen

    def validators(self) -> dict[str, str]:
        """Conditional-request headers (``If-None-Match``, ``If-Modified-Since``) for the page,
        only when they describe the content that is delivered or spooled: a "304 Not Modified"
        then means that content is still current. Empty when there is nothing safe to send."""
        latest = self.latest()
        if latest is None or not self.validated_fingerprint:
            return {}
        # The validators describe the content last seen; that content must be the one held
        # (same cleaned text, or same source when only the cleaning changed since).
        if self.validated_fingerprint != self.fingerprint:
            return {}
        if not latest.same_content(self.fingerprint, self.source):
            return {}
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


COVERAGE_FIELDS: tuple[str, ...] = ("title", "body", "published", "authors")


@dataclass
class OutletRun:
    """One outlet in one run: articles found (parsed plus skipped as already held), articles
    parsed, and the share of parsed articles with each field (None when none were parsed).
    ``new`` (articles emitted for the first time) is this run's only; it is not stored."""

    outlet_id: str
    found: int
    parsed: int
    coverage: dict[str, float | None] = field(default_factory=dict)
    tripped: bool = False
    new: int = 0


@dataclass
class RunRecord:
    """One finished run, as the canary compares it."""

    run_id: str
    spider: str
    started_at: datetime
    finished_at: datetime
    finish_reason: str
    exit_code: int | None = None
    outlets: list[OutletRun] = field(default_factory=list)


# -- interface ------------------------------------------------------------------------------------


class StateStore(ABC):
    """Persistent incremental state. Implementations must be safe to call from several threads
    (feed deliveries run in worker threads)."""

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> StateStore:
        """Build the store the settings describe."""
        raise NotImplementedError

    @abstractmethod
    def lookup(self, canonical_url: str) -> ArticleState | None:
        """The state of ``canonical_url`` (None when never seen)."""

    @abstractmethod
    def lookup_url(self, url: str) -> ArticleState | None:
        """The state of the article at ``url``: by canonical URL, else by a fetched-URL alias."""

    @abstractmethod
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
        """Note that the article was seen now with ``fingerprint`` and source fingerprint
        ``source`` (first_seen kept). A version spooled or delivered later takes its source
        fingerprint from here when its cleaned fingerprint is the one seen."""

    def record_fetch(
        self,
        canonical_url: str,
        *,
        when: datetime | None = None,
        fingerprint: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        """Note that the article page was fetched at ``when`` (its ``fetched_at``).

        With ``fingerprint``: the page came with a body whose cleaned content has that
        fingerprint, and ``etag``/``last_modified`` (its HTTP validators, None when absent)
        describe it. Without: the page answered "304 Not Modified"; the validators kept stand.

        The default does nothing: a backend that keeps no validators makes every refetch a full
        fetch and every scheduled refetch count from ``last_seen``."""
        return None

    @abstractmethod
    def mark_pending(self, entry_id: str, records: Iterable[FeedRecord]) -> None:
        """The records are in spool entry ``entry_id``, complete but not stored yet."""

    @abstractmethod
    def mark_delivered(
        self, entry_id: str, records: Iterable[FeedRecord], *, target: str, when: datetime | None
    ) -> int:
        """The feed from spool entry ``entry_id`` holding ``records`` was stored at ``target``.
        Returns the number of articles marked. Idempotent."""

    @abstractmethod
    def forget_pending(self, keep: Iterable[str]) -> int:
        """Drop pending marks of spool entries not in ``keep`` (entries that no longer exist)."""

    @abstractmethod
    def forget_entry(self, entry_id: str) -> int:
        """Drop the pending marks of spool entry ``entry_id`` (its feed is gone)."""

    @abstractmethod
    def pending_records(self, entry_id: str) -> list[FeedRecord]:
        """The records marked pending for spool entry ``entry_id``."""

    def iter_pending_records(self, entry_id: str) -> Iterator[FeedRecord]:
        """:meth:`pending_records`, one at a time (a store may read them in pages)."""
        yield from self.pending_records(entry_id)

    @abstractmethod
    def newest_first_seen(self, outlet_id: str) -> datetime | None:
        """When the outlet's newest article was first seen (None: no article of it known)."""

    @abstractmethod
    def record_run(self, run: RunRecord) -> None:
        """Keep a finished run's per-outlet record."""

    @abstractmethod
    def recent_runs(self, spider: str, limit: int) -> list[RunRecord]:
        """The ``limit`` most recent recorded runs of ``spider``, newest first."""

    @abstractmethod
    def baseline_runs(self, spider: str, limit: int) -> list[RunRecord]:
        """The canary baseline: runs of ``spider``, newest first, holding for each outlet only
        its ``limit`` most recent untripped records (runs left without records are omitted)."""

    def articles_by_day(self) -> dict[tuple[str, str], int] | None:
        """Articles per (outlet id, UTC day first seen), for the run report; None when the
        backend does not keep first-seen days (the report then counts new articles from the run
        summaries)."""
        return None

    @abstractmethod
    def delivery_mark(self) -> tuple[str, int]:
        """``(store id, generation)``: a random id fixed when the store was created, and a
        number that grows with every :meth:`mark_delivered` that marked something (bumped in
        the same transaction). Kept outside the store as well (:mod:`newsbot.stateguard`), it
        tells a store that was emptied, replaced or rolled back (a lost ``-wal`` file)."""

    @abstractmethod
    def close(self) -> None:
        """Release resources."""

    # Claims: with several workers sharing the store, only the worker that claims a version
    # of an article emits it. One process alone needs none (every claim succeeds).

    def claim(self, canonical_url: str, revision: int) -> bool:
        """Claim revision ``revision`` of the article for this worker; False when another
        worker has it."""
        return True

    def heartbeat(self) -> int:
        """Keep this worker's open claims alive; returns how many."""
        return 0

    def release_claims(self) -> int:
        """Give up this worker's open claims; returns how many."""
        return 0

    # Checkpoints: how far a long job got (e.g. a backfill's file and byte offset), kept with
    # the state so a resumed job and the delivered articles agree. A backend without them
    # cannot run backfills.

    def get_checkpoint(self, name: str) -> dict[str, Any] | None:
        """The progress saved under ``name`` (None when there is none)."""
        raise NotImplementedError(f"{type(self).__name__} keeps no checkpoints")

    def set_checkpoint(self, name: str, value: dict[str, Any]) -> None:
        """Save ``value`` (JSON-ready) under ``name``, replacing what was there."""
        raise NotImplementedError(f"{type(self).__name__} keeps no checkpoints")


# -- SQLite backend -------------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    canonical_url TEXT PRIMARY KEY,
    url TEXT,
    outlet_id TEXT,
    fingerprint TEXT,
    published TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    delivered_fingerprint TEXT,
    delivered_revision INTEGER,
    delivered_at TEXT,
    delivered_to TEXT,
    source TEXT,
    delivered_source TEXT,
    fetched_at TEXT,
    etag TEXT,
    last_modified TEXT,
    validated_fingerprint TEXT
);
CREATE TABLE IF NOT EXISTS aliases (
    url TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    entry_id TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    revision INTEGER NOT NULL,
    source TEXT,
    PRIMARY KEY (entry_id, canonical_url)
);
CREATE INDEX IF NOT EXISTS pending_by_url ON pending (canonical_url);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    spider TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    finish_reason TEXT NOT NULL,
    exit_code INTEGER
);
CREATE TABLE IF NOT EXISTS outlet_runs (
    run_id TEXT NOT NULL,
    outlet_id TEXT NOT NULL,
    found INTEGER NOT NULL,
    parsed INTEGER NOT NULL,
    coverage TEXT NOT NULL,
    tripped INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, outlet_id)
);
CREATE TABLE IF NOT EXISTS checkpoints (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

# Columns added after the first release: (table, column, type). Stores made before get them.
_ADDED_COLUMNS = (
    ("articles", "source", "TEXT"),
    ("articles", "delivered_source", "TEXT"),
    ("pending", "source", "TEXT"),
    ("articles", "fetched_at", "TEXT"),
    ("articles", "etag", "TEXT"),
    ("articles", "last_modified", "TEXT"),
    ("articles", "validated_fingerprint", "TEXT"),
)


#: Untripped outlet records of one spider's runs, ranked per outlet (1 = newest).
_BASELINE = (
    "SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o.outlet_id"
    " ORDER BY r.finished_at DESC, r.run_id DESC) AS rank"
    " FROM outlet_runs o JOIN runs r ON r.run_id = o.run_id"
    " WHERE r.spider = ? AND o.tripped = 0"
)


class SQLiteStateStore(StateStore):
    """The state in one SQLite file (WAL journal: a killed process loses no committed write)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            self._migrate()
            self._db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('store_id', ?), "
                "('generation', '0')",
                (uuid.uuid4().hex,),
            )
            self._db.commit()

    def _migrate(self) -> None:
        for table, column, kind in _ADDED_COLUMNS:
            have = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in have:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SQLiteStateStore:
        return cls(settings.get("NEWSBOT_STATE_PATH") or DEFAULT_STATE_PATH)

    # reading

    def lookup(self, canonical_url: str) -> ArticleState | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM articles WHERE canonical_url = ?", (canonical_url,)
            ).fetchone()
            pending = self._db.execute(
                "SELECT fingerprint, revision, source FROM pending WHERE canonical_url = ?"
                " ORDER BY revision DESC LIMIT 1",
                (canonical_url,),
            ).fetchone()
        if row is None and pending is None:
            return None
        state = ArticleState(canonical_url=canonical_url)
        if row is not None:
            state.url = row["url"]
            state.outlet_id = row["outlet_id"]
            state.fingerprint = row["fingerprint"]
            state.source = row["source"]
            state.published = row["published"]
            state.first_seen = parse_time(row["first_seen"])
            state.last_seen = parse_time(row["last_seen"])
            state.fetched_at = parse_time(row["fetched_at"])
            state.etag = row["etag"]
            state.last_modified = row["last_modified"]
            state.validated_fingerprint = row["validated_fingerprint"]
            if row["delivered_fingerprint"] is not None:
                state.delivered = Version(
                    row["delivered_fingerprint"], row["delivered_revision"],
                    row["delivered_source"],
                )
                state.delivered_at = parse_time(row["delivered_at"])
                state.delivered_to = row["delivered_to"]
        if pending is not None:
            state.pending = Version(pending["fingerprint"], pending["revision"], pending["source"])
        return state

    def lookup_url(self, url: str) -> ArticleState | None:
        state = self.lookup(url)
        if state is not None:
            return state
        with self._lock:
            row = self._db.execute(
                "SELECT canonical_url FROM aliases WHERE url = ?", (url,)
            ).fetchone()
        return self.lookup(row["canonical_url"]) if row else None

    # writing

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
        now = _iso(when or clock.now())
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO articles (canonical_url, url, outlet_id, fingerprint, published,"
                " first_seen, last_seen, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (canonical_url) DO UPDATE SET url = excluded.url,"
                " outlet_id = COALESCE(excluded.outlet_id, outlet_id),"
                " fingerprint = excluded.fingerprint,"
                " source = excluded.source,"
                " published = COALESCE(excluded.published, published),"
                " last_seen = excluded.last_seen",
                (canonical_url, url, outlet_id, fingerprint, published, now, now, source),
            )
            if url and url != canonical_url:
                self._db.execute(
                    "INSERT OR REPLACE INTO aliases (url, canonical_url) VALUES (?, ?)",
                    (url, canonical_url),
                )

    def record_fetch(
        self,
        canonical_url: str,
        *,
        when: datetime | None = None,
        fingerprint: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        now = _iso(when or clock.now())
        with self._lock, self._db:
            if fingerprint is None:
                self._db.execute(
                    "UPDATE articles SET fetched_at = ? WHERE canonical_url = ?",
                    (now, canonical_url),
                )
            else:
                self._db.execute(
                    "UPDATE articles SET fetched_at = ?, etag = ?, last_modified = ?,"
                    " validated_fingerprint = ? WHERE canonical_url = ?",
                    (now, etag, last_modified, fingerprint, canonical_url),
                )

    def mark_pending(self, entry_id: str, records: Iterable[FeedRecord]) -> None:
        with self._lock, self._db:
            # The source fingerprint comes from the article's last sighting, when that sighting
            # was of this very version (same cleaned fingerprint).
            self._db.executemany(
                "INSERT OR REPLACE INTO pending (entry_id, canonical_url, fingerprint, revision,"
                " source) VALUES (?, ?, ?, ?, (SELECT source FROM articles"
                " WHERE canonical_url = ? AND fingerprint = ?))",
                (
                    (entry_id, r.canonical_url, r.fingerprint, r.revision,
                     r.canonical_url, r.fingerprint)
                    for r in records
                ),
            )

    def mark_delivered(
        self,
        entry_id: str,
        records: Iterable[FeedRecord],
        *,
        target: str,
        when: datetime | None = None,
    ) -> int:
        now = _iso(when or clock.now())
        count = 0
        with self._lock, self._db:
            for r in records:
                count += 1
                source = self._version_source(entry_id, r)
                self._db.execute(
                    "INSERT INTO articles (canonical_url, url, outlet_id, fingerprint, published,"
                    " first_seen, last_seen, delivered_fingerprint, delivered_revision,"
                    " delivered_at, delivered_to, delivered_source)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (canonical_url) DO UPDATE SET"
                    " delivered_fingerprint = excluded.delivered_fingerprint,"
                    " delivered_revision = excluded.delivered_revision,"
                    " delivered_at = excluded.delivered_at,"
                    " delivered_to = excluded.delivered_to,"
                    " delivered_source = excluded.delivered_source"
                    " WHERE delivered_revision IS NULL"
                    " OR delivered_revision <= excluded.delivered_revision",
                    (
                        r.canonical_url,
                        r.url,
                        r.outlet_id,
                        r.fingerprint,
                        r.published,
                        now,
                        now,
                        r.fingerprint,
                        r.revision,
                        now,
                        target,
                        source,
                    ),
                )
            self._db.execute("DELETE FROM pending WHERE entry_id = ?", (entry_id,))
            if count:
                self._db.execute(
                    "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"
                )
        return count

    def delivery_mark(self) -> tuple[str, int]:
        with self._lock:
            rows = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        return str(rows["store_id"]), int(rows["generation"])

    def _version_source(self, entry_id: str, record: FeedRecord) -> str | None:
        """The source fingerprint of the version ``record`` delivers: kept with its pending mark,
        else from the article's last sighting when that was this version."""
        row = self._db.execute(
            "SELECT source FROM pending WHERE entry_id = ? AND canonical_url = ?"
            " AND fingerprint = ? AND source IS NOT NULL",
            (entry_id, record.canonical_url, record.fingerprint),
        ).fetchone() or self._db.execute(
            "SELECT source FROM articles WHERE canonical_url = ? AND fingerprint = ?",
            (record.canonical_url, record.fingerprint),
        ).fetchone()
        return row[0] if row else None

    def forget_pending(self, keep: Iterable[str]) -> int:
        keep = set(keep)
        with self._lock, self._db:
            ids = [r[0] for r in self._db.execute("SELECT DISTINCT entry_id FROM pending")]
            gone = [i for i in ids if i not in keep]
            for entry_id in gone:
                self._db.execute("DELETE FROM pending WHERE entry_id = ?", (entry_id,))
        return len(gone)

    def forget_entry(self, entry_id: str) -> int:
        with self._lock, self._db:
            cursor = self._db.execute("DELETE FROM pending WHERE entry_id = ?", (entry_id,))
        return cursor.rowcount

    def pending_records(self, entry_id: str) -> list[FeedRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT canonical_url, fingerprint, revision FROM pending WHERE entry_id = ?"
                " ORDER BY canonical_url",
                (entry_id,),
            ).fetchall()
        return [FeedRecord(r[0], r[1], r[2]) for r in rows]

    #: Pending records read at a time by :meth:`iter_pending_records`.
    PENDING_PAGE = 1000

    def iter_pending_records(self, entry_id: str) -> Iterator[FeedRecord]:
        after = ""
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT canonical_url, fingerprint, revision FROM pending WHERE entry_id = ?"
                    " AND canonical_url > ? ORDER BY canonical_url LIMIT ?",
                    (entry_id, after, self.PENDING_PAGE),
                ).fetchall()
            for r in rows:
                yield FeedRecord(r[0], r[1], r[2])
            if len(rows) < self.PENDING_PAGE:
                return
            after = rows[-1][0]

    def newest_first_seen(self, outlet_id: str) -> datetime | None:
        with self._lock:
            row = self._db.execute(
                "SELECT MAX(first_seen) FROM articles WHERE outlet_id = ?", (outlet_id,)
            ).fetchone()
        return parse_time(row[0]) if row else None

    def record_run(self, run: RunRecord) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?)",
                (
                    run.run_id,
                    run.spider,
                    _iso(run.started_at),
                    _iso(run.finished_at),
                    run.finish_reason,
                    run.exit_code,
                ),
            )
            self._db.execute("DELETE FROM outlet_runs WHERE run_id = ?", (run.run_id,))
            self._db.executemany(
                "INSERT INTO outlet_runs VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        run.run_id,
                        o.outlet_id,
                        o.found,
                        o.parsed,
                        json.dumps(o.coverage, sort_keys=True),
                        int(o.tripped),
                    )
                    for o in run.outlets
                ],
            )

    def recent_runs(self, spider: str, limit: int) -> list[RunRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM runs WHERE spider = ? ORDER BY finished_at DESC, run_id DESC"
                " LIMIT ?",
                (spider, limit),
            ).fetchall()
            return [
                self._run(row, "SELECT * FROM outlet_runs WHERE run_id = ? ORDER BY outlet_id")
                for row in rows
            ]

    def baseline_runs(self, spider: str, limit: int) -> list[RunRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT runs.* FROM runs WHERE spider = ? AND run_id IN"
                f" (SELECT run_id FROM ({_BASELINE}) WHERE rank <= ?)"
                " ORDER BY finished_at DESC, run_id DESC",
                (spider, spider, limit),
            ).fetchall()
            query = (
                f"SELECT * FROM ({_BASELINE}) WHERE run_id = ? AND rank <= ? ORDER BY outlet_id"
            )
            return [self._run(row, query, (spider,), (limit,)) for row in rows]

    def _run(
        self, row: sqlite3.Row, query: str, before: tuple = (), after: tuple = ()
    ) -> RunRecord:
        outlets = [
            OutletRun(
                outlet_id=o["outlet_id"],
                found=o["found"],
                parsed=o["parsed"],
                coverage=json.loads(o["coverage"]),
                tripped=bool(o["tripped"]),
            )
            for o in self._db.execute(query, (*before, row["run_id"], *after))
        ]
        return RunRecord(
            run_id=row["run_id"],
            spider=row["spider"],
            started_at=parse_time(row["started_at"]) or clock.now(),
            finished_at=parse_time(row["finished_at"]) or clock.now(),
            finish_reason=row["finish_reason"],
            exit_code=row["exit_code"],
            outlets=outlets,
        )

    def get_checkpoint(self, name: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM checkpoints WHERE name = ?", (name,)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def set_checkpoint(self, name: str, value: dict[str, Any]) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO checkpoints (name, value, updated_at) VALUES (?, ?, ?)",
                (name, json.dumps(value, sort_keys=True), _iso(clock.now())),
            )

    def articles_by_day(self) -> dict[tuple[str, str], int] | None:
        with self._lock:
            rows = self._db.execute(
                "SELECT COALESCE(outlet_id, 'unknown'), substr(first_seen, 1, 10), COUNT(*)"
                " FROM articles GROUP BY 1, 2"
            ).fetchall()
        return {(r[0], r[1]): r[2] for r in rows}

    def delivered_urls(self) -> dict[str, Version]:
        """Every delivered canonical URL with its delivered version (for tests and tools)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT canonical_url, delivered_fingerprint, delivered_revision FROM articles"
                " WHERE delivered_fingerprint IS NOT NULL"
            ).fetchall()
        return {r[0]: Version(r[1], r[2]) for r in rows}

    def close(self) -> None:
        with self._lock:
            self._db.close()


# -- wiring ---------------------------------------------------------------------------------------


def open_store(settings: BaseSettings) -> StateStore:
    """The store named by ``NEWSBOT_STATE_BACKEND`` (default: SQLite at ``NEWSBOT_STATE_PATH``);
    PostgreSQL when ``NEWSBOT_STATE_URL`` (setting or environment) is a ``postgresql://`` URL."""
    backend = settings.get("NEWSBOT_STATE_BACKEND") or DEFAULT_BACKEND
    if setting_or_env(settings, STATE_URL_SETTING):
        backend = POSTGRES_BACKEND
    cls = load_object(backend)
    return cls.from_settings(settings)


_STORES: weakref.WeakKeyDictionary[Crawler, StateStore] = weakref.WeakKeyDictionary()


def store_for_crawler(crawler: Crawler) -> StateStore:
    """The crawler's shared store (opened on first use, closed when the engine stops)."""
    store = _STORES.get(crawler)
    if store is None:
        store = open_store(crawler.settings)
        _STORES[crawler] = store

        def _close() -> None:
            _STORES.pop(crawler, None)
            store.close()

        crawler.signals.connect(_close, signal=signals.engine_stopped, weak=False)
    return store

