"""``backfill``: articles of registered outlets from WARC files (CC-NEWS or any other archive).

Run it with ``python -m newsbot backfill`` (see :mod:`newsbot.archive.backfill`). The spider
fetches nothing from the outlets: it streams WARC files (local, HTTP(S), S3), turns each
response of a registered outlet's host into an article the way ``bn_world`` does, and yields it
to the same cleaning pipelines, feeds and delivery. The incremental state is the live crawls':
an article delivered before is not delivered again, and an older capture never overwrites a
newer revision (:mod:`newsbot.archive.pipeline`).

Every record read is an item or a drop: drops with a reason go to the drop ledger (counted,
logged, in the rejects feed); responses of other hosts (``foreign_host``) and outside
``since``/``until`` (``out_of_range``) are so many in CC-NEWS that they are counted under the
same ``newsbot/drop/<reason>`` stats and logged once per file, not line by line.

Progress is a checkpoint per file in the state store (``warc:<uri>``: byte offset of the next
gzip member, and whether the file is done), saved when the run's feeds are safely in the spool or
stored. A run that is stopped resumes there; a killed run's unsealed feed is discarded by the
next run, which reads those records again.
"""

from __future__ import annotations

import collections
import functools
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.utils.asyncio import run_in_thread
from scrapy.utils.defer import maybe_deferred_to_future

from newsbot import statskeys
from newsbot.archive.convert import CaptureDrop, article_of
from newsbot.archive.records import Entry, iter_entries
from newsbot.archive.sources import SourceError, Sources, display_name, select_files
from newsbot.delivery.context import DeliveryContext
from newsbot.items import Article
from newsbot.registry import load_registry
from newsbot.scrapyadapter import finish_scraper_closing
from newsbot.signals import page_dropped
from newsbot.state import StateStore, parse_time, store_for_crawler

INCREMENTAL = "newsbot.pipelines.incremental.IncrementalPipeline"
CAPTURE_INCREMENTAL = "newsbot.archive.pipeline.CaptureIncrementalPipeline"
#: Drops counted and logged per file instead of one by one.
BULK_DROPS = ("foreign_host", "out_of_range")
#: How many times (10 ms apart) a finished item looks whether the scraper may close.
RECHECKS = 100
#: Records read in a worker thread in one go while they are only counted.
STEP_RECORDS = 500


def _bulk(step: tuple[Entry, Any]) -> bool:
    entry, result = step
    if entry.kind == "other":
        return True
    reason = entry.reason if entry.kind == "drop" else getattr(result, "reason", None)
    return reason in BULK_DROPS


def parse_bound(value: str | None, *, end: bool) -> datetime | None:
    """``YYYY-MM-DD`` (a whole day: ``end`` means up to its last instant) or an ISO time."""
    if not value:
        return None
    if len(value) == 10:
        day = datetime.fromisoformat(value).date()
        moment = datetime.combine(day, time(0), tzinfo=UTC)
        return moment + timedelta(days=1) - timedelta(microseconds=1) if end else moment
    moment = parse_time(value)
    if moment is None:
        raise ValueError(f"not a date or time: {value!r}")
    return moment


