"""End to end: ``scrapy crawl bn_world`` over the bundled sample web, served on 127.0.0.1."""

from __future__ import annotations

import collections
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from newsbot.sampleweb import SampleWebServer, expected
from newsbot.urls import canonicalize_url
from tests.crawling import CrawlResult


@pytest.fixture(scope="module")
def items(crawl: CrawlResult) -> list[dict[str, Any]]:
    return crawl.items()


@pytest.fixture(scope="module")
def summary(crawl: CrawlResult) -> dict[str, Any]:
    (path,) = crawl.workdir.rglob("*.summary.json")
    return json.loads(path.read_text(encoding="utf-8"))


def bengali_articles() -> list[expected.ExpectedArticle]:
    return [a for a in expected.expected_articles() if a.lang == "bn"]


def test_feed_is_written_where_users_expect_it(crawl: CrawlResult) -> None:
    (feed,) = crawl.feeds
    rel = feed.relative_to(crawl.workdir)
    assert rel.parts[:2] == ("feeds", "bn_world")
    assert len(rel.parts[2]) == len("2026-11-29")
    assert rel.name.endswith("Z.jsonl")


def test_every_expected_article_is_in_the_feed_exactly_once(items: list[dict[str, Any]]) -> None:
    counts = collections.Counter(item["canonical_url"] for item in items)
    wanted = {a.canonical_url: a for a in bengali_articles()}
    assert len(wanted) >= 60
    missing = sorted(set(wanted) - set(counts))
    assert not missing
    assert [url for url, n in counts.items() if n > 1] == []
    assert set(counts) == set(wanted)
    by_url = {item["canonical_url"]: item for item in items}
    for url, article in wanted.items():
        assert by_url[url]["title"] == article.title
        assert by_url[url]["outlet_id"] == article.outlet_id


def test_no_non_article_page_is_in_the_feed(items: list[dict[str, Any]]) -> None:
    fed = {canonicalize_url(item["url"]) for item in items}
    fed |= {item["canonical_url"] for item in items}
    for url in expected.non_article_urls():
        assert canonicalize_url(url) not in fed


def test_robots_disallowed_page_is_never_requested(
    web: SampleWebServer, crawl: CrawlResult, summary: dict[str, Any]
) -> None:
    disallowed = expected.robots_disallowed_urls()
    assert disallowed
    requested = {(host, path) for host, path, _ in web.access_log}
    for url in disallowed:
        parts = urlsplit(url)
        assert (parts.hostname, parts.path) not in requested
    # The spider did want them: robots.txt is what stopped it.
    assert summary["stats"].get("robotstxt/forbidden", 0) >= len(disallowed)


def test_every_request_carries_the_honest_user_agent(
    web: SampleWebServer, crawl: CrawlResult
) -> None:
    agents = {agent for _, _, agent in web.access_log}
    assert agents == {
        "newsbot/0.1.0 (Bengali news corpus crawler; +mailto:newsbot-operator@localhost)"
    }
    robots = [path for _, path, _ in web.access_log if path == "/robots.txt"]
    hosts = {host for host, _, _ in web.access_log}
    assert len(robots) == len(hosts)


def test_duplicate_urls_collapse_to_one_article(items: list[dict[str, Any]]) -> None:
    canon = collections.Counter(item["canonical_url"] for item in items)
    for canonical_url, variants in expected.duplicate_url_variants().items():
        assert len(variants) >= 3
        assert canon[canonical_url] == 1


def test_bengali_is_written_as_utf8_characters(crawl: CrawlResult) -> None:
    raw = crawl.feeds[0].read_bytes()
    assert "রাশিয়া".encode() in raw or "বিশ্ব".encode() in raw
    assert b"\\u09" not in raw
    raw.decode("utf-8")


def test_legacy_charset_page_decodes_to_correct_bengali(items: list[dict[str, Any]]) -> None:
    url = expected.legacy_charset_url()
    (article,) = [a for a in expected.expected_articles() if a.url == url]
    (item,) = [i for i in items if i["canonical_url"] == article.canonical_url]
    assert item["title"] == article.title
    assert "\ufffd" not in item["title"] + "".join(item["body"])
    assert item["body"][0] == article.body[0]


def test_seed_aggregator_page_is_there_with_title_and_body(items: list[dict[str, Any]]) -> None:
    seed = Path(__file__).parent / "fixtures" / "seed" / "000_6a9de8de847cfd9f.txt"
    lines = [line.strip() for line in seed.read_text(encoding="utf-8").splitlines()]
    (item,) = [i for i in items if i["title"] == lines[0]]
    assert item["outlet_id"] == "songkolon"
    assert item["body"][0] == lines[2]
    assert item["body"][-1].startswith("বিনিময়ে কিম কৃত্রিম উপগ্রহ")
    assert "পুতিনের সাথে একান্ত বৈঠক করতে পারেন কিম।" in item["body"]


def test_every_fetched_page_is_an_article_or_a_counted_drop(summary: dict[str, Any]) -> None:
    stats = summary["stats"]
    drops = {k: v for k, v in stats.items() if k.startswith("newsbot/drop/")}
    assert drops.get("newsbot/drop/http_404", 0) >= 1
    assert drops.get("newsbot/drop/duplicate_url", 0) >= 1
    assert drops.get("newsbot/drop/language:en", 0) == 1
    assert drops.get("newsbot/drop/language:hi", 0) == 1
    assert drops.get("newsbot/drop/language:as", 0) == 1
    assert drops.get("newsbot/drop/language:bn-Latn", 0) == 1
    seen_by_spider = stats.get("response_received_count", 0) - stats.get(
        "robotstxt/response_count", 0
    )
    discovery = sum(stats.get(f"newsbot/pages/{k}", 0) for k in ("listing", "feed"))
    accounted = discovery + stats.get("item_scraped_count", 0) + sum(drops.values())
    assert accounted == seen_by_spider


def test_rejects_feed_holds_every_drop_with_its_reason(crawl: CrawlResult) -> None:
    rejected = crawl.rejected()
    reasons = collections.Counter(r["reason"] for r in rejected)
    assert reasons["language:en"] == 1
    assert reasons["language:hi"] == 1
    assert reasons["language:as"] == 1
    assert reasons["language:bn-Latn"] == 1
    assert reasons["http_404"] >= 1
    assert all(r["url"].startswith("https://") for r in rejected)

