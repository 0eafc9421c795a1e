"""Listing, section, tag, author, opinion-index and home pages are not articles, even when they
say og:type article: page evidence (many teaser headlines, no article text block) decides.
Articles that show many teasers of their own (related stories, most read) stay articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbot.extract import ExtractionError, extract_html
from newsbot.extract.listing import evidence, listing_reason
from newsbot.extract.page import build_context
from tests.test_extract_generic import BN_PARAS

LISTINGS = Path(__file__).parent / "fixtures" / "listings"
# one saved page per CMS shape: WordPress category archive, Drupal taxonomy view (teasers as
# plain links), Next.js card grid (hashed classes, <a><h3>), author page with a bio, opinion
# index with columnist cards, home page with several <h1>/<h2>
PAGES = sorted(p.name for p in LISTINGS.glob("*.html"))
URL = "https://www.example-news.com/section/world"

PARAS = BN_PARAS[:3]
TEASERS = [
    "ইউক্রেনে রাতভর ড্রোন হামলা, বিদ্যুৎ বিচ্ছিন্ন কিয়েভের একাংশ",
    "জলবায়ু সম্মেলনে অর্থায়ন নিয়ে মতবিরোধ চরমে পৌঁছেছে",
    "মিয়ানমারে সংঘর্ষে ঘর ছাড়ল হাজারো মানুষ",
    "তাইওয়ান প্রণালিতে চীনের নৌমহড়া শুরু হয়েছে আজ",
    "জাতিসংঘে ভোটাভুটি পিছিয়ে গেল আবারও",
    "সৌদি আরবে ফ্যাশন শো নিয়ে বিতর্ক তুঙ্গে",
    "পুতিনের আমন্ত্রণে রাশিয়ায় কিম জং উন",
    "নেপালে ভারী বর্ষণে ভূমিধস, নিখোঁজ অনেকে",
    "ফ্রান্সে পেনশন সংস্কারের বিরুদ্ধে আবারও ধর্মঘট",
    "ব্রাজিলে আমাজন রক্ষায় নতুন আইন পাস",
]


def article(paras: list[str], teasers: list[str]) -> str:
    related = "".join(f'<div class="card"><a href="/world/{i}"><h3>{t}</h3></a></div>'
                      for i, t in enumerate(teasers))
    most_read = "".join(f'<li><a href="/top/{i}">{t}</a></li>' for i, t in enumerate(teasers))
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        "<html><head><title>গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু | উদাহরণ</title>"
        "<meta property='og:type' content='article'></head><body>"
        "<nav><a href='/'>প্রচ্ছদ</a><a href='/world'>বিশ্ব</a></nav>"
        f"<h1>গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু</h1><div class='story'>{body}</div>"
        f"<h2>এই বিভাগের আরও খবর</h2><div class='related'>{related}</div>"
        f"<aside><h2>সর্বাধিক পঠিত</h2><ol>{most_read}</ol></aside></body></html>"
    )


def test_there_are_listing_pages_of_at_least_five_shapes() -> None:
    assert len(PAGES) >= 5


@pytest.mark.parametrize("name", PAGES)
def test_listing_pages_are_not_articles(name: str) -> None:
    html = (LISTINGS / name).read_text("utf-8")
    assert "content=\"article\"" in html or "NewsArticle" in html  # each claims to be one
    with pytest.raises(ExtractionError) as caught:
        extract_html(html, URL)
    assert caught.value.reason == "not_article"
    assert "listing" in str(caught.value)


@pytest.mark.parametrize("name", PAGES)
def test_listing_evidence_counts_teasers_and_finds_no_text_block(name: str) -> None:
    root = build_context((LISTINGS / name).read_text("utf-8"), URL).root
    found = evidence(root)
    assert found.teasers >= 8
    assert found.block_paragraphs < 3 and found.block_chars < 600


def test_an_article_with_many_teasers_is_an_article() -> None:
    got = extract_html(article(PARAS, TEASERS), "https://www.example-news.com/world/2026/1")
    assert got.body[:3] == PARAS


def test_a_short_article_under_its_own_headline_is_an_article() -> None:
    got = extract_html(article(PARAS[:2], TEASERS), "https://www.example-news.com/world/2026/2")
    assert got.body[:2] == PARAS[:2]


def test_a_page_of_teasers_only_is_a_listing_whatever_its_headline() -> None:
    html = article([], TEASERS).replace("<div class='story'></div>",
                                        "<p>সর্বশেষ খবর পড়ুন এখানে।</p>")
    root = build_context(html, URL).root
    assert listing_reason(root, body_chars=30)
    with pytest.raises(ExtractionError) as caught:
        extract_html(html, URL)
    assert caught.value.reason in ("not_article", "no_article_text")


def test_few_teasers_never_make_a_listing() -> None:
    root = build_context(article(PARAS[:1], TEASERS[:2]), URL).root
    assert listing_reason(root, body_chars=100) is None
