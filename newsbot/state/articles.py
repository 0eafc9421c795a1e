"""Article state: per canonical URL the fingerprints of what was last seen (cleaned, and source),
first/last seen and published times, fetched-URL aliases, and the page's HTTP validators — what
the incremental pipeline and the refetch schedule look up.

:class:`SQLiteArticles` (tables ``articles`` and ``aliases``) and :class:`PostgresArticles` are the
two backends' halves of this concern, mixed into :class:`~newsbot.state.sqlite.SQLiteStateStore`
and :class:`~newsbot.state.postgres.PostgresStateStore`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from newsbot import clock
from newsbot.state.store import ArticleState, Version, iso_time, parse_time


class SQLiteArticles:
    """Article state in SQLite."""

    _db: sqlite3.Connection
    _lock: threading.RLock

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
        now = iso_time(when or clock.now())
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
        now = iso_time(when or clock.now())
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

    def newest_first_seen(self, outlet_id: str) -> datetime | None:
        with self._lock:
            row = self._db.execute(
                "SELECT MAX(first_seen) FROM articles WHERE outlet_id = ?", (outlet_id,)
            ).fetchone()
        return parse_time(row[0]) if row else None

    def articles_by_day(self) -> dict[tuple[str, str], int] | None:
        with self._lock:
            rows = self._db.execute(
                "SELECT COALESCE(outlet_id, 'unknown'), substr(first_seen, 1, 10), COUNT(*)"
                " FROM articles GROUP BY 1, 2"
            ).fetchall()
        return {(r[0], r[1]): r[2] for r in rows}


class PostgresArticles:
    """Article state in PostgreSQL."""

    _q: Callable[[str], str]
    _run: Callable[..., Any]

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

    def newest_first_seen(self, outlet_id: str) -> datetime | None:
        row = self._run(
            lambda c: c.execute(
                self._q("SELECT max(first_seen) FROM {s}.articles WHERE outlet_id = %s"),
                (outlet_id,),
            ).fetchone()
        )
        return row[0] if row else None
