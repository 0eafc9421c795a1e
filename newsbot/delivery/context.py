"""Per-run delivery bookkeeping: the spool, the state store, the targets, and the results.

One :class:`DeliveryContext` serves a crawl (``DeliveryContext.for_crawler``) or the
``deliver`` command. It

* stores spooled feeds left by earlier runs (:meth:`flush`) before the crawl emits anything;
* seals finished feed files and marks their articles *pending* (:meth:`seal`);
* stores a sealed feed, marks its articles *delivered* from the stored file's lines and removes
  it from the spool (:meth:`deliver`);
* after a target fails, does not try it again in the same run (one clear error, no repeated
  timeouts), and logs only the first failure as an ERROR.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from twisted.internet.defer import Deferred

from newsbot import clock, conf, runlock, statskeys
from newsbot.delivery.addon import configured_bucket
from newsbot.delivery.errors import DeliveryError
from newsbot.delivery.spool import (
    ARCHIVE_FORMATS,
    READABLE_FORMATS,
    Spool,
    SpoolEntry,
    iter_feed_records,
    read_feed_records,
)
from newsbot.delivery.targets import S3Config, S3Target, Target, make_target, redact_url
from newsbot.state import FeedRecord, StateStore, open_store, store_for_crawler
from newsbot.stateguard import write_marker

logger = logging.getLogger(__name__)


@dataclass
class FeedResult:
    """What happened to one feed file."""

    uri: str
    # "stored" | "spooled" (kept for later) | "failed" | "lost" (data gone) | "quarantined"
    # (damaged in the spool, moved aside; its articles are emitted again)
    status: str
    origin: str = "run"  # "run": written by this run; "spool": left by an earlier run
    items: int | None = None
    error: str | None = None
    spool_entry: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


class DeliveryContext:
    """Delivery state of one run (or of one ``deliver`` command)."""

    def __init__(
        self,
        settings: BaseSettings,
        *,
        store: StateStore | None = None,
        stats: Any = None,
        crawler: Crawler | None = None,
    ):
        self.settings = settings
        self.stats = stats
        self._crawler = crawler
        self._store = store
        self.spool = Spool(conf.get_or_default(settings, "NEWSBOT_SPOOL_DIR"))
        self._s3: S3Config | None = None
        self._lock = threading.Lock()
        self._failed: dict[str, str] = {}
        #: Entries this context sealed: their pending marks hold their delivery records.
        self._sealed_here: set[str] = set()
        self.results: list[FeedResult] = []
        self.discarded: list[str] = []
        self.error_logged = False
        self.exporter_active = False
        self.closed = False
        self._holds = 0
        self._closed_waiters: list[Deferred[None]] = []

    # -- construction ----------------------------------------------------------------------------

    _BY_CRAWLER: ClassVar[weakref.WeakKeyDictionary[Crawler, DeliveryContext]] = (
        weakref.WeakKeyDictionary()
    )

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> DeliveryContext:
        """The crawler's context (created on first use)."""
        context = cls._BY_CRAWLER.get(crawler)
        if context is None:
            context = cls(crawler.settings, crawler=crawler)
            cls._BY_CRAWLER[crawler] = context
        return context

    @property
    def store(self) -> StateStore:
        """The incremental state store."""
        if self._store is None:
            if self._crawler is not None:
                self._store = store_for_crawler(self._crawler)
            else:
                self._store = open_store(self.settings)
        return self._store

    def _stats(self) -> Any:
        if self.stats is not None:
            return self.stats
        if self._crawler is not None:
            return self._crawler.stats
        return None

    def _inc(self, event: str, count: int = 1) -> None:
        stats = self._stats()
        if stats is not None:
            stats.inc_value(statskeys.delivery(event), count)

    @property
    def s3(self) -> S3Config:
        """S3 settings (checked: no credentials in settings)."""
        if self._s3 is None:
            self._s3 = S3Config.from_settings(self.settings)
        return self._s3

    def target_for(self, uri: str) -> Target:
        """The target a feed URI names."""
        if uri.startswith("s3:"):
            return make_target(uri, self.s3)
        return make_target(uri)

    def destination(self, entry: SpoolEntry) -> str:
        """Where the entry goes now: its URI, except that a feed for "the configured bucket"
        goes to the bucket configured now (fixing a misspelled bucket rescues what was spooled
        for it)."""
        bucket = configured_bucket(self.settings)
        if entry.s3_key is None or not bucket:
            return entry.uri
        uri = f"s3://{bucket}/{entry.s3_key}"
        if uri != entry.uri:
            logger.warning(
                "Spooled feed %s was written for %s; storing it in the configured bucket: %s",
                entry.id, entry.uri, uri,
            )
        return uri

    @property
    def state_id(self) -> str | None:
        """The state store's id (recorded in spool manifests)."""
        return self.store.delivery_mark()[0]

    def check_spool(self) -> None:
        """Raise :class:`DeliveryError` when the spool cannot be written."""
        try:
            self.spool.check_writable()
        except OSError as exc:
            raise DeliveryError(
                f"the spool {self.spool.dir} cannot be written ({exc.strerror or exc}); no feed "
                "can be kept, so nothing is crawled. Make NEWSBOT_SPOOL_DIR a writable "
                "directory with free space",
                target=str(self.spool.dir),
            ) from None

    def _quarantine(self, entry: SpoolEntry, origin: str) -> FeedResult:
        """Move a damaged spool entry aside and forget its pending marks, so its articles are
        emitted again by the next run; the other entries go on."""
        folder = self.spool.quarantine(entry)
        self.store.forget_entry(entry.id)
        logger.error(
            "Spooled feed %s (%s) is damaged: its data no longer matches the checksum sealed "
            "with it. Moved it to %s; its articles were not delivered and the next run emits "
            "them again.",
            entry.id, entry.uri, folder,
        )
        result = FeedResult(entry.uri, "quarantined", origin, entry.items,
                            "damaged in the spool (checksum mismatch)", entry.id)
        self._record(result)
        self._inc("quarantined")
        return result

    def mark_closed(self) -> None:
        """The feed exporter has finished every store of the run."""
        self.closed = True
        self._fire_closed()

    def hold(self) -> None:
        """Another writer of delivered files (e.g. the WARC archive) has stores to finish:
        :meth:`wait_closed` waits for the matching :meth:`release` too."""
        self._holds += 1

    def release(self) -> None:
        """End one :meth:`hold`."""
        self._holds -= 1
        self._fire_closed()

    def _fire_closed(self) -> None:
        if not self.closed or self._holds > 0:
            return
        waiters, self._closed_waiters = self._closed_waiters, []
        for waiter in waiters:
            waiter.callback(None)

    def wait_closed(self) -> Deferred[None]:
        """Fires once the feed exporter, and every writer holding the context, has finished
        every store of the run."""
        waiter: Deferred[None] = Deferred()
        self._closed_waiters.append(waiter)
        self._fire_closed()
        return waiter

    # -- state of the run ------------------------------------------------------------------------

    @property
    def failed(self) -> bool:
        """Whether some feed could not be stored in this run (a "lost" feed is not a failure:
        its data is gone, nothing can be retried, and its articles are emitted again)."""
        return any(r.status in ("spooled", "failed", "quarantined") for r in self.results)

    def _record(self, result: FeedResult) -> None:
        with self._lock:
            self.results.append(result)

    # -- sealing and delivering ------------------------------------------------------------------

    def seal(self, entries: list[SpoolEntry]) -> None:
        """Seal finished spool entries together and mark their articles pending."""
        if not entries:
            return
        self.spool.seal(entries)
        for entry in entries:
            if entry.format in READABLE_FORMATS:
                # Streamed from the file into the store: a run's records are never all held.
                self.store.mark_pending(entry.id, iter_feed_records(entry.data_path))
                with self._lock:
                    self._sealed_here.add(entry.id)

    def deliver(self, entry: SpoolEntry, *, origin: str = "run") -> FeedResult:
        """Store a sealed entry, mark its articles delivered, remove it from the spool.

        Raises :class:`DeliveryError` when the target fails (the entry stays in the spool). A
        damaged entry (checksum mismatch) is quarantined instead of stored."""
        if entry.data_path.exists() and not self.spool.intact(entry):
            return self._quarantine(entry, origin)
        uri = self.destination(entry)
        target = self.target_for(uri)
        configured = target.config.endpoint_url if isinstance(target, S3Target) else None
        if configured and entry.endpoint != redact_url(configured):
            # the configured endpoint wins (it may have been fixed since the feed was spooled)
            logger.warning(
                "Spooled feed %s was written for S3 endpoint %s; storing it at %s",
                entry.id,
                entry.endpoint or "AWS",
                target.config.endpoint_label,
            )
        key = target.breaker_key
        with self._lock:
            earlier = self._failed.get(key)
        if earlier is not None:
            raise DeliveryError(
                f"not attempted, the same target failed earlier in this run ({earlier})",
                target=uri,
                skipped=True,
            )
        readable = entry.format in READABLE_FORMATS
        try:
            if entry.data_path.exists():
                # read before storing: a local target takes the file away
                with self._lock:
                    sealed_here = entry.id in self._sealed_here
                    self._sealed_here.discard(entry.id)
                records: Iterable[FeedRecord]
                if sealed_here:
                    # Marked pending by this run from this very file, and every article of it
                    # recorded by the incremental pipeline: the marks are the records, read in
                    # pages from the store (not the file again, not all at once).
                    records = self.store.iter_pending_records(entry.id)
                else:
                    records = read_feed_records(entry.data_path) if readable else []
                if not (origin == "spool" and target.holds(entry)):
                    target.store(entry)
            elif target.holds(entry):
                # stored by a run that died before its bookkeeping
                records = self.store.pending_records(entry.id) if readable else []
            else:
                # Only a local target takes the data file away (by renaming it into place).
                logger.warning(
                    "Spooled feed %s has no data and %s does not hold it; dropping the entry "
                    "(its articles will be emitted again)",
                    entry.id,
                    uri,
                )
                self.spool.remove(entry)
                self.store.forget_entry(entry.id)
                result = FeedResult(uri, "lost", origin, entry.items, None, entry.id)
                self._record(result)
                self._inc("lost")
                return result
        except DeliveryError as exc:
            with self._lock:
                self._failed.setdefault(key, str(exc))
            raise
        if readable:
            self.store.mark_delivered(entry.id, records, target=uri, when=clock.now())
            with self._lock:
                write_marker(self.settings, self.store)
        elif entry.format not in ARCHIVE_FORMATS:
            logger.warning(
                "Feed format %r cannot be read back; articles in %s are not marked delivered",
                entry.format,
                uri,
            )
        self.spool.remove(entry)
        result = FeedResult(uri, "stored", origin, entry.items, None, entry.id)
        self._record(result)
        self._inc("stored")
        if origin == "spool":
            self._inc("recovered")
        return result

    def report_failure(
        self,
        exc: DeliveryError,
        entry: SpoolEntry | None,
        *,
        origin: str = "run",
        uri: str = "",
        kept: str = "",
    ) -> FeedResult:
        """Log a failed store (the run's first failure as ONE clear ERROR, later ones as
        warnings) and record it. ``kept`` replaces the sentence saying what becomes of the
        feed."""
        uri = uri or (entry.uri if entry else exc.target)
        with self._lock:
            first = not self.error_logged and not exc.skipped
            if first:
                self.error_logged = True
        kept_in_spool = entry is not None and entry.sealed
        if not kept and kept_in_spool:
            kept = (
                f"The feed is kept complete in the spool ({self.spool.dir}) and will be stored "
                "by the next run or by `python -m newsbot deliver`."
            )
        elif not kept and entry is not None:
            kept = (
                "The feed was not completed in the spool; its articles were not delivered and "
                "will be emitted again by the next run."
            )
        elif not kept:
            kept = "Nothing was stored."
        if first:
            logger.error("Feed delivery failed: %s: %s. %s", uri, exc, kept)
        else:
            logger.warning("Feed %s not stored (%s). %s", uri, exc, kept)
        result = FeedResult(
            uri,
            "spooled" if kept_in_spool else "failed",
            origin,
            entry.items if entry else None,
            str(exc),
            entry.id if entry else None,
        )
        self._record(result)
        self._inc("failed")
        return result

    def flush(self) -> list[FeedResult]:
        """Store every sealed feed left in the spool by earlier runs, oldest first.

        Unsealed leftovers of killed runs are discarded; pending marks are rebuilt from the
        spool so the crawl does not emit spooled articles again."""
        exclusive = runlock.held_here(conf.get(self.settings, "NEWSBOT_LOCK_PATH"))
        for entry in self.spool.discard_stale(exclusive=exclusive):
            self.discarded.append(entry.id)
            logger.info(
                "Discarded the unfinished feed %s of an interrupted run (%s); its articles "
                "were not delivered and will be emitted again",
                entry.id,
                entry.uri,
            )
            self._inc("discarded_unfinished")
        entries = self.spool.sealed()
        results = []
        usable = []
        for entry in entries:
            try:
                if entry.data_path.exists() and not self.spool.intact(entry):
                    results.append(self._quarantine(entry, "spool"))
                    continue
                if entry.format in READABLE_FORMATS and entry.data_path.exists():
                    self.store.mark_pending(entry.id, read_feed_records(entry.data_path))
            except Exception as exc:
                results.append(self._broken(entry, exc))
            else:
                usable.append(entry)
        self.store.forget_pending(keep={e.id for e in self.spool.entries()})
        if entries:
            logger.info("Storing %d feed file(s) left in the spool by earlier runs", len(entries))
        for entry in usable:
            try:
                results.append(self.deliver(entry, origin="spool"))
            except DeliveryError as exc:
                results.append(self.report_failure(exc, entry, origin="spool"))
            except Exception as exc:
                results.append(self._broken(entry, exc))
        if entries:
            stored = sum(1 for r in results if r.status == "stored")
            logger.info(
                "Stored %d of %d spooled feed file(s) before crawling", stored, len(entries)
            )
        return results

    def _broken(self, entry: SpoolEntry, exc: Exception) -> FeedResult:
        """Report a spooled feed that cannot be processed (e.g. an unreadable line) and leave
        it in the spool for a person to look at; the other feeds go on."""
        logger.debug("Spooled feed %s cannot be processed", entry.id, exc_info=True)
        return self.report_failure(
            DeliveryError(
                f"spooled feed {entry.id} cannot be processed ({type(exc).__name__}: {exc})",
                target=entry.uri,
            ),
            entry,
            origin="spool",
            kept=(
                f"It stays in the spool ({self.spool.dir}) until it is repaired or removed; "
                "the other spooled feeds are stored."
            ),
        )

    def pending_count(self) -> int:
        """Sealed feed files still waiting in the spool."""
        return len(self.spool.sealed())
