"""Metadata reading: JSON-LD (graph, lists, subtypes, broken blocks), OpenGraph, microdata."""

from __future__ import annotations

import json

import pytest
from parsel import Selector

from newsbot.extract.metadata import (
    ARTICLE_TYPES,
    PageMetadata,
    is_article,
    jsonld_article_body,
    read_metadata,
)

URL = "https://www.example-news.com/world/story-123?utm_source=x"


def page(head: str = "", body: str = "<p>text</p>", lang: str | None = "bn") -> Selector:
    lang_attr = f' lang="{lang}"' if lang else ""
    return Selector(text=f"<!DOCTYPE html><html{lang_attr}><head>{head}</head>"
                         f"<body>{body}</body></html>")


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {"@type": "WebPage", "@id": "https://www.example-news.com/world/story-123#page",
         "url": "https://www.example-news.com/world/story-123"},
        {"@type": "Organization", "name": "উদাহরণ সংবাদ", "url": "https://www.example-news.com"},
        {
            "@type": "NewsArticle",
            "headline": "গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু",
            "description": "কায়রোতে নতুন দফা আলোচনা।",
            "datePublished": "2026-11-27T09:15:00+06:00",
            "dateModified": "2026-11-27T11:00:00+06:00",
            "author": [
                {"@type": "Person", "name": "রাহুল দাস"},
                {"@type": "Person", "name": "Jane Roe"},
                {"@type": "Organization", "name": "আন্তর্জাতিক ডেস্ক"},
            ],
            "articleSection": ["বিশ্ব", "মধ্যপ্রাচ্য"],
            "keywords": "গাজা, ইসরায়েল, মিসর",
            "image": {"@type": "ImageObject", "url": "https://cdn.example-news.com/a.jpg",
                      "caption": "কায়রোতে আলোচনার টেবিলে প্রতিনিধিরা। ছবি: রয়টার্স"},
            "articleBody": "প্রথম অনুচ্ছেদ।\nদ্বিতীয় অনুচ্ছেদ।",
            "inLanguage": "bn",
            "publisher": {"@type": "NewsMediaOrganization", "name": "উদাহরণ সংবাদ"},
        },
    ],
}


def test_jsonld_article_inside_graph() -> None:
    meta = read_metadata(page(ld(GRAPH)), URL)
    assert meta.title == "গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু"
    assert meta.description == "কায়রোতে নতুন দফা আলোচনা।"
    assert meta.published == "2026-11-27T09:15:00+06:00"
    assert meta.updated == "2026-11-27T11:00:00+06:00"
    # people only: the desk is an Organization
    assert meta.authors == ["রাহুল দাস", "Jane Roe"]
    assert meta.section == "বিশ্ব"
    assert meta.tags == ["গাজা", "ইসরায়েল", "মিসর"]
    assert meta.image_url == "https://cdn.example-news.com/a.jpg"
    assert meta.image_caption == "কায়রোতে আলোচনার টেবিলে প্রতিনিধিরা। ছবি: রয়টার্স"
    assert meta.article_body == "প্রথম অনুচ্ছেদ।\nদ্বিতীয় অনুচ্ছেদ।"
    assert {"NewsArticle", "WebPage", "Organization"} <= meta.types
    assert meta.site_name == "উদাহরণ সংবাদ"
    assert meta.language == "bn"
    assert is_article(meta)


def test_jsonld_wins_over_opengraph() -> None:
    head = ('<meta property="og:title" content="OG title | Site">'
            '<meta property="article:published_time" content="2020-01-01T00:00:00Z">' + ld(GRAPH))
    meta = read_metadata(page(head), URL)
    assert meta.title == "গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু"
    assert meta.published == "2026-11-27T09:15:00+06:00"


@pytest.mark.parametrize("type_value", [
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    ["NewsArticle", "OpinionNewsArticle"],
    "http://schema.org/BlogPosting",
    "schema:Article",
])
def test_article_subtypes_and_type_spellings(type_value: object) -> None:
    data = {"@context": "https://schema.org", "@type": type_value, "headline": "শিরোনাম",
            "datePublished": "2026-11-20"}
    meta = read_metadata(page(ld(data)), URL)
    assert meta.title == "শিরোনাম"
    assert meta.published == "2026-11-20"
    assert meta.types & ARTICLE_TYPES
    assert is_article(meta)


def test_top_level_list_and_nested_main_entity() -> None:
    data = [
        {"@type": "BreadcrumbList", "itemListElement": []},
        {"@type": "WebPage", "mainEntity": {"@type": "NewsArticle", "headline": "Nested",
                                            "author": "Staff Writer"}},
    ]
    meta = read_metadata(page(ld(data)), URL)
    assert meta.title == "Nested"
    assert meta.authors == ["Staff Writer"]
    assert "BreadcrumbList" in meta.types


def test_broken_jsonld_is_skipped_or_repaired() -> None:
    broken = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    trailing_comma = ('<script type="application/ld+json">{"@type": "NewsArticle", '
                      '"headline": "মেরামত করা", "datePublished": "2026-11-21",}</script>')
    meta = read_metadata(page(broken + trailing_comma), URL)
    assert meta.title == "মেরামত করা"
    assert meta.published == "2026-11-21"

    # only garbage: nothing from JSON-LD, the rest still read, no exception
    garbage = ('<script type="application/ld+json">not json at all {{{</script>'
               '<meta property="og:title" content="ওজি শিরোনাম">')
    meta = read_metadata(page(garbage), URL)
    assert meta.title == "ওজি শিরোনাম"
    assert meta.types == set()


