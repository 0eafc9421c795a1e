"""Stage timers of the crawl benchmark, loaded only by ``bench.crawl_settings``.

* :class:`TimedPipelineManager` (``ITEM_PROCESSOR``) times every item pipeline's
  ``process_item``: the incremental pipeline counts as "state", the others as "pipelines".
* :class:`TimedFeedExporter` times the feed exporter's per-item work and its closing (sealing
  and delivery) as "feed".

Times are added to the stats as ``bench/time/<stage>`` (seconds).
"""

from __future__ import annotations

import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.pipelines import ItemPipelineManager

from newsbot.delivery.exporter import DeliveryFeedExporter

STATE_PIPELINES = ("IncrementalPipeline",)


def _add(crawler: Crawler, stage: str, seconds: float) -> None:
    crawler.stats.inc_value(f"bench/time/{stage}", seconds)


class TimedPipelineManager(ItemPipelineManager):
    """Scrapy's pipeline manager, timing each pipeline's ``process_item``."""

    def _add_middleware(self, mw: Any) -> None:
        super()._add_middleware(mw)
        if not hasattr(mw, "process_item"):
            return
        stage = "state" if type(mw).__name__ in STATE_PIPELINES else "pipelines"
        original = self.methods["process_item"].pop()
        crawler = self.crawler

        def timed(item: Any, *args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(item, *args, **kwargs)
            finally:
                _add(crawler, stage, time.perf_counter() - t0)

        self.methods["process_item"].append(timed)


class TimedFeedExporter(DeliveryFeedExporter):
    """The delivery feed exporter, timing per-item export and the closing of the feeds."""

    def item_scraped(self, item: Any, spider: Any) -> None:
        t0 = time.perf_counter()
        try:
            super().item_scraped(item, spider)
        finally:
            _add(self.crawler, "feed", time.perf_counter() - t0)

    async def close_spider(self, spider: Any) -> None:
        t0 = time.perf_counter()
        try:
            await super().close_spider(spider)
        finally:
            _add(self.crawler, "feed", time.perf_counter() - t0)
