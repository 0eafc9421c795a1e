"""Crawl-scale plumbing: sitemaps read as a stream and paged into the scheduler, run-scoped URL
sets as digests, extraction in worker processes (same articles as in the crawl process)."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest import mock

import pytest
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, XmlResponse
from scrapy.utils.test import get_crawler

from newsbot.discovery import feed_entry_urls, is_xml_response
from newsbot.extract import ExtractionError, extract_html
from newsbot.extract.pool import ExtractionPool
from newsbot.sampleweb.model import load
from newsbot.sampleweb.render import render_article
from newsbot.spiders.bn_world import BnWorldSpider
from newsbot.urls import SeenSet
from tests.crawling import CrawlResult, crawl_env, run_crawl

NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def sitemap(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>2026-11-28</lastmod></url>\n" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset {NS}>\n{entries}</urlset>\n'.encode()


def article_urls(n: int) -> list[str]:
    return [f"https://www.jugantor.com/international/{100000 + i}/story-{i}" for i in range(n)]


def test_large_sitemap_is_read_as_a_stream_in_order() -> None:
    urls = article_urls(20_000)
    response = XmlResponse("https://www.jugantor.com/sitemap.xml", body=sitemap(urls))
    assert is_xml_response(response)
    entries, children = feed_entry_urls(response)
    assert entries == urls and children == []
    index = (f'<?xml version="1.0"?><sitemapindex {NS}><sitemap><loc>https://www.jugantor.com/'
             "a.xml</loc></sitemap><sitemap><loc> https://www.jugantor.com/b.xml </loc>"
             "</sitemap></sitemapindex>").encode()
    assert feed_entry_urls(XmlResponse("https://www.jugantor.com/s.xml", body=index)) == (
        [], ["https://www.jugantor.com/a.xml", "https://www.jugantor.com/b.xml"])
    # relative locations are resolved; a cut-off document yields what it holds
    cut = sitemap(["/international/1/a", "/international/2/b"])[:-30]
    entries, _ = feed_entry_urls(XmlResponse("https://www.jugantor.com/s.xml", body=cut))
    assert entries[0] == "https://www.jugantor.com/international/1/a"


@pytest.fixture
def spider() -> BnWorldSpider:
    crawler = get_crawler(BnWorldSpider, {"NEWSBOT_FRONTIER_BATCH": 50})
    return BnWorldSpider.from_crawler(crawler, outlets="jugantor")


def test_sitemap_is_paged_into_the_scheduler(spider: BnWorldSpider) -> None:
    stats = spider.crawler.stats
    urls = article_urls(1000)
    request = Request("https://www.jugantor.com/sitemap.xml", meta={"newsbot_kind": "sitemap"})
    response = XmlResponse(request.url, body=sitemap(urls), request=request)
    first = list(spider.parse(response))
    assert [r.url for r in first] == urls[:50]
    assert len(spider._frontier) == 950
    # the scheduler still holds them all: nothing more
    stats.set_value("scheduler/enqueued", 50)
    stats.set_value("scheduler/dequeued", 0)
    assert list(spider._top_up()) == []
    # 30 taken out: 30 more go in with the next response the spider sees
    stats.set_value("scheduler/dequeued", 30)
    listing = Request("https://www.jugantor.com/international", meta={"newsbot_kind": "listing"})
    more = [r for r in spider.parse(XmlResponse(listing.url, body=b"<rss/>", request=listing))
            if r.url in urls]
    assert [r.url for r in more] == urls[50:80]
    # an idle engine gets the next page and keeps the spider open until the frontier is empty
    stats.set_value("scheduler/enqueued", 80)
    stats.set_value("scheduler/dequeued", 80)
    spider.crawler.engine = mock.Mock()
    with pytest.raises(DontCloseSpider):
        spider._on_idle()
    assert spider.crawler.engine.crawl.call_count == 50
    spider._frontier.clear()
    spider._on_idle()  # nothing left: the spider may close


def test_child_sitemaps_are_requested_one_at_a_time(spider: BnWorldSpider) -> None:
    """A sitemap index's children are fetched one after another as the frontier runs low, so
    the frontier never holds the URLs of every child at once."""
    stats = spider.crawler.stats
    children = [f"https://www.jugantor.com/sitemap-{k}.xml" for k in range(3)]
    index = (f'<?xml version="1.0"?><sitemapindex {NS}>'
             + "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in children)
             + "</sitemapindex>").encode()
    request = Request("https://www.jugantor.com/sitemap.xml", meta={"newsbot_kind": "sitemap"})
    out = list(spider.parse(XmlResponse(request.url, body=index, request=request)))
    assert [r.url for r in out] == children[:1]
    # its articles come back: the frontier is full (batch 50), no second child yet
    urls = article_urls(200)
    first = out[0]
    out = list(spider.parse(XmlResponse(first.url, body=sitemap(urls), request=first)))
    assert [r.url for r in out] == urls[:50] and len(spider._frontier) == 150
    stats.set_value("scheduler/enqueued", 50)
    stats.set_value("scheduler/dequeued", 50)
    listing = Request("https://www.jugantor.com/international", meta={"newsbot_kind": "listing"})
    rss = XmlResponse(listing.url, body=b"<rss/>", request=listing)
    assert children[1] not in [r.url for r in spider.parse(rss)]
    # the frontier runs low: the next child goes out, and only one while it is in flight
    spider._frontier = type(spider._frontier)(urls[190:])
    stats.set_value("scheduler/enqueued", 1000)
    stats.set_value("scheduler/dequeued", 1000)
    released = [r.url for r in spider.parse(rss)]
    assert children[1] in released and children[2] not in released
    assert children[2] not in [r.url for r in spider.parse(rss)]
    # a failed child counts as back; an idle engine gets the last one and stays open
    failed = Request(children[1], meta={"newsbot_deferred_sitemap": True})
    spider.on_error(mock.Mock(request=failed, check=mock.Mock(return_value=False),
                              value=ValueError("boom")))
    assert spider._sitemaps_in_flight == 0
    spider.crawler.engine = mock.Mock()
    spider._frontier.clear()
    with pytest.raises(DontCloseSpider):
        spider._on_idle()
    assert [c.args[0].url for c in spider.crawler.engine.crawl.call_args_list] == children[2:]
    spider._on_idle()  # nothing left: the spider may close


def test_seen_set_keeps_digests() -> None:
    seen = SeenSet()
    seen.add("https://www.jugantor.com/international/1/a")
    assert "https://www.jugantor.com/international/1/a" in seen
    assert "https://www.jugantor.com/international/1/b" not in seen and 42 not in seen
    assert len(seen) == 1


def test_pool_extracts_what_the_crawl_process_extracts() -> None:
    web = load()
    arts = [a for a in web.articles.values() if a.lang == "bn"][:4]
    pages = [(render_article(web, a).encode("utf-8"), a.url) for a in arts]
    pool = ExtractionPool(1)
    try:
        pool.warm_up()

        async def both() -> list[Any]:
            return [await pool.extract(body, url, "utf-8", "2026-11-29T06:00:00+00:00")
                    for body, url in pages]

        pooled = asyncio.run(both())
        with pytest.raises(ExtractionError) as failed:
            asyncio.run(pool.extract(b"   ", "https://www.jugantor.com/x/1", None, "t"))
        assert failed.value.reason == "empty_page"
        assert pool.cpu_seconds > 0 and pool.peak_rss_mb() > 0
    finally:
        pool.close()
    local = [extract_html(body, url, encoding="utf-8", fetched_at="2026-11-29T06:00:00+00:00")
             for body, url in pages]
    assert pooled == local


@pytest.fixture(scope="module")
def pooled_crawl(web: Any, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    env = crawl_env(web.base_url)
    return run_crawl(tmp_path_factory.mktemp("pooled"), web.base_url,
                     "-s", "NEWSBOT_EXTRACT_WORKERS=1", env=env)


def test_crawl_with_extraction_workers_delivers_the_same_articles(
    crawl: CrawlResult, pooled_crawl: CrawlResult
) -> None:
    assert pooled_crawl.returncode == 0, pooled_crawl.log[-3000:]
    assert "Extracting in 1 worker process(es)" in pooled_crawl.log

    def key(record: dict[str, Any]) -> tuple[Any, ...]:
        return (record["canonical_url"], record["title"], tuple(record["body"]),
                record["published"], tuple(r["url"] or "" for r in record["related_links"]))

    assert sorted(map(key, pooled_crawl.items())) == sorted(map(key, crawl.items()))
    assert sorted(r["reason"] for r in pooled_crawl.rejected()) == sorted(
        r["reason"] for r in crawl.rejected())
