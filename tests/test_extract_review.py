"""Regressions from the extraction code review: links and URLs that do not parse, Bengali
tokenisation, slow inputs (each must finish well inside its timeout), vocabulary-driven related
markers and NFC input, and the small contracts (reason codes, byline prefixes, shared helpers)."""

from __future__ import annotations

import json
import unicodedata

import lxml.html
import pytest

from newsbot.extract import REASONS, extract_html
from newsbot.extract.generic import generic_body
from newsbot.extract.guard import load_page
from newsbot.extract.page import build_context, extract_page, extractor_for
from newsbot.extract.profiles import parse_profile
from newsbot.extract.related import remove_elements
from newsbot.vocabulary.labels import (
    is_navigation_heading,
    is_related_heading,
    strip_byline_prefix,
    strip_related_prefix,
    vocab,
)
from newsbot.vocabulary.lines import is_boilerplate_line

URL = "https://samakal.com/international/article/12345/gaza-talks"
SENTENCES = [
    "কায়রোতে গাজা যুদ্ধবিরতি নিয়ে নতুন দফা আলোচনা শুরু হয়েছে বলে জানিয়েছে রয়টার্স।",
    "আলোচনার সঙ্গে যুক্ত একজন কর্মকর্তা বলেন, দুই পক্ষের অবস্থান কিছুটা কাছাকাছি এসেছে।",
    "জাতিসংঘের মহাসচিব এক বিবৃতিতে দ্রুত যুদ্ধবিরতির আহ্বান জানিয়েছেন।",
    "তিনি বলেন, গাজার মানবিক পরিস্থিতি ভয়াবহ পর্যায়ে পৌঁছেছে এবং ত্রাণ জরুরি।",
]
PARAS = "".join(f"<p>{SENTENCES[i % 4]} {SENTENCES[(i + 1) % 4]}</p>" for i in range(4))


def page(inner: str, head: str = "") -> str:
    return (
        "<html><head><title>গাজায় আলোচনা | সমকাল</title>"
        f'<meta property="og:type" content="article">{head}</head><body>'
        f"<h1>গাজায় আলোচনা</h1><article>{PARAS}{inner}</article></body></html>"
    )


# --- 1. links that do not parse cost only themselves ---------------------------------------


BAD_LINKS = ("https://www.samakal.com:99999/x", "http://[bad/x")


def test_generic_related_skips_links_that_do_not_parse() -> None:
    items = "".join(f'<li><a href="{href}">ভাঙা লিংকের একটি শিরোনাম {i}</a></li>'
                    for i, href in enumerate(BAD_LINKS))
    html = page(f'<div class="also"><h3>আরও পড়ুন</h3><ul>{items}'
                '<li><a href="/world/article/1/x">ভালো লিংকের শিরোনাম</a></li></ul></div>')
    article = extract_html(html, URL)
    assert [r["url"] for r in article.related_links] == ["https://samakal.com/world/article/1/x"]
    assert "ভাঙা লিংকের" not in "\n".join(article.body)


def test_profile_related_skips_links_that_do_not_parse() -> None:
    profile = parse_profile({
        "outlet_id": "samakal",
        "versions": [{
            "version": "x", "detect": "article", "title": ["h1::text"], "body": ["article"],
            "related": [{"item": ".rel", "title": "a::text", "url": "a::attr(href)"}],
        }],
    })
    rel = "".join(f'<div class="rel"><a href="{href}">শিরোনাম {i}</a></div>'
                  for i, href in enumerate((*BAD_LINKS, "/a/1")))
    article = extract_page(page(rel), URL, profiles={"samakal": profile})
    assert [(r["title"], r["url"]) for r in article.related_links] == [
        ("শিরোনাম 2", "https://samakal.com/a/1")
    ]


def test_canonical_and_image_urls_that_do_not_parse() -> None:
    head = ('<link rel="canonical" href="http://[bad/x">'
            '<meta property="og:image" content="http://[bad/i.jpg">')
    article = extract_html(page("", head=head), URL)
    assert article.canonical_url == URL
    # reading the metadata fails on such a page: the title comes from <h1>
    assert article.title == "গাজায় আলোচনা"
    assert article.image is None


# --- 2. Bengali words are not \w runs ------------------------------------------------------


@pytest.mark.parametrize("line", [
    "আমাদের অফিসিয়াল ফেসবুক পেজে যুক্ত হোন",
    "সর্বশেষ খবর পেতে আমাদের ইউটিউব চ্যানেল সাবস্ক্রাইব করে রাখুন",
    "টেলিগ্রাম চ্যানেলে যুক্ত থাকুন আমাদের সঙ্গে",
])
def test_our_channel_promo_with_bengali_words_between(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "তিনি বলেন, আমাদের তরুণেরা ফেসবুক ও ইউটিউবে বেশি সময় কাটায়।",
        "Our readers spend hours on Facebook and YouTube every day.",
    ],
)
def test_sentences_about_our_use_of_platforms_are_prose(line: str) -> None:
    assert not is_boilerplate_line(line)


# --- 3.-5. slow inputs -----------------------------------------------------------------------