def test_html_comment_wrapped_jsonld() -> None:
    wrapped = ('<script type="application/ld+json"><!--\n{"@type": "NewsArticle", '
               '"headline": "Wrapped"}\n--></script>')
    assert read_metadata(page(wrapped), URL).title == "Wrapped"


def test_opengraph_and_article_meta_fallback() -> None:
    head = """
    <title>Ignored title | Site</title>
    <meta property="og:title" content="  যুক্তরাষ্ট্রে  নির্বাচন ">
    <meta property="og:type" content="article">
    <meta property="og:description" content="ফল এখনো চূড়ান্ত হয়নি।">
    <meta property="og:image" content="/img/lead.jpg">
    <meta property="og:image:alt" content="ভোটকেন্দ্রে লাইন">
    <meta property="og:url" content="https://www.example-news.com/world/story-123">
    <meta property="og:site_name" content="উদাহরণ সংবাদ">
    <meta property="article:published_time" content="2026-11-25T08:00:00+06:00">
    <meta property="article:modified_time" content="2026-11-25T09:30:00+06:00">
    <meta property="article:section" content="বিশ্ব">
    <meta property="article:tag" content="যুক্তরাষ্ট্র">
    <meta property="article:tag" content="নির্বাচন">
    <meta property="article:author" content="https://www.facebook.com/someone">
    <meta name="author" content="রাহুল দাস">
    """
    meta = read_metadata(page(head, lang="bn-BD"), URL)
    assert meta.title == "যুক্তরাষ্ট্রে নির্বাচন"
    assert meta.og_type == "article"
    assert meta.description == "ফল এখনো চূড়ান্ত হয়নি।"
    assert meta.image_url == "https://www.example-news.com/img/lead.jpg"
    assert meta.image_caption == "ভোটকেন্দ্রে লাইন"
    assert meta.canonical_url == "https://www.example-news.com/world/story-123"
    assert meta.site_name == "উদাহরণ সংবাদ"
    assert meta.published == "2026-11-25T08:00:00+06:00"
    assert meta.updated == "2026-11-25T09:30:00+06:00"
    assert meta.section == "বিশ্ব"
    assert meta.tags == ["যুক্তরাষ্ট্র", "নির্বাচন"]
    assert meta.authors == ["রাহুল দাস"]  # the profile URL is not a name
    assert meta.language == "bn-BD"
    assert meta.types == set()
    assert is_article(meta)


def test_canonical_link_beats_og_url_and_is_absolute() -> None:
    head = ('<link rel="canonical" href="/world/story-123">'
            '<meta property="og:url" content="https://m.example-news.com/x">')
    meta = read_metadata(page(head), URL)
    assert meta.canonical_url == "https://www.example-news.com/world/story-123"


def test_itemprop_microdata() -> None:
    body = """
    <article itemscope itemtype="https://schema.org/NewsArticle">
      <h1 itemprop="headline">মাইক্রোডেটা শিরোনাম</h1>
      <time itemprop="datePublished" datetime="2026-11-19T10:00:00+06:00">১৯ নভেম্বর</time>
      <meta itemprop="dateModified" content="2026-11-19T12:00:00+06:00">
      <span itemprop="author" itemscope itemtype="https://schema.org/Person">
        <span itemprop="name">সুমাইয়া আক্তার</span></span>
      <p>লেখা</p>
    </article>"""
    meta = read_metadata(page(body=body), URL)
    assert meta.title == "মাইক্রোডেটা শিরোনাম"
    assert meta.published == "2026-11-19T10:00:00+06:00"
    assert meta.updated == "2026-11-19T12:00:00+06:00"
    assert meta.authors == ["সুমাইয়া আক্তার"]


def test_keywords_and_locale_fallbacks() -> None:
    head = ('<meta name="keywords" content="ইরান, পরমাণু চুক্তি , , ইরান">'
            '<meta property="og:locale" content="bn_BD">')
    meta = read_metadata(page(head, lang=None), URL)
    assert meta.tags == ["ইরান", "পরমাণু চুক্তি"]
    assert meta.language == "bn-BD"


def test_not_an_article() -> None:
    head = ld({"@type": "WebSite", "name": "Site"}) + '<meta property="og:type" content="website">'
    meta = read_metadata(page(head), URL)
    assert not is_article(meta)
    assert meta.site_name == "Site"


@pytest.mark.parametrize("text", ["", "<html></html>", "\x00\x01 binary", "<p>fragment"])
def test_never_raises(text: str) -> None:
    meta = read_metadata(Selector(text=text or "<html/>"), URL)
    assert isinstance(meta, PageMetadata)
    assert not is_article(meta)


def test_jsonld_article_body_helper() -> None:
    blocks = [json.dumps(GRAPH), "{broken", json.dumps({"@type": "Article", "articleBody": "x"})]
    assert jsonld_article_body(blocks) == "প্রথম অনুচ্ছেদ।\nদ্বিতীয় অনুচ্ছেদ।"
    assert jsonld_article_body(["{broken"]) is None


def test_urls_that_do_not_parse_lose_only_themselves() -> None:
    html = (
        '<html><head><link rel="canonical" href="http://[bad/x">'
        '<meta property="og:image" content="https://img.example:99999/a.jpg">'
        '<meta property="og:title" content="শিরোনাম"></head><body></body></html>'
    )
    meta = read_metadata(Selector(text=html), "https://www.prothomalo.com/world/asia/abc")
    assert meta.title == "শিরোনাম"
    assert meta.canonical_url is None
    assert meta.image_url is None
