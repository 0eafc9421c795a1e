"""The one module that relies on Scrapy beyond its documented interfaces.

Everything else in newsbot uses Scrapy's public extension points (feed storages through
``FEED_STORAGES``, ``FEED_URI_PARAMS``, item filters, signals, add-ons, download handlers). Where
that is not enough, the private hook is used here and nowhere else, behind a name of ours:

* :class:`FeedExporterAdapter` — the base of newsbot's feed exporter. Scrapy 2.19's
  ``FeedExporter`` validates feeds in ``_settings_are_valid`` (which rejects newsbot's
  ``%(batch)s`` placeholder), closes a full batch in ``_schedule_slot_close`` (newsbot seals the
  files of one batch together before storing any) and gets a slot's file in ``_get_file``. Its
  public ``item_scraped`` keeps doing the batching; the adapter turns these three private calls
  into :meth:`~FeedExporterAdapter.validate_feeds`, :meth:`~FeedExporterAdapter.batch_full` and
  :meth:`~FeedExporterAdapter.file_of`. The ``FeedSlot`` attributes used (``storage``,
  ``itemcount``, ``batch_id``, ``store_empty``, ``uri``, ``format``, ``start_exporting``,
  ``finish_exporting``) are the slot that Scrapy's documented ``feed_slot_closed`` signal passes.
* :func:`finish_scraper_closing` — Scrapy 2.19 does not look again whether the scraper may close
  when an item yielded by ``start()`` finishes after a graceful shutdown began (SIGTERM), so the
  run hangs (scrapy/scrapy#7029); this calls the scraper's private ``_check_if_closing``.
* :func:`wake_engine` — the engine's private ``_slot.nextcall``, to make an idle worker of a shared
  run ask its scheduler for requests sooner than Scrapy's 5-second heartbeat.

``tests/test_scrapy_adapter.py`` checks every one of these names and signatures and that the
installed Scrapy is :data:`SCRAPY_VERSION`; it fails loudly on an upgrade, and this module is the
only place to look at then.
"""

from __future__ import annotations

from typing import IO, Any, Literal

from scrapy import Spider
from scrapy.core.engine import ExecutionEngine
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FeedExporter, FeedSlot

#: The Scrapy release this module was written and checked against.
SCRAPY_VERSION = "2.19.0"


class FeedExporterAdapter(FeedExporter):
    """Scrapy's ``FeedExporter`` with its private hooks turned into overridable methods."""

    def validate_feeds(self) -> None:
        """Check ``self.feeds`` (URI template → completed options) when the exporter is built;
        raise to refuse the configuration. The default accepts every feed."""

    def batch_full(self, slot: FeedSlot, spider: Spider) -> None:
        """``slot`` reached its feed's ``batch_item_count`` while ``item_scraped`` exported an
        item; Scrapy has started the slot of the next batch in its place. Called once per full
        slot, before ``item_scraped`` returns. Must be overridden: the slot is closed and
        stored by the subclass."""
        raise NotImplementedError

    @staticmethod
    def file_of(slot: FeedSlot) -> IO[bytes]:
        """The file ``slot`` wrote, after post-processing (e.g. gzip) was closed: the one to
        store."""
        return FeedExporter._get_file(slot)

    # -- Scrapy's private hooks ------------------------------------------------------------------

    def _settings_are_valid(self) -> bool:
        self.validate_feeds()
        return True

    def _schedule_slot_close(self, slot: FeedSlot, spider: Spider) -> Any:
        self.batch_full(slot, spider)
        return None


def _engine(crawler: Crawler) -> ExecutionEngine | None:
    """The crawler's engine; None before the crawl starts (Scrapy raises then)."""
    try:
        return crawler.engine
    except RuntimeError:
        return None


ClosingState = Literal["running", "closing", "done"]


def finish_scraper_closing(crawler: Crawler) -> ClosingState:
    """Let a scraper that is closing and idle finish closing now (the SIGTERM hang above).

    Returns ``"done"`` when there is nothing left to do (no scraper slot, closing finished, or
    finished by this call), ``"closing"`` while closing waits for items still in progress, and
    ``"running"`` when no shutdown has begun."""
    engine = _engine(crawler)
    slot = engine.scraper.slot if engine is not None else None
    if slot is None or (slot.closing is not None and slot.closing.called):
        return "done"
    if slot.closing is None:
        return "running"
    if slot.is_idle():
        engine.scraper._check_if_closing()
        return "done"
    return "closing"


def wake_engine(crawler: Crawler) -> bool:
    """Make an idle engine ask the scheduler for requests now; False when there is no running
    engine.

    Scrapy polls an empty scheduler only every 5 s (the engine slot's heartbeat); a worker
    whose queue is shared learns of new requests from other workers' pushes, so it asks sooner.
    """
    slot = getattr(_engine(crawler), "_slot", None)
    nextcall = getattr(slot, "nextcall", None)
    if nextcall is None:
        return False
    nextcall.schedule()
    return True
