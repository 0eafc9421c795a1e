"""The store interface: :class:`StateStore` and the values it takes and gives (versions, feed
records, article state, run records), with the content fingerprint and time parsing they share.

A backend implements every concern behind this one interface: article state
(:mod:`newsbot.state.articles`), the delivery ledger (:mod:`newsbot.state.ledger`) and run
history (:mod:`newsbot.state.runs`).
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scrapy.settings import BaseSettings

from newsbot.text import clean_line

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


def iso_time(moment: datetime | None) -> str | None:
    """``moment`` in UTC as ISO 8601 to the second (how SQLite keeps times); None stays None."""
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
