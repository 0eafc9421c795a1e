"""Measuring instruments for the crawl benchmark, loaded only by ``bench.crawl_settings``.

* :class:`CrawlProbe` (an extension) writes, when the engine stops, a JSON file (path in the
  environment variable ``NEWSBOT_BENCH_OUT``) with the crawl's duration (spider opened to engine
  stopped), its stats, and the peak RSS of the process and of its child processes.
* :class:`TimedPipelineManager` (``ITEM_PROCESSOR``) times every item pipeline's
  ``process_item``: the incremental pipeline counts as "state", the others as "pipelines".
* :class:`TimedFeedExporter` times the feed exporter's per-item work and its closing (sealing
  and delivery) as "feed".

Times are added to the stats as ``bench/time/<stage>`` (seconds).
"""

from __future__ import annotations

import json
import os
import resource
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.pipelines import ItemPipelineManager

from newsbot.delivery.exporter import DeliveryFeedExporter

STATE_PIPELINES = ("IncrementalPipeline",)


def _add(crawler: Crawler, stage: str, seconds: float) -> None:
    crawler.stats.inc_value(f"bench/time/{stage}", seconds)


class CrawlProbe:
    """Writes duration, stats and peak RSS to ``$NEWSBOT_BENCH_OUT`` when the engine stops."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.started = time.perf_counter()
        self.opened: float | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProbe:
        probe = cls(crawler)
        crawler.signals.connect(probe.spider_opened, signals.spider_opened)
        crawler.signals.connect(probe.engine_stopped, signals.engine_stopped)
        return probe

    def spider_opened(self, spider: Any) -> None:
        self.opened = time.perf_counter()

    def engine_stopped(self) -> None:
        out = os.environ.get("NEWSBOT_BENCH_OUT")
        if not out:
            return
        now = time.perf_counter()
        stats = {k: v for k, v in self.crawler.stats.get_stats().items()
                 if isinstance(v, (int, float, str))}
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        data = {
            "cpu": own.ru_utime + own.ru_stime,
            "children_cpu": children.ru_utime + children.ru_stime,
            "duration": now - (self.opened or self.started),
            "startup": (self.opened or now) - self.started,
            "stats": stats,
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        }
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(data, fh)


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
