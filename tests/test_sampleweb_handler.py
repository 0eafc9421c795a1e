"""The Scrapy download handler that routes a crawl to the sample web."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsbot.sampleweb import expected
from newsbot.sampleweb.handler import SETTING, SampleWebDownloadHandler, rewrite_url

REPO = Path(__file__).resolve().parent.parent

SPIDER = r'''
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

urls, sample_web, out, raw = json.loads(sys.argv[1])


class Probe(scrapy.Spider):
    name = "probe"

    async def start(self):
        for url in urls:
            yield scrapy.Request(url, callback=self.seen, errback=self.failed)
        if raw:
            yield scrapy.Request(raw + "/robots.txt", headers={"Host": "www.jugantor.com"},
                                 callback=self.seen, dont_filter=True)

    def seen(self, response):
        yield {"asked": response.request.meta.get("redirect_urls", [response.url])[0],
               "url": response.url, "status": response.status,
               "title": response.css("title::text").get() if hasattr(response, "css") else None,
               "text": response.text[:200] if hasattr(response, "text") else ""}

    def failed(self, failure):
        self.logger.info("FAILED %s", failure.request.url)


process = CrawlerProcess({
    "DOWNLOAD_HANDLERS": {
        "http": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
        "https": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
    },
    "NEWSBOT_SAMPLE_WEB": sample_web,
    "ROBOTSTXT_OBEY": True,
    "LOG_LEVEL": "INFO",
    "FEEDS": {out: {"format": "jsonlines", "encoding": "utf-8"}},
})
process.crawl(Probe)
process.start()
'''


def test_rewrite_url_keeps_path_query_and_host() -> None:
    base = "http://127.0.0.1:8123"
    assert rewrite_url("https://www.prothomalo.com/world?page=2", base) == (
        "http://127.0.0.1:8123/world?page=2", "www.prothomalo.com")
    assert rewrite_url("https://www.mzamin.com/news.php?news=123456#top", base + "/") == (
        "http://127.0.0.1:8123/news.php?news=123456", "www.mzamin.com")
    assert rewrite_url("http://feeds.bbci.co.uk/bengali/rss.xml", base) == (
        "http://127.0.0.1:8123/bengali/rss.xml", "feeds.bbci.co.uk")
    assert rewrite_url("https://www.anandabazar.com", base) == (
        "http://127.0.0.1:8123/", "www.anandabazar.com")
    assert rewrite_url("https://www.prothomalo.com/topic/%E0%A6%97%E0%A6%BE%E0%A6%9C%E0%A6%BE",
                       base)[0].endswith("/topic/%E0%A6%97%E0%A6%BE%E0%A6%9C%E0%A6%BE")
    assert SETTING == "NEWSBOT_SAMPLE_WEB"
    assert callable(SampleWebDownloadHandler.download_request)


def crawl(tmp_path: Path, urls: list[str], sample_web: str, raw: str = "") -> list[dict]:
    out = tmp_path / "items.jsonl"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    script = tmp_path / "probe.py"  # a file: Scrapy reads callbacks' source
    script.write_text(SPIDER, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script), json.dumps([urls, sample_web, str(out), raw])],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


@pytest.mark.timeout(180)
def test_crawl_through_the_handler(sample_web: str, tmp_path: Path) -> None:
    (old, new), = expected.redirects().items()
    legacy = expected.legacy_charset_url()
    article = next(a for a in expected.expected_articles() if a.outlet_id == "bbcbangla")
    urls = [old, legacy, article.url, *expected.robots_disallowed_urls(),
            *expected.not_found_urls()]
    items = {i["asked"]: i for i in crawl(tmp_path, urls, sample_web)}
    assert items[old]["url"] == new and items[old]["status"] == 200
    (legacy_article,) = [a for a in expected.expected_articles() if a.url == legacy]
    assert items[legacy]["title"].startswith(legacy_article.title)
    assert items[article.url]["url"] == article.url
    assert article.title in items[article.url]["title"]
    for url in expected.robots_disallowed_urls() + expected.not_found_urls():
        assert url not in items


def test_without_the_setting_the_handler_is_the_stock_one(sample_web: str, tmp_path: Path) -> None:
    items = crawl(tmp_path, [], "", raw=sample_web)
    (item,) = items
    assert item["url"] == sample_web + "/robots.txt"
    assert "Disallow: /print/" in item["text"]
