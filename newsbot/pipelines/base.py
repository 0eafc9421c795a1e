"""What every newsbot pipeline shares: built from settings and a stats collector (in a crawl,
the crawler's; outside one, any object with ``inc_value`` or None), counting its events under
``newsbot/<pipeline>/<event>``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newsbot import statskeys


def as_settings(settings: BaseSettings | Mapping[str, Any] | None) -> BaseSettings:
    """``settings`` as Scrapy settings (a plain mapping or None is wrapped)."""
    if isinstance(settings, BaseSettings):
        return settings
    return BaseSettings(dict(settings or {}))


class CountingPipeline:
    """Base of the item pipelines: ``Cls(settings, stats)`` or ``Cls.from_crawler(crawler)``."""

    #: Stats keys of this pipeline start with this, e.g. ``newsbot/duplicates/``.
    stats_prefix = statskeys.PIPELINE_PREFIX

    def __init__(self, settings: BaseSettings | Mapping[str, Any] | None = None, stats: Any = None):
        self.settings = as_settings(settings)
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """The pipeline with the crawler's settings and stats."""
        return cls(crawler.settings, crawler.stats)

    def _inc(self, event: str, count: int = 1) -> None:
        if self.stats is not None and count:
            self.stats.inc_value(self.stats_prefix + event, count)
