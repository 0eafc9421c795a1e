"""Outlet profiles as data: loading, version choice, per-field fallback, spider helpers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse

from newsbot.discovery import article_url_matches
from newsbot.extract import page_is_article
from newsbot.extract.page import ProfileExtractor, build_context, extract_page, extractor_for
from newsbot.extract.profiles import (
    ProfileError,
    article_url_patterns,
    listing_link_selectors,
    load_profiles,
    load_profiles_from,
    next_page_selectors,
    parse_profile,
)
from newsbot.extract.selectors import compile_check, select, select_all
from newsbot.registry import load_registry

URL = "https://www.kalerkantho.com/online/world/2026/11/24/1234567"
PARAS = [
    "জেনেভায় দুই দিনের আলোচনার পর সমঝোতার ঘোষণা এসেছে, স্বস্তি ফিরেছে এশিয়ার পুঁজিবাজারে।",
    "বিশ্লেষকেরা বলছেন, চুক্তি কার্যকর হলে আগামী বছর বাণিজ্য প্রবৃদ্ধি বাড়তে পারে।",
    "তবে কয়েকটি দেশ শর্তগুলো নিয়ে আপত্তি জানিয়েছে এবং আলোচনা চালিয়ে যাওয়ার কথা বলেছে।",
]

PROFILE = {
    "outlet_id": "kalerkantho",
    "article_url": [r"^https://www\.kalerkantho\.com/online/world/\d{4}/\d{2}/\d{2}/\d+$"],
    "listing_links": ["a.news-link::attr(href)"],
    "next_page": ["a[rel=next]::attr(href)"],
    "versions": [
        {   # listed first but older: the newest version must still be tried first
            "version": "2019", "detect": "div#old-layout",
            "title": ["h2.old-title::text"], "body": ["div#old-layout"],
        },
        {
            "version": "2024", "detect": "div.newsArticle",
            "title": ["h1.headline::text", "meta[property='og:title']::attr(content)"],
            "body": ["div.newsArticle"], "paragraph": "p",
            "drop": [".ad", "p.caption"],
            "published": ["//time[@class='pub']/@datetime", ".pub-text::text"],
            "updated": [".upd::text"],
            "authors": ["span.author::text"], "desk": ["span.desk::text"],
            "section": ["ol.crumbs li:last-child::text"],
            "tags": [".tags a::text"],
            "image": ["meta[property='og:image']::attr(content)"],
            "image_caption": ["figure figcaption::text"],
        },
    ],
}


def page(new_layout: bool = True, extra_head: str = "", title_h1: bool = True,
         dates: str = "") -> str:
    paras = "".join(f"<p>{p}</p>" for p in PARAS)
    body = (
        f'<div class="newsArticle"><p class="caption">ছবির ক্যাপশন এখানে</p>{paras}'
        '<div class="ad"><p>বিজ্ঞাপন: এখনই কিনুন সেরা অফার</p></div></div>'
        if new_layout else f'<div id="old-layout">{paras}</div><h2 class="old-title">পুরনো</h2>'
    )
    h1 = '<h1 class="headline">সমঝোতায় স্বস্তি</h1>' if title_h1 else ""
    return (
        f"<html><head><title>সমঝোতায় স্বস্তি | কালের কণ্ঠ</title>{extra_head}</head><body>"
        f'{h1}<ol class="crumbs"><li>প্রচ্ছদ</li><li>বিশ্ব</li></ol>'
        '<span class="author">রাহুল দাস</span><span class="desk">আন্তর্জাতিক ডেস্ক</span>'
        f"{dates}<figure><img src='/m/1.jpg'><figcaption>জেনেভায় বৈঠক</figcaption></figure>"
        f'{body}<div class="tags"><a href="/t/1">জেনেভা</a><a href="/t/2">বাণিজ্য</a></div>'
        "</body></html>"
    )


@pytest.fixture
def profiles() -> dict:
    return {"kalerkantho": parse_profile(PROFILE)}


def test_bundled_profiles_load_once_and_match_the_registry() -> None:
    first = load_profiles()
    assert first is load_profiles()
    assert first, "no bundled profiles"
    registry = load_registry()
    for outlet_id, profile in first.items():
        assert registry.by_id(outlet_id) is not None, outlet_id
        assert profile.source == f"{outlet_id}.toml"
        assert profile.versions and all(v.detect for v in profile.versions)


def test_profiles_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "kalerkantho.toml").write_text(
        'outlet_id = "kalerkantho"\narticle_url = [\'/online/\\d+$\']\n'
        '[[versions]]\nversion = "1"\ndetect = "div.x"\ntitle = ["h1::text"]\nbody = ["div.x"]\n',
        "utf-8",
    )
    found = load_profiles_from(tmp_path)
    assert list(found) == ["kalerkantho"]
    assert found["kalerkantho"].versions[0].selectors("title") == ("h1::text",)


def test_a_profile_file_that_cannot_be_read_is_an_error_naming_file_and_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken.toml").write_text('outlet_id = "x"\narticle_url = [', "utf-8")
    with pytest.raises(ProfileError, match=r"broken\.toml.*line 2"):
        load_profiles_from(tmp_path)
    (tmp_path / "broken.toml").write_text('outlet_id = "x"\nno equals here\n', "utf-8")
    with pytest.raises(ProfileError, match=r"broken\.toml.*line 2"):
        load_profiles_from(tmp_path)


@pytest.mark.parametrize("bad", ["//div[@class='x'", "h1::texts", "div[[x]",
                                 "script::text >> a[?"])
def test_a_selector_that_does_not_compile_is_an_error_naming_file_and_line(
    tmp_path: Path, bad: str
) -> None:
    (tmp_path / "jugantor.toml").write_text(
        'outlet_id = "jugantor"\n\n[[versions]]\nversion = "1"\ndetect = "div.x"\n'
        f'title = ["h1::text", "{bad}"]\nbody = ["div.x"]\n',
        "utf-8",
    )
    with pytest.raises(ProfileError, match=r"jugantor\.toml, line 6: selector"):
        load_profiles_from(tmp_path)


def test_newest_matching_version_wins(profiles: dict) -> None:
    ctx = build_context(page(), URL, profiles=profiles)
    assert ctx.version is not None and ctx.version.version == "2024"
    assert isinstance(extractor_for(ctx), ProfileExtractor)
    old = build_context(page(new_layout=False), URL, profiles=profiles)
    assert old.version is not None and old.version.version == "2019"
    none = build_context("<html><body><p>x</p></body></html>", URL, profiles=profiles)
    assert none.version is None
    assert type(extractor_for(none)).__name__ == "GenericExtractor"


def test_profile_fields(profiles: dict) -> None:
    dates = ('<time class="pub" datetime="2026-11-24T09:15:00+06:00">২৪ নভেম্বর</time>'
             '<span class="upd">আপডেট: ২৪ নভেম্বর ২০২৬, ১১:৩০</span>')
    article = extract_page(page(dates=dates), URL, profiles=profiles)
    assert article.title == "সমঝোতায় স্বস্তি"
    assert article.body == PARAS  # caption and ad dropped by the profile
    assert article.authors == ["রাহুল দাস"]
    assert article.desk == "আন্তর্জাতিক ডেস্ক"
    assert article.section == "বিশ্ব"
    assert article.tags == ["জেনেভা", "বাণিজ্য"]
    assert article.published == "2026-11-24T09:15:00+06:00"
    assert article.updated == "2026-11-24T11:30:00+06:00"
    assert article.image == {"url": "https://www.kalerkantho.com/m/1.jpg", "caption": "জেনেভায় বৈঠক"}
    assert article.outlet_id == "kalerkantho" and article.outlet_name == "কালের কণ্ঠ"


def test_field_falls_back_to_metadata_then_page(profiles: dict) -> None:
    head = ('<meta property="og:title" content="মেটা শিরোনাম">'
            '<meta property="og:image" content="https://www.kalerkantho.com/m/1.jpg">')
    article = extract_page(page(extra_head=head, title_h1=False), URL, profiles=profiles)
    assert article.title == "মেটা শিরোনাম"          # profile og:title selector
    assert article.image["url"] == "https://www.kalerkantho.com/m/1.jpg"
    no_meta = extract_page(page(title_h1=False), URL, profiles=profiles)
    assert no_meta.title == "সমঝোতায় স্বস্তি"     # <title> minus " | কালের কণ্ঠ"


def test_visible_date_in_outlet_timezone(profiles: dict) -> None:
    dates = '<span class="pub-text">প্রকাশ: ২৪ নভেম্বর ২০২৬, ০৯:১৫</span>'
    article = extract_page(page(dates=dates), URL, profiles=profiles)
    assert article.published == "2026-11-24T09:15:00+06:00"
    assert article.updated is None


def test_metadata_iso_date_beats_visible_text(profiles: dict) -> None:
    head = '<meta property="article:published_time" content="2026-11-24T03:15:00Z">'
    dates = '<span class="pub-text">প্রকাশ: ২৪ নভেম্বর ২০২৬, ১০:০০</span>'
    article = extract_page(page(extra_head=head, dates=dates), URL, profiles=profiles)
    assert article.published == "2026-11-24T03:15:00+00:00"


def test_selector_syntax_css_and_xpath() -> None:
    sel = Selector(text="<div><p class='a'>এক</p><p>দুই</p></div>")
    assert select(sel, "p.a::text").getall() == ["এক"]
    assert select(sel, "//p[2]/text()").getall() == ["দুই"]
    assert select(sel, "(//p)[1]/@class").getall() == ["a"]
    # A broken expression is an error, not an empty match (profiles are checked when loaded).
    assert compile_check("p[[[broken") is not None
    assert compile_check("p.a::text") is None and compile_check("") is None
    with pytest.raises(Exception, match="Expected"):
        select(sel, "p[[[broken")


def test_selector_reads_embedded_json() -> None:
    data = ('{"props": {"pageData": {"metadata": {"firstPublished": 1736661000000},'
            ' "blocks": [{"type": "text", "text": "এক"}, {"type": "image"},'
            ' {"type": "text", "text": "দুই"}]}}}')
    sel = Selector(text=f'<script id="__NEXT_DATA__" type="application/json">{data}</script>'
                        '<script id="other">not json</script>')
    expr = "script#__NEXT_DATA__::text >> props.pageData.blocks[?type=='text'].text"
    assert compile_check(expr) is None
    assert select(sel, expr).getall() == ["এক", "দুই"]
    assert select_all(sel, ["#__NEXT_DATA__::text >> props.pageData.metadata.firstPublished"]) == [
        "1736661000000"]
    assert select(sel, "script#other::text >> a").getall() == []


def test_spider_helpers_from_bundled_profiles() -> None:
    for outlet_id, profile in load_profiles().items():
        patterns = article_url_patterns(outlet_id)
        assert patterns == list(profile.article_url)
        assert all(isinstance(p, re.Pattern) for p in patterns)
        assert listing_link_selectors(outlet_id) == list(profile.listing_links)
        assert next_page_selectors(outlet_id) == list(profile.next_page)
    assert article_url_patterns("no-such-outlet") == []
    assert listing_link_selectors("no-such-outlet") == []
    assert next_page_selectors("no-such-outlet") == []


def test_sample_article_urls_match_their_profile() -> None:
    from newsbot.sampleweb.expected import expected_articles, non_article_urls

    for art in expected_articles():
        patterns = article_url_patterns(art.outlet_id)
        assert any(p.search(art.url) for p in patterns), art.url
        assert article_url_matches(art.url, art.outlet_id)
    for url in non_article_urls():
        outlet = load_registry().by_url(url)
        assert outlet is not None
        assert not article_url_matches(url, outlet.id), url


def test_page_is_article() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "x"}, {"@type": ["ReportageNewsArticle"], "headline": "y"}]}
    jsonld = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    assert page_is_article(Selector(text=f"<html><head>{jsonld}</head><body></body></html>"))
    og = '<meta property="og:type" content="article">'
    assert page_is_article(Selector(text=f"<html><head>{og}</head><body></body></html>"))
    listing = Selector(text="<html><body><ul><li><a href='/a'>শিরোনাম</a></li></ul></body></html>")
    assert not page_is_article(listing)


def test_page_is_article_by_profile_detect_title_and_body() -> None:
    from newsbot.sampleweb.expected import expected_articles
    from newsbot.sampleweb.model import load
    from newsbot.sampleweb.render import render_article

    web = load()
    art = next(a for a in expected_articles(web) if a.outlet_id == "kalerkantho")
    html = render_article(web, web.articles[f"{art.outlet_id}/{art.key}"])
    html = re.sub(r'<meta property="og:type"[^>]*>', "", html)
    html = re.sub(r'<script type="application/ld\+json">.*?</script>', "", html, flags=re.S)
    response = HtmlResponse(url=art.url, body=html.encode(), encoding="utf-8")
    assert page_is_article(response)
    assert not page_is_article(Selector(text=html))  # no URL: no profile to ask
