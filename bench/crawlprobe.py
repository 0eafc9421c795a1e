"""The crawl benchmark's probe (an extension, light enough for the reference spiders): writes,
when the engine stops, a JSON file (path in the environment variable ``NEWSBOT_BENCH_OUT``) with
the crawl's duration (spider opened to engine stopped), its stats, its CPU time from spider open
on, and the peak RSS of the process (``VmHWM``: ``ru_maxrss`` would report the larger parent it
was forked from) and of its extraction workers."""

from __future__ import annotations

import json
import os
import resource
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from newsbot.extract.pool import peak_rss_mb
from newsbot.statskeys import EXTRACT_WORKERS_PEAK_RSS


class CrawlProbe:
    """Writes duration, stats and peak RSS to ``$NEWSBOT_BENCH_OUT`` when the engine stops."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.started = time.perf_counter()
        self.opened: float | None = None
        self.cpu_at_open = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProbe:
        probe = cls(crawler)
        crawler.signals.connect(probe.spider_opened, signals.spider_opened)
        crawler.signals.connect(probe.engine_stopped, signals.engine_stopped)
        return probe

    def spider_opened(self, spider: Any) -> None:
        self.opened = time.perf_counter()
        own = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu_at_open = own.ru_utime + own.ru_stime

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
            "cpu": own.ru_utime + own.ru_stime - self.cpu_at_open,
            "children_cpu": children.ru_utime + children.ru_stime,
            "duration": now - (self.opened or self.started),
            "startup": (self.opened or now) - self.started,
            "stats": stats,
            "rss_mb": peak_rss_mb(),
            "children_rss_mb": self.crawler.stats.get_value(EXTRACT_WORKERS_PEAK_RSS, 0.0),
        }
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(data, fh)


