"""The reference spiders of the crawl benchmark (``scrapy runspider``).

Both read the outlet's sitemap index and news sitemaps and fetch every article they list,
through the same download handler as ``bn_world`` (``NEWSBOT_SAMPLE_WEB``); ``bare`` does
nothing with a page,
``trafilatura`` calls ``trafilatura.extract`` on it. ``-a kind=bare|trafilatura -a
sitemap=URL``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Request, Response


class BenchSpider(scrapy.Spider):
    """Fetch every article of a sitemap; optionally run trafilatura on it."""

    name = "bench"
    custom_settings: ClassVar[dict[str, Any]] = {
        "DOWNLOAD_HANDLERS": {
            "http": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
            "https": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
        },
        "NEWSBOT_SAMPLE_WEB": os.environ.get("NEWSBOT_SAMPLE_WEB", ""),
        "EXTENSIONS": {"bench.crawlprobe.CrawlProbe": 900},
        "TELNETCONSOLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }

    def __init__(self, kind: str = "bare", sitemap: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self.kind = kind
        self.sitemap = sitemap
        if kind == "trafilatura":
            import trafilatura

            self._extract = trafilatura.extract

    async def start(self) -> AsyncIterator[Request]:
        yield Request(self.sitemap, callback=self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        response.selector.remove_namespaces()
        for url in response.xpath("//sitemap/loc/text()").getall():
            yield Request(url.strip(), callback=self.parse_sitemap)
        for url in response.xpath("//url/loc/text()").getall():
            yield Request(url.strip(), callback=self.parse_article)

    def parse_article(self, response: Response) -> None:
        self.crawler.stats.inc_value("bench/articles")
        if self.kind == "trafilatura" and self._extract(response.text):
            self.crawler.stats.inc_value("bench/extracted")
