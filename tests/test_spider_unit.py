"""The spider's routing, without a reactor: responses in, requests and drops out."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.utils.test import get_crawler

from newsbot.signals import page_dropped
from newsbot.spiders.bn_world import BnWorldSpider


@pytest.fixture
def spider_and_drops() -> tuple[BnWorldSpider, list[dict[str, Any]]]:
    crawler = get_crawler(BnWorldSpider, {"NEWSBOT_MAX_LISTING_PAGES": 2})
    spider = BnWorldSpider.from_crawler(crawler, outlets="jugantor,kalerkantho,samakal")
    drops: list[dict[str, Any]] = []

    def keep(**kwargs: Any) -> None:
        drops.append(kwargs)

    crawler.signals.connect(keep, signal=page_dropped, weak=False)
    return spider, drops


def response(url: str, body: str, kind: str, cls: type = HtmlResponse, **meta: Any) -> Response:
    request = Request(url, meta={"newsbot_kind": kind, **meta})
    return cls(url=url, body=body.encode("utf-8"), encoding="utf-8", request=request)


def test_start_points_come_from_the_registry(spider_and_drops: Any) -> None:
    spider, _ = spider_and_drops
    points = dict(spider._start_points())
    assert points["https://www.jugantor.com/international"] == "listing"
    assert points["https://www.jugantor.com/rss"] == "feed"
    assert any(u.startswith("https://www.kalerkantho.com/daily-sitemap/") for u in points)
    assert "www.jugantor.com" in spider.allowed_domains
    assert "prothomalo.com" not in spider.allowed_domains


def test_rss_items_become_article_requests_on_selected_outlets(spider_and_drops: Any) -> None:
    spider, drops = spider_and_drops
    rss = """<?xml version="1.0"?><rss><channel>
      <item><link>https://www.jugantor.com/international/123456?utm_source=rss#top</link></item>
      <item><link>https://www.prothomalo.com/world/asia/abc</link></item>
    </channel></rss>"""
    out = list(spider.parse(response("https://www.jugantor.com/rss", rss, "feed", TextResponse)))
    assert [(r.url, r.meta["newsbot_kind"]) for r in out] == [
        ("https://www.jugantor.com/international/123456", "article")
    ]
    assert drops == []


def test_listing_yields_articles_and_the_next_page_up_to_the_bound(spider_and_drops: Any) -> None:
    # samakal has no profile: the generic link rules apply.
    spider, _ = spider_and_drops
    html = """<html><body>
      <a href="/international/article/123456/slug">one</a>
      <a href="/international/article/654321/slug">two</a>
      <a href="/tags/gaza">tag</a><a href="/video/2026/11/28/777777">video</a>
      <a href="https://example.com/international/article/111111/x">away</a>
      <a href="/international?page=2">পরবর্তী</a></body></html>"""
    listing = "https://samakal.com/international"
    first = list(spider.parse(response(listing, html, "listing")))
    assert [(r.url, r.meta["newsbot_kind"]) for r in first] == [
        ("https://samakal.com/international/article/123456/slug", "article"),
        ("https://samakal.com/international/article/654321/slug", "article"),
        ("https://samakal.com/international?page=2", "listing"),
    ]
    last = list(spider.parse(response(f"{listing}?page=2", html, "listing", newsbot_page=2)))
    assert all(r.meta["newsbot_kind"] == "article" for r in last)


def test_a_page_that_cannot_be_read_is_a_counted_drop(
    spider_and_drops: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    spider, drops = spider_and_drops

    def broken(*args: Any) -> list[str]:
        raise RuntimeError("selector engine failed")

    monkeypatch.setattr("newsbot.spiders.bn_world.listing_article_links", broken)
    url = "https://www.jugantor.com/international"
    assert list(spider.parse(response(url, "<html></html>", "listing"))) == []
    assert [(d["url"], d["reason"]) for d in drops] == [(url, "parse_error")]


def test_article_pages_that_are_no_articles_are_dropped_with_a_reason(
    spider_and_drops: Any,
) -> None:
    spider, drops = spider_and_drops
    url = "https://www.jugantor.com/international/123456"
    assert list(spider.parse(response(url, "", "article"))) == []
    request = Request(url, meta={"newsbot_kind": "article"})
    binary = Response(url=url, body=b"\x89PNG\r\n", request=request)
    assert list(spider.parse(binary)) == []
    assert [d["reason"] for d in drops] == ["empty_page", "not_text"]


def test_a_bad_link_costs_only_itself(spider_and_drops: Any) -> None:
    spider, drops = spider_and_drops
    html = """<html><body>
      <a href="https://samakal.com:99999/international/article/1/x">bad port</a>
      <a href="http://[broken/international/article/2/x">bad host</a>
      <a href="/international/article/123456/slug">good</a>
      <a href="/international?page=2"><img src="arrow.png"></a>
      <a href="/international?page=3">»</a></body></html>"""
    out = list(spider.parse(response("https://samakal.com/international", html, "listing")))
    assert [(r.url, r.meta["newsbot_kind"]) for r in out] == [
        ("https://samakal.com/international/article/123456/slug", "article"),
        ("https://samakal.com/international?page=3", "listing"),
    ]
    assert drops == []


def test_a_feed_start_point_that_serves_html_is_read_as_a_listing(spider_and_drops: Any) -> None:
    spider, drops = spider_and_drops
    html = '<html><body><a href="/international/article/123456/slug">x</a></body></html>'
    out = list(spider.parse(response("https://samakal.com/rss", html, "feed")))
    assert [r.url for r in out] == ["https://samakal.com/international/article/123456/slug"]
    assert drops == []


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://samakal.com/rss", "feed"),
        ("https://www.prothomalo.com/feed/", "feed"),
        ("https://samakal.com/news_sitemap.xml", "feed"),
        ("https://www.jugantor.com/rss/rss.xml", "feed"),
        ("https://samakal.com/feedback", "listing"),
        ("https://samakal.com/world/anatomy-of-a-crisis", "listing"),
    ],
)
def test_start_url_kind_hint(url: str, kind: str) -> None:
    crawler = get_crawler(BnWorldSpider)
    spider = BnWorldSpider.from_crawler(crawler, start_urls=url)
    assert dict(spider._start_points()) == {url: kind}
