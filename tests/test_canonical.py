"""Canonical URLs are sanity-checked: a declaration pointing at another host, the home page, a
section or listing page, or one that several distinct articles of a run share, is ignored and
counted; the fetched URL, cleaned, is used instead."""

from __future__ import annotations

import pytest

from newsbot.canonical import judge
from newsbot.cleaning import CleaningStats
from newsbot.extract import extract_html
from newsbot.items import Article
from newsbot.pipelines.canonical import CanonicalPipeline

PAGE = "https://www.prothomalo.com/world/asia/abc123?utm_source=fb"
OWN = "https://www.prothomalo.com/world/asia/abc123"
BODY = ("মিয়ানমারের রাখাইন রাজ্যে নতুন করে সংঘাত শুরু হয়েছে। স্থানীয় বাসিন্দারা জানিয়েছেন, "
        "রাতভর গোলাগুলির পর হাজারো মানুষ সীমান্তের দিকে পালিয়েছেন। জাতিসংঘ উদ্বেগ জানিয়েছে।")


@pytest.mark.parametrize(("declared", "why"), [
    ("https://www.example.com/world/asia/abc123", "other_host"),
    ("https://www.prothomalo.com/", "home"),
    ("https://prothomalo.com", "home"),
    ("https://www.prothomalo.com/world/asia", "section"),
    ("https://www.prothomalo.com/world", "section"),
    ("https://www.prothomalo.com/international", "section"),
    ("https://www.bbc.com/news/world-asia-1", "other_host"),
])
def test_unbelievable_declarations_are_ignored(declared: str, why: str) -> None:
    assert judge(PAGE, declared) == (OWN, why)


def test_the_outlets_listing_page_is_ignored() -> None:
    page = "https://www.kalerkantho.com/online/world/2026/11/20/1099999"
    assert judge(page, "https://www.kalerkantho.com/online/world") == (
        "https://www.kalerkantho.com/online/world/2026/11/20/1099999", "section")
    other = "https://www.kalerkantho.com/online/national/2026/11/20/1099998"
    assert judge(other, "https://www.kalerkantho.com/online/world") == (other, "listing")


@pytest.mark.parametrize("declared", [
    "https://www.prothomalo.com/world/asia/abc123",
    "https://prothomalo.com/world/asia/abc123",          # same site without www
    "https://m.prothomalo.com/world/asia/abc123",         # its mobile host
    "https://www.prothomalo.com/world/asia/abc123-kim",  # a longer slug of the same article
    "https://www.prothomalo.com/abc123-kim-visits",      # a short article URL
])
def test_believable_declarations_are_used(declared: str) -> None:
    used, why = judge(PAGE, declared)
    assert why is None and used.startswith("https://") and "utm_source" not in used


def test_no_declaration_uses_the_cleaned_url() -> None:
    assert judge(PAGE, None) == (OWN, None)


def page(canonical: str) -> str:
    return (f'<html><head><link rel="canonical" href="{canonical}"><title>রাখাইনে সংঘাত</title>'
            f'<meta property="og:type" content="article"></head><body><article>'
            f"<h1>রাখাইনে সংঘাত</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>")


def test_extraction_ignores_a_canonical_pointing_home() -> None:
    article = extract_html(page("https://www.prothomalo.com/"), PAGE)
    assert (article.canonical_url, article.canonical_ignored) == (OWN, "home")
    article = extract_html(page("/world/asia/abc123"), PAGE)
    assert (article.canonical_url, article.canonical_ignored) == (OWN, None)


def item(url: str, canonical: str, title: str, ignored: str | None = None) -> Article:
    return Article(url=url, canonical_url=canonical, title=title, body=[BODY],
                   canonical_ignored=ignored)


def test_a_canonical_shared_by_distinct_articles_is_ignored_and_counted() -> None:
    stats = CleaningStats()
    pipe = CanonicalPipeline({}, stats)
    shared = "https://www.example.org/news/latest-story"
    first = pipe.process_item(item("https://www.example.org/news/1", shared, "প্রথম খবর"))
    again = pipe.process_item(item("https://www.example.org/news/1?ref=x", shared, "প্রথম খবর"))
    second = pipe.process_item(item("https://www.example.org/news/2", shared, "দ্বিতীয় খবর"))
    assert first.canonical_url == again.canonical_url == shared  # the same article: believed
    assert (second.canonical_url, second.canonical_ignored) == (
        "https://www.example.org/news/2", "shared")
    pipe.process_item(item(PAGE, OWN, "খবর", ignored="home"))
    assert stats.get_value("newsbot/canonical/ignored/shared") == 1
    assert stats.get_value("newsbot/canonical/ignored/home") == 1
