"""The spider's arguments and bounds, seen from the server side of real crawls."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from parsel import Selector

from newsbot.sampleweb import SampleWebServer, expected
from newsbot.urls import canonicalize_url
from tests.crawling import CrawlResult, run_crawl

NO_STATE = ["-s", "NEWSBOT_INCREMENTAL=False", "-s", "NEWSBOT_FOLLOW_RELATED=False"]


def crawl_and_log(
    web: SampleWebServer, workdir: Path, *args: str, outlets: str
) -> tuple[CrawlResult, list[tuple[str, str, str]]]:
    """Run a crawl and return it with the requests the server saw during it."""
    start = len(web.access_log)
    result = run_crawl(workdir, web.base_url, *args, outlets=outlets)
    assert result.returncode == 0, result.log[-3000:]
    return result, web.access_log[start:]


def test_outlets_argument_keeps_the_crawl_on_those_outlets(
    web: SampleWebServer, tmp_path: Path
) -> None:
    result, log = crawl_and_log(web, tmp_path, outlets="songkolon")
    items = result.items()
    assert {host for host, _, _ in log} == {"www.songkolon.example"}
    assert {item["outlet_id"] for item in items} == {"songkolon"}
    wanted = {a.canonical_url for a in expected.expected_articles()
              if a.outlet_id == "songkolon" and a.lang == "bn"}  # its Assamese page is dropped
    assert {item["canonical_url"] for item in items} == wanted
    # Its pages link to six other outlets; none of them was visited.
    assert sum(len(item["related_links"]) for item in items) > len(items)


def test_start_urls_argument_replaces_the_start_points(
    web: SampleWebServer, tmp_path: Path
) -> None:
    feed_url = "https://www.jugantor.com/rss"
    feed = web.lookup("www.jugantor.com", "/rss")
    listed = {
        canonicalize_url(u)
        for u in Selector(text=feed.body.decode("utf-8"), type="xml").xpath("//item/link/text()")
        .getall()
    }
    args = [*NO_STATE, "-a", f"start_urls={feed_url}"]
    result, log = crawl_and_log(web, tmp_path, *args, outlets="")
    paths = [path for _, path, _ in log]
    assert "/international" not in paths  # the listing start point was replaced
    assert paths.count("/rss") == 1
    disallowed = {canonicalize_url(u) for u in expected.robots_disallowed_urls()}
    got = {item["canonical_url"] for item in result.items()}
    assert got == listed - disallowed
    assert len(got) >= 8


def test_listing_pagination_is_bounded_by_a_setting(
    web: SampleWebServer, tmp_path: Path
) -> None:
    def listing_pages(log: list[tuple[str, str, str]]) -> list[str]:
        return sorted(p for _, p, _ in log if urlsplit(p).path == "/international")

    _, default = crawl_and_log(web, tmp_path / "default", *NO_STATE, outlets="jugantor")
    _, bounded = crawl_and_log(
        web, tmp_path / "bounded", *NO_STATE, "-s", "NEWSBOT_MAX_LISTING_PAGES=1",
        outlets="jugantor",
    )  # fmt: skip
    assert listing_pages(default) == ["/international", "/international?page=2"]
    assert listing_pages(bounded) == ["/international"]


def test_rejects_feed_can_be_turned_off_while_drops_are_still_counted(
    web: SampleWebServer, tmp_path: Path
) -> None:
    off = ["-s", "NEWSBOT_REJECTS_ENABLED=False"]
    result, _ = crawl_and_log(web, tmp_path, *NO_STATE, *off, outlets="prothomalo")
    assert result.rejects == []
    assert not list(tmp_path.rglob("*.rejects.jsonl*"))
    (summary,) = tmp_path.rglob("*.summary.json")
    assert '"language:en": 1' in summary.read_text(encoding="utf-8")
    assert "Dropped https://en.prothomalo.com/" in result.log