class BackfillSpider(scrapy.Spider):
    """Articles from WARC files.

    Arguments (``-a name=value``): ``warc`` (a JSON list of paths/URLs), ``month`` (``YYYY-MM``:
    that CC-NEWS month's listing), ``since`` / ``until`` (dates or ISO times, inclusive),
    ``all_bengali`` (``1``: also Bengali pages of hosts that are no registered outlet, outlet
    null), ``max_files`` (read at most this many files not done yet).
    """

    name = "backfill"

    def __init__(self, warc: str = "[]", month: str = "", since: str = "", until: str = "",
                 all_bengali: str = "", max_files: str = "0", *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.warc_uris = [str(u) for u in json.loads(warc or "[]")]
        self.month = month
        self.since = parse_bound(since, end=False)
        self.until = parse_bound(until, end=True)
        self.all_bengali = str(all_bengali).lower() in ("1", "true", "yes")
        self.max_files = int(max_files or 0)
        self.registry = load_registry()
        self.progress: dict[str, dict[str, Any]] = {}
        # one registry look-up per host: a CC-NEWS file holds many pages of each site
        self._known_host = functools.lru_cache(maxsize=1 << 16)(
            lambda host: self.registry.by_url(host) is not None)
        self._emitted: set[str] = set()

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """The capture-aware incremental pipeline instead of the live one; no canary (a month
        of archive is no baseline for a live run)."""
        super().update_settings(settings)
        pipelines = dict(settings.getdict("ITEM_PIPELINES"))
        priority = pipelines.pop(INCREMENTAL, 1000)
        if priority is not None:
            pipelines[CAPTURE_INCREMENTAL] = priority
        settings.set("ITEM_PIPELINES", pipelines, priority="spider")
        settings.set("NEWSBOT_CANARY_ENABLED", False, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BackfillSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.sources = Sources.from_settings(crawler.settings)
        crawler.signals.connect(spider.save_progress, signal=signals.spider_closed)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(spider._item_done, signal=signal)
        return spider

    def _item_done(self, *args: Any, **kwargs: Any) -> None:
        """Scrapy 2.19 does not look again whether the scraper may close when an item yielded
        by start() is finished after a graceful shutdown began (SIGTERM): the run would hang
        (scrapy/scrapy#7029). Look again, for a moment, once the item's processing has ended
        (through :func:`newsbot.scrapyadapter.finish_scraper_closing`)."""
        from twisted.internet import reactor

        def recheck(tries: int) -> None:
            state = finish_scraper_closing(self.crawler)
            if state == "done":
                return
            if tries > 0 and (state == "closing" or tries > RECHECKS - 3):
                # while running, only the next few ticks matter (a shutdown just beginning)
                reactor.callLater(0.01, recheck, tries - 1)  # type: ignore[attr-defined]

        reactor.callLater(0, recheck, RECHECKS)  # type: ignore[attr-defined]

    @property
    def store(self) -> StateStore:
        """The shared incremental state store."""
        return store_for_crawler(self.crawler)

    def _registered(self, url: str) -> bool:
        """Whether ``url`` is on a registered outlet's host."""
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return False
        return bool(host) and self._known_host(host)

    # -- files -----------------------------------------------------------------------------------

    def files(self) -> list[str]:
        """The files to read: ``warc`` and the month's listing, narrowed to since/until."""
        uris = [self.sources.resolve(u) for u in self.warc_uris]
        if self.month:
            uris += self.sources.month_listing(self.month)
        return select_files(uris, self.since, self.until)

    async def start(self) -> AsyncIterator[Any]:
        """Every file not done yet, from its checkpoint on."""
        try:
            uris = await run_in_thread(self.files)
        except SourceError as exc:
            self.logger.error("Cannot list the WARC files: %s", exc)
            return
        started = 0
        for uri in uris:
            checkpoint = self.store.get_checkpoint(f"warc:{uri}") or {}
            if checkpoint.get("done"):
                self.logger.info("Skipping %s: read by an earlier backfill", uri)
                self.crawler.stats.inc_value(statskeys.BACKFILL_FILES_SKIPPED_DONE)
                continue
            if self.max_files and started >= self.max_files:
                break
            started += 1
            async for item in self._read(uri, int(checkpoint.get("offset") or 0)):
                yield item

    async def _read(self, uri: str, offset: int) -> AsyncIterator[Article]:
        stats = self.crawler.stats
        counts: collections.Counter[str] = collections.Counter()
        self.progress[uri] = {"offset": offset, "done": False}
        if offset:
            self.logger.info("Resuming %s at byte %d", uri, offset)
        try:
            stream = await run_in_thread(self.sources.open, uri, offset)
        except SourceError as exc:
            self.logger.error("Cannot read %s: %s", uri, exc)
            return
        entries = iter_entries(stream, offset, None if self.all_bengali else self._registered)
        try:
            while True:
                steps = await run_in_thread(self._steps, entries)
                if not steps:
                    break
                for entry, result in steps:
                    counts["records"] += 1
                    item = self._account(uri, entry, result, counts)
                    # an item handed to the engine is processed even if the run is stopping
                    self.progress[uri]["offset"] = entry.next_offset
                    if item is not None:
                        yield item
        except (SourceError, OSError) as exc:
            self.logger.error("Reading %s stopped at byte %d: %s", uri,
                              self.progress[uri]["offset"], exc)
            return
        finally:
            stream.close()
        self.progress[uri]["done"] = True
        stats.inc_value(statskeys.BACKFILL_FILES_DONE)
        self.logger.info("Read %s: %s", display_name(uri), dict(sorted(counts.items())))

    def _steps(self, entries: Any) -> list[tuple[Entry, Article | CaptureDrop | None]]:
        """The next records and what they become (in a worker thread: reading and extraction),
        up to the first one that needs the reactor (an article or a drop for the ledger): the
        many records of other sites are passed over in one go."""
        steps = []
        while len(steps) < STEP_RECORDS:
            entry = next(entries, None)
            if entry is None:
                break
            step = self._next(entry)
            steps.append(step)
            if not _bulk(step):
                break
        return steps

    def _next(self, entry: Entry) -> tuple[Entry, Article | CaptureDrop | None]:
        """What one record becomes."""
        if entry.kind != "capture" or entry.capture is None:
            return entry, None
        capture = entry.capture
        if (self.since and capture.date and capture.date < self.since) or (
            self.until and capture.date and capture.date > self.until
        ):
            return entry, CaptureDrop("out_of_range", str(capture.date))
        try:
            return entry, article_of(capture, registry=self.registry,
                                     all_bengali=self.all_bengali)
        except CaptureDrop as exc:
            return entry, exc

    def _account(self, uri: str, entry: Entry, result: Article | CaptureDrop | None,
                 counts: collections.Counter[str]) -> Article | None:
        stats = self.crawler.stats
        if entry.kind == "other":
            stats.inc_value(statskeys.backfill_records(entry.record_type or "unknown"))
            return None
        stats.inc_value(statskeys.BACKFILL_PAGES)
        if entry.kind == "drop":
            reason = entry.reason or "warc_corrupt"
            counts[reason] += 1
            if reason in BULK_DROPS:
                stats.inc_value(statskeys.drop(reason))
            else:
                self._drop(entry.url, reason,
                           f"{display_name(uri)} @{entry.offset}: {entry.detail}".rstrip(": "))
            return None
        if isinstance(result, CaptureDrop):
            counts[result.reason] += 1
            if result.reason in BULK_DROPS:
                stats.inc_value(statskeys.drop(result.reason))
            else:
                self._drop(entry.url, result.reason, result.detail)
            return None
        assert isinstance(result, Article)
        if result.canonical_url in self._emitted:
            counts["duplicate_capture"] += 1
            self._drop(entry.url, "duplicate_capture", result.canonical_url)
            return None
        self._emitted.add(result.canonical_url)
        counts["articles"] += 1
        return result

    def _drop(self, url: str, reason: str, detail: str) -> None:
        outlet = self.registry.by_url(url) if url else None
        self.crawler.signals.send_catch_log(
            page_dropped, url=url, reason=reason, detail=detail,
            outlet_id=outlet.id if outlet else None, response=None,
        )

    # -- progress --------------------------------------------------------------------------------

    async def save_progress(self, spider: scrapy.Spider, reason: str) -> None:
        """Save each file's checkpoint once the run's feeds are in the spool or stored."""
        context = DeliveryContext.for_crawler(self.crawler)
        if context.exporter_active:
            await maybe_deferred_to_future(context.wait_closed())
        lost = [r for r in context.results if r.origin == "run" and r.status in ("failed", "lost")]
        if lost:
            self.logger.warning(
                "Backfill progress not saved: the run's feed did not reach the spool (%s); "
                "the next backfill reads these records again", lost[0].error)
            return
        for uri, progress in self.progress.items():
            self.store.set_checkpoint(f"warc:{uri}", progress)
