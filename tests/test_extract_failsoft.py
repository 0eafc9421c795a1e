"""Profiles fail soft, per field: a field whose selectors match nothing falls back to metadata and
the generic extractor and is counted; a listing whose selectors find no article link falls back
to the generic rules; the canary calls a profile that misses on most pages a redesign."""

from __future__ import annotations

import re
from typing import Any

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newsbot.discovery import listing_article_links
from newsbot.extensions.canary import profile_alerts
from newsbot.extract.page import extract_page
from newsbot.extract.profiles import parse_profile
from newsbot.spiders.bn_world import BnWorldSpider

URL = "https://www.kalerkantho.com/online/world/2025/01/12/1456789"
PARAS = [
    "জাতিসংঘের মহাসচিব বলেছেন, গাজায় মানবিক সহায়তা পৌঁছাতে আরও বেশি পথ খুলে দিতে হবে।",
    "তিনি বলেন, শীতের মধ্যে লাখো মানুষ খোলা আকাশের নিচে দিন কাটাচ্ছে এবং খাদ্যসংকট বাড়ছে।",
    "নিরাপত্তা পরিষদের বৈঠকে কয়েকটি দেশ দ্রুত যুদ্ধবিরতির আহ্বান জানিয়েছে বলে কূটনীতিকেরা জানান।",
]
PROFILE = parse_profile({
    "outlet_id": "kalerkantho",
    "listing_links": [".catNewsList a::attr(href)"],
    "versions": [{
        "version": "2024", "detect": "article",
        "title": ["h1.my-3::text"], "body": ["div.newsArticle"],
        "published": ["time.pub::attr(datetime)"], "authors": ["span.author::text"],
        "tags": [".tags a::text"],
    }],
})


def redesigned_page() -> str:
    """The outlet's page after a redesign: the profile's classes are gone, metadata stays."""
    paras = "".join(f'<p class="x9k2">{p}</p>' for p in PARAS)
    return (
        '<html><head><meta property="og:title" content="গাজায় সহায়তার আহ্বান">'
        '<meta property="article:published_time" content="2025-01-12T10:00:00+06:00">'
        '<meta name="author" content="রাহুল দাস"><meta property="og:type" content="article">'
        '</head><body><article><h1 class="hd7">গাজায় সহায়তার আহ্বান</h1>'
        f'<div class="c1f">{paras}</div><div class="tags"><a href="/t/1">গাজা</a></div>'
        "</article></body></html>"
    )


def test_each_missing_field_falls_back_and_is_noted() -> None:
    misses: list[str] = []
    article = extract_page(redesigned_page(), URL, profiles={"kalerkantho": PROFILE},
                           misses=misses)
    assert article.title == "গাজায় সহায়তার আহ্বান"          # og:title
    assert article.body == PARAS                              # generic extractor
    assert article.published == "2025-01-12T10:00:00+06:00"   # article:published_time
    assert article.authors == ["রাহুল দাস"]                    # meta author
    assert article.tags == ["গাজা"]                           # the profile's own selector
    assert sorted(misses) == ["authors", "body", "published", "title"]


def test_a_page_no_version_recognises_is_a_detect_miss() -> None:
    misses: list[str] = []
    html = redesigned_page().replace("<article>", "<div>").replace("</article>", "</div>")
    article = extract_page(html, URL, profiles={"kalerkantho": PROFILE}, misses=misses)
    assert article.body == PARAS and misses == ["detect"]


def _response(url: str, html: str, kind: str) -> HtmlResponse:
    return HtmlResponse(url=url, body=html.encode(), encoding="utf-8",
                        request=Request(url, meta={"newsbot_kind": kind}))


def test_spider_counts_profile_misses_per_outlet_and_field() -> None:
    crawler = get_crawler(BnWorldSpider)
    spider = BnWorldSpider.from_crawler(crawler, outlets="kalerkantho")
    items = list(spider.parse(_response(URL, redesigned_page(), "article")))
    assert len(items) == 1 and items[0].body == PARAS
    stats = crawler.stats.get_stats()
    assert stats["newsbot/profile/pages/kalerkantho"] == 1
    # the bundled profile's detect selector finds nothing on the redesigned page
    assert stats["newsbot/profile/miss/kalerkantho/detect"] == 1


