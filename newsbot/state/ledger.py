"""The delivery ledger: which version of an article waits in which spool entry (**pending**) and
which was stored where (**delivered**), the store's delivery mark, and — with several workers
sharing a PostgreSQL store — the claims that let only one worker emit a version.

:class:`SQLiteLedger` (table ``pending`` and the ``delivered_*`` columns of ``articles``) and
:class:`PostgresLedger` (also ``claims``, pending marks per spool) are the two backends' halves of
this concern.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from newsbot import clock
from newsbot.state.store import FeedRecord, Version, iso_time


class SQLiteLedger:
    """The delivery ledger in SQLite."""

    _db: sqlite3.Connection
    _lock: threading.RLock

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
        now = iso_time(when or clock.now())
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

    def delivered_urls(self) -> dict[str, Version]:
        """Every delivered canonical URL with its delivered version (for tests and tools)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT canonical_url, delivered_fingerprint, delivered_revision FROM articles"
                " WHERE delivered_fingerprint IS NOT NULL"
            ).fetchall()
        return {r[0]: Version(r[1], r[2]) for r in rows}


class PostgresLedger:
    """The delivery ledger and the workers' claims in PostgreSQL."""

    _q: Callable[[str], str]
    _run: Callable[..., Any]
    spool_id: str
    owner: str
    lease: timedelta

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

    def delivery_mark(self) -> tuple[str, int]:
        rows = self._run(
            lambda c: c.execute(self._q("SELECT key, value FROM {s}.meta")).fetchall()
        )
        values = dict(rows)
        return str(values["store_id"]), int(values["generation"])

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