@pytest.mark.timeout(10)
def test_related_prefix_trim_is_linear() -> None:
    text = "আরও পড়ুন: x" + " -" * 32000 + " y"
    assert strip_related_prefix(text) == "x" + " -" * 32000 + " y"
    assert strip_related_prefix("আরও পড়ুন: গাজায় হামলা - …") == "গাজায় হামলা"
    assert strip_related_prefix("আরও পড়ুন » ") == ""


@pytest.mark.timeout(10)
def test_standfirst_check_on_deeply_nested_large_page() -> None:
    desc = SENTENCES[0] + " " + SENTENCES[2]
    filler = "<p>" + "ক " * 1400 + "</p>"
    nested = "<div>" * 200 + filler * 200 + "</div>" * 200
    html = (f'<html><head><meta name="description" content="{desc}"></head><body>{nested}'
            f'<div class="story"><p>{desc}</p></div>'
            f'<header><p class="summary">{desc}</p></header></body></html>')
    assert len(html) > 500_000
    ext = extractor_for(build_context(html, URL))
    assert ext.is_standfirst(desc)
    without_dek = html.replace(f'<header><p class="summary">{desc}</p></header>', "")
    assert not extractor_for(build_context(without_dek, URL)).is_standfirst(desc)


def jsonld_page(article_body: str) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "শিরোনাম",
            "articleBody": article_body}
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return ('<html><head><script type="application/ld+json">'
            f"{text}</script></head><body><div id='app'></div></body></html>")


@pytest.mark.timeout(10)
def test_jsonld_article_body_with_unclosed_scripts() -> None:
    body = "প্রথম অনুচ্ছেদ।\n\n<p>দ্বিতীয় অনুচ্ছেদ।</p>" + "<script>x" * 120_000 + "\n\nশেষ।"
    text = "\n".join(generic_body(jsonld_page(body), URL))
    assert text.startswith("প্রথম অনুচ্ছেদ।")
    assert "দ্বিতীয় অনুচ্ছেদ।" in text and text.endswith("শেষ।")
    assert "<" not in text


def test_script_elements_in_text_go_with_their_content() -> None:
    body = "ক।<script>var a = '<b>';</script>খ। <style>p{}</style >গ। <b>ঘ।"
    text = " ".join(generic_body(jsonld_page(body), URL))
    assert text.split() == ["ক।", "খ।", "গ।", "ঘ।"]


# --- 6. related markers from the vocabulary; NFC once, early -------------------------------


def test_related_heading_without_the_old_quick_markers() -> None:
    html = page('<div class="box"><h3>এই বিভাগের অন্যান্য খবর</h3>'
                '<a href="/world/article/7/y">ইউক্রেনে নতুন হামলার খবর</a></div>')
    article = extract_html(html, URL)
    assert [r["title"] for r in article.related_links] == ["ইউক্রেনে নতুন হামলার খবর"]


def test_related_markers_cover_every_bengali_heading_in_both_nukta_spellings() -> None:
    markers = vocab().related_markers
    assert len(markers) == len(set(markers))
    assert "পড়ুন" in markers and "\u09aa\u09dc\u09c1\u09a8" in markers  # পড়ুন, both spellings
    assert "পড়তে" in markers and "\u09aa\u09dc\u09a4\u09c7" in markers


def test_page_text_is_nfc_after_loading() -> None:
    composed = "<html><body><p>\u0986\u09b0\u0993 \u09aa\u09dc\u09c1\u09a8</p></body></html>"
    loaded = load_page(composed.encode("utf-8"), URL)
    assert unicodedata.is_normalized("NFC", loaded.html)
    assert loaded.root.findtext(".//p") == unicodedata.normalize("NFC", "আরও পড়ুন")


# --- 8. 10. 11. small contracts --------------------------------------------------------------


def test_extract_failed_is_a_known_reason() -> None:
    assert "extract_failed" in REASONS


def test_byline_prefix_with_space_before_colon() -> None:
    assert strip_byline_prefix("লেখক : রহিম উদ্দিন") == "রহিম উদ্দিন"
    assert strip_byline_prefix("লেখক:রহিম উদ্দিন") == "রহিম উদ্দিন"
    assert strip_byline_prefix("By Jane Doe") == "Jane Doe"
    assert strip_byline_prefix("Byron Smith") == "Byron Smith"


def test_vocabulary_spellings_still_match() -> None:
    assert is_related_heading("আরও পড়ুন:")
    assert is_related_heading("\u0986\u09b0\u0993 \u09aa\u09dc\u09c1\u09a8")  # precomposed ড়
    assert is_navigation_heading("MOST READ") and is_navigation_heading("Most read")
    assert not is_related_heading("আরও পড়ুন" + " -" * 100)


def test_removed_elements_keep_their_tail_text() -> None:
    root = lxml.html.fromstring("<div>a<b>x</b>b<i>y</i>c<u>z</u></div>")
    remove_elements([root.find("b"), root.find("u")])
    assert lxml.html.tostring(root, encoding="unicode") == "<div>ab<i>y</i>c</div>"