def test_listing_whose_selectors_find_nothing_falls_back_to_generic_rules() -> None:
    listing = ('<html><body><div class="grid-x">'
               '<a href="/online/world/2025/01/12/1456789">গাজায় সহায়তার আহ্বান</a>'
               '<a href="/online/world/2025/01/11/1456001">ইউক্রেনে হামলা</a>'
               '<a href="/online/world">বিশ্ব</a></div></body></html>')
    url = "https://www.kalerkantho.com/online/world"
    misses: list[str] = []
    links = listing_article_links(_response(url, listing, "listing"), "kalerkantho",
                                  misses=misses)
    assert links == ["https://www.kalerkantho.com/online/world/2025/01/12/1456789",
                     "https://www.kalerkantho.com/online/world/2025/01/11/1456001"]
    assert misses == ["listing_links"]
    # the profile's own selectors still win where they match
    ok = listing.replace('class="grid-x"', 'class="catNewsList"')
    misses.clear()
    assert len(listing_article_links(_response(url, ok, "listing"), "kalerkantho",
                                     misses=misses)) == 2
    assert misses == []


def test_listing_fallback_in_the_spider_requests_the_articles() -> None:
    crawler = get_crawler(BnWorldSpider, {"NEWSBOT_MAX_LISTING_PAGES": 1})
    spider = BnWorldSpider.from_crawler(crawler, outlets="kalerkantho")
    listing = ('<html><body><ul class="new-list"><li><a href="/online/world/2025/01/12/1456789">'
               "গাজা</a></li></ul></body></html>")
    url = "https://www.kalerkantho.com/online/world"
    requests = list(spider.parse(_response(url, listing, "listing")))
    assert [r.url for r in requests] == [URL]
    assert crawler.stats.get_value("newsbot/profile/miss/kalerkantho/listing_links") == 1


def stats(pages: int, **missed: int) -> dict[str, Any]:
    out: dict[str, Any] = {"newsbot/profile/pages/ittefaq": pages}
    out.update({f"newsbot/profile/miss/ittefaq/{k}": v for k, v in missed.items()})
    return out


@pytest.mark.parametrize(("counts", "kinds"), [
    (stats(10, updated=9, authors=7, body=2), []),       # optional fields may miss
    (stats(10, body=6), [("body", 0.6)]),                 # most pages: a redesign
    (stats(10, detect=10, title=10), [("detect", 1.0), ("title", 1.0)]),
    (stats(2, detect=2), []),                             # too few pages to judge
])
def test_canary_calls_a_profile_missing_on_most_pages_a_redesign(
        counts: dict[str, Any], kinds: list[tuple[str, float]]) -> None:
    alerts = profile_alerts(counts, min_pages=3)
    assert [(a.field, a.current) for a in alerts] == kinds
    assert all(a.kind == "profile_miss" and a.outlet_id == "ittefaq" for a in alerts)
    assert profile_alerts(counts, min_pages=3, accept={"ittefaq"}) == []
    assert profile_alerts(counts, min_pages=3, outlets={"jugantor"}) == []


def test_bbc_profile_relies_on_no_class_names() -> None:
    """BBC News বাংলা hashes its class names anew with each front-end release."""
    from newsbot.extract.profiles import load_profiles

    profile = load_profiles()["bbcbangla"]
    exprs = [*profile.listing_links, *profile.next_page]
    for version in profile.versions:
        exprs += [version.detect, version.paragraph, *version.body, *version.drop]
        exprs += [e for values in version.fields.values() for e in values]
        exprs += [e for rule in version.related for e in (rule.item, rule.title, rule.url)]
    for expr in filter(None, exprs):
        selector = expr.partition(" >> ")[0]  # the JMESPath part reads JSON, not markup
        assert not re.search(r"\.[A-Za-z_-]|@class|\[class", selector), expr
    assert any(" >> " in e and "__NEXT_DATA__" in e for e in exprs)
