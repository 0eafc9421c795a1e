"""The feed exporter newsbot runs instead of Scrapy's (``EXTENSIONS``: Scrapy's ``FeedExporter``
set to None, this one enabled). It is built on Scrapy's exporter through
:class:`newsbot.scrapyadapter.FeedExporterAdapter`, the one place that touches its private hooks;
feeds are written through newsbot's feed storages (``FEED_STORAGES``, :mod:`.storage`).

Differences from Scrapy's:

* **Spool first.** When the spider opens, feeds left in the spool by earlier runs are stored
  before anything is crawled, so the incremental pipeline knows what they hold.
* **Loud configuration errors.** A feed with ``batch_item_count`` but no batch placeholder in its
  URI (``%(batch)s``, ``%(batch_id)d`` or ``%(batch_time)s``) stops the crawl before it starts
  (Scrapy would log an error, disable every feed and lose every item). Feeds of one run must
  share one batch size, so that a batch is sealed in all feeds at once.
* **Seal, then deliver.** Feed files closed together (at a batch boundary or at the end) are
  sealed together in the spool before any of them is stored; then each is stored.
* **One clear error.** A feed that cannot be stored is reported in one line (the first failure
  of the run as ERROR), stays in the spool, and the run ends with the delivery-failed exit code.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedSlot
from scrapy.utils.asyncio import is_asyncio_available, run_in_thread
from scrapy.utils.defer import deferred_from_coro, ensure_awaitable, maybe_deferred_to_future
from twisted.internet.defer import DeferredList

from newsbot.delivery.context import DeliveryContext
from newsbot.delivery.errors import DeliveryError, FeedConfigError
from newsbot.delivery.storage import SpoolFeedStorage
from newsbot.delivery.targets import check_no_credentials_in_settings
from newsbot.delivery.uri import has_batch_placeholder
from newsbot.scrapyadapter import FeedExporterAdapter

logger = logging.getLogger(__name__)


def check_feeds(feeds: dict[str, dict[str, Any]]) -> None:
    """Raise :class:`FeedConfigError` for feed settings that would lose data."""
    sizes = set()
    for uri_template, options in feeds.items():
        count = int(options.get("batch_item_count") or 0)
        sizes.add(count)
        if count and not has_batch_placeholder(uri_template):
            raise FeedConfigError(
                f"feed {uri_template} has batch_item_count={count} but its URI has no batch "
                "placeholder (%(batch)s, %(batch_id)d or %(batch_time)s); every batch would "
                "get the same name. Add one, e.g. ...%(stamp)s-%(batch)s.jsonl"
            )
    if len(sizes) > 1:
        raise FeedConfigError(
            "all feeds of a run must use the same batch_item_count (found "
            f"{sorted(sizes)}); otherwise a killed run could deliver an article to one feed "
            "and not to another"
        )


class DeliveryFeedExporter(FeedExporterAdapter):
    """Scrapy's feed exporter with spool-first, seal-then-deliver semantics."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeliveryFeedExporter:
        exporter = cls(crawler)
        crawler.signals.connect(exporter.open_spider, signals.spider_opened)
        crawler.signals.connect(exporter.close_spider, signals.spider_closed)
        crawler.signals.connect(exporter.item_scraped, signals.item_scraped)
        return exporter

    def __init__(self, crawler: Crawler):
        # before Scrapy logs the overridden settings, whatever the feeds
        check_no_credentials_in_settings(crawler.settings)
        self._closing: list[FeedSlot] = []
        self._tasks: list[Any] = []
        self._write_failed = False
        self._stopping: Any = None
        super().__init__(crawler)
        self.context = DeliveryContext.for_crawler(crawler)
        self.context.exporter_active = True

    def validate_feeds(self) -> None:
        """Refuse feed settings that would lose data (:func:`check_feeds`)."""
        check_feeds(self.feeds)

    # -- opening ---------------------------------------------------------------------------------

    async def open_spider(self, spider: Spider) -> None:  # type: ignore[override]
        """Check that the spool can be written, store what earlier runs left in it, then open
        the feeds. With a spool that cannot be written the run stops at once (nothing it
        crawled could be kept) and ends with the delivery-failed exit code."""
        try:
            self.context.check_spool()
        except DeliveryError as exc:
            self.context.report_failure(exc, None, uri=str(self.context.spool.dir),
                                        kept="Nothing was crawled.")
            self._stop("spool_unwritable")
            return
        try:
            await run_in_thread(self.context.flush)
        except Exception as exc:
            # e.g. an unreadable state store: the crawl goes on, its feed is spooled as usual,
            # and the run ends with the delivery-failed exit code.
            logger.debug("Spool flush failed", exc_info=True)
            self.context.report_failure(
                DeliveryError(f"could not process the spool: {type(exc).__name__}: {exc}"),
                None,
                origin="spool",
                uri=str(self.context.spool.dir),
            )
        super().open_spider(spider)

    def _stop(self, reason: str) -> None:
        """Close the spider (from a signal handler: scheduled, not awaited)."""
        engine = self.crawler.engine
        if engine is not None:
            self._stopping = deferred_from_coro(engine.close_spider_async(reason=reason))

    def item_scraped(self, item: Any, spider: Spider) -> None:
        try:
            super().item_scraped(item, spider)
        except OSError as exc:
            # The spool cannot take the feed (disk full, removed...): none of this run's feed
            # files is stored (their articles are emitted again by the next run); stop.
            message = f"could not write the feed in the spool: {exc.strerror or exc}"
            for slot in [*self.slots, *self._closing]:
                if isinstance(slot.storage, SpoolFeedStorage) and slot.storage.failure is None:
                    slot.storage.failure = message
            if not self._write_failed:
                self._write_failed = True
                logger.error("The spool cannot take the feed (%s); stopping the crawl", exc)
                self._stop("spool_write_failed")
            return
        if self._closing:
            self._seal_and_deliver(spider)

    # -- closing ---------------------------------------------------------------------------------

    def batch_full(self, slot: FeedSlot, spider: Spider) -> None:
        """Collect the full slot; it is sealed with the other feeds' slots closed by the same
        item, then delivered (see :meth:`item_scraped`)."""
        self._closing.append(slot)

    async def close_spider(self, spider: Spider) -> None:
        try:
            self._closing.extend(self.slots)
            self.slots = []
            self._seal_and_deliver(spider)
            while self._tasks:
                tasks, self._tasks = self._tasks, []
                if is_asyncio_available():
                    await asyncio.gather(*tasks, return_exceptions=True)
                else:
                    await maybe_deferred_to_future(DeferredList(tasks, consumeErrors=True))
        finally:
            self.context.mark_closed()
        await self.crawler.signals.send_catch_log_async(signals.feed_exporter_closed)

    def _seal_and_deliver(self, spider: Spider) -> None:
        closing, self._closing = self._closing, []
        ready: list[tuple[FeedSlot, Any]] = []
        for slot in closing:
            if slot.itemcount:
                slot.finish_exporting()
            elif slot.store_empty and slot.batch_id == 1:
                slot.start_exporting()
                slot.finish_exporting()
            else:
                continue
            ready.append((slot, self.file_of(slot)))
        # a feed the spool could not take in full is not sealed: the next run discards it
        spooled = [
            (s.storage, f)
            for s, f in ready
            if isinstance(s.storage, SpoolFeedStorage) and s.storage.failure is None
        ]
        try:
            self.context.seal([storage.finish(file) for storage, file in spooled])
        except Exception as exc:
            # reported once per feed by _deliver_slot (the run's first failure as the ERROR)
            logger.debug("Could not seal feed files in the spool", exc_info=True)
            for storage, _ in spooled:
                storage.failure = f"could not seal the feed in the spool: {exc}"
                if storage.entry is not None:
                    storage.entry.sealed = False
        for slot, file in ready:
            coro = self._deliver_slot(slot, file, spider)
            if is_asyncio_available():
                self._tasks.append(asyncio.ensure_future(coro))
            else:
                self._tasks.append(deferred_from_coro(coro))

    async def _deliver_slot(self, slot: FeedSlot, file: Any, spider: Spider) -> None:
        storage = slot.storage
        logmsg = f"{slot.format} feed ({slot.itemcount} items) in: {slot.uri}"
        slot_type = type(storage).__name__
        stats = self.crawler.stats
        try:
            await ensure_awaitable(storage.store(file))
        except DeliveryError as exc:
            self.context.report_failure(exc, getattr(storage, "entry", None), uri=slot.uri)
            stats.inc_value(f"feedexport/failed_count/{slot_type}")
        except Exception as exc:
            logger.debug("Error storing %s", logmsg, exc_info=True, extra={"spider": spider})
            self.context.report_failure(
                DeliveryError(f"{type(exc).__name__}: {exc}", target=slot.uri),
                getattr(storage, "entry", None),
                uri=slot.uri,
            )
            stats.inc_value(f"feedexport/failed_count/{slot_type}")
        else:
            logger.info("Stored %s", logmsg, extra={"spider": spider})
            stats.inc_value(f"feedexport/success_count/{slot_type}")
        await self.crawler.signals.send_catch_log_async(signals.feed_slot_closed, slot=slot)
