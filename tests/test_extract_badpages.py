"""Bad pages never break a crawl: each ends as ExtractionError(reason) or as a real article."""

from __future__ import annotations

import os
import random

import pytest
from scrapy.http import HtmlResponse, TextResponse

from newsbot.api import main_text
from newsbot.extract import ExtractionError, extract_article, extract_html, guard

URL = "https://www.example.org/news/2026/11/27/123456"
SENTENCE = "কায়রোতে গাজা যুদ্ধবিরতি নিয়ে নতুন দফা আলোচনা শুরু হয়েছে বলে জানিয়েছে রয়টার্স। "
PARA = "<p>" + SENTENCE * 4 + "</p>"


def article_html(paragraphs: int = 5) -> str:
    """A small but complete article page."""
    paras = "".join(
        f"<p>{i + 1}. " + SENTENCE * 3 + f"অনুচ্ছেদ {i + 1} এখানে শেষ।</p>" for i in range(paragraphs)
    )
    return (
        "<html><head><title>গাজা আলোচনা | উদাহরণ</title>"
        '<meta property="og:type" content="article"></head>'
        f"<body><article><h1>গাজা আলোচনা</h1>{paras}</article></body></html>"
    )


def reason_of(html: str | bytes, url: str = URL) -> str:
    with pytest.raises(ExtractionError) as info:
        extract_html(html, url)
    return info.value.reason


@pytest.mark.parametrize("html", ["", "   \n\t ", b"", b"\n\n"])
def test_empty_pages(html: str | bytes) -> None:
    assert reason_of(html) == "empty_page"


def test_markup_without_text_is_empty() -> None:
    assert reason_of("<html><head><title>x</title></head><body> <div></div> </body></html>") in (
        "empty_page",
    )
    assert reason_of("<html><head><title>শুধু শিরোনাম</title></head></html>") == "empty_page"


def test_truncated_page_keeps_what_is_there() -> None:
    html = article_html(6)
    cut = html[: int(len(html) * 0.6)]
    article = extract_html(cut, URL)
    assert article.title == "গাজা আলোচনা"
    assert 2 <= len(article.body) < 6
    assert article.body[0].startswith("1.")


def test_truncated_inside_head_is_an_error() -> None:
    html = article_html(3)
    assert reason_of(html[: html.index("<body>") - 10]) == "empty_page"


def test_page_without_body_tag_but_with_text() -> None:
    html = "<html><head><title>t</title></head>" + PARA * 3 + "</html>"
    article = extract_html(html, URL)
    assert article.body and SENTENCE.strip()[:20] in article.body[0]


@pytest.mark.parametrize(
    "data",
    [
        os.urandom(50_000),
        b"\x89PNG\r\n\x1a\n" + os.urandom(4000),
        b"%PDF-1.7\n" + bytes(range(256)) * 10,
        b"<html><body>" + b"\x00\x01\x02\x03" * 2000 + b"</body></html>",
        "<html><body>" + "\x00" * 3000 + "text</body></html>",
    ],
    ids=["random", "png", "pdf", "control-bytes", "nul-text"],
)
def test_binary_content(data: bytes | str) -> None:
    assert reason_of(data) == "binary_content"


def test_binary_served_as_text_html_response() -> None:
    rng = random.Random(7)
    body = bytes(rng.randrange(256) for _ in range(30_000))
    response = HtmlResponse(url=URL, body=body, headers={"Content-Type": "text/html"})
    with pytest.raises(ExtractionError) as info:
        extract_article(response)
    assert info.value.reason == "binary_content"


def test_ten_megabyte_page_is_too_large() -> None:
    big = "<html><body>" + PARA * (10 * 1024 * 1024 // len(PARA.encode())) + "</body></html>"
    assert len(big.encode()) > 10_000_000
    assert reason_of(big) == "too_large"
    assert reason_of(big.encode()) == "too_large"


def test_size_cap_counts_utf8_bytes_of_text() -> None:
    # Bengali is 3 bytes a character: a text under the cap in characters can exceed it in bytes.
    chars = guard.MAX_PAGE_BYTES // 2
    text = "<html><body><p>" + "ক" * chars + "</p></body></html>"
    assert len(text) < guard.MAX_PAGE_BYTES < len(text.encode())
    assert reason_of(text) == "too_large"


def test_deep_nesting_without_text_before_it_is_too_deep() -> None:
    html = "<html><body>" + "<div>" * 5000 + PARA * 3 + "</div>" * 5000 + "</body></html>"
    assert reason_of(html) == "too_deep"


def test_deep_nesting_after_the_article_keeps_the_article() -> None:
    html = article_html(4).replace(
        "</article>", "</article>" + "<div><span>" * 3000 + "x" + "</span></div>" * 3000
    )
    article = extract_html(html, URL)
    assert len(article.body) == 4


def test_deep_nesting_never_raises_recursion_error() -> None:
    for depth in (300, 1000, 5000, 20000):
        html = "<html><body>" + "<b><i>" * depth + PARA + "</i></b>" * depth + "</body></html>"
        try:
            extract_html(html, URL)
        except ExtractionError as exc:
            assert exc.reason in ("too_deep", "no_article_text")


def test_all_navigation_page_has_no_article_text() -> None:
    nav = "".join(f'<a href="/s/{i}">বিভাগ {i}</a>' for i in range(40))
    items = "".join(f'<li><a href="/news/{i}">খবরের শিরোনাম নম্বর {i} এখানে</a></li>'
                    for i in range(80))
    html = f"<html><body><nav>{nav}</nav><div class='list'><ul>{items}</ul></div></body></html>"
    assert reason_of(html) == "no_article_text"


def test_short_page_that_is_no_article() -> None:
    html = "<html><body><div>লগইন করুন</div><div>পাসওয়ার্ড ভুলে গেছেন?</div></body></html>"
    assert reason_of(html) == "no_article_text"


def test_declared_legacy_charset_is_decoded() -> None:
    html = article_html(3).replace("<head>", '<head><meta charset="windows-1252">')
    data = html.encode("cp1252", "xmlcharrefreplace")
    article = extract_html(data, URL)
    assert article.title == "গাজা আলোচনা"
    assert len(article.body) == 3


def test_utf16_with_bom() -> None:
    article = extract_html(article_html(3).encode("utf-16"), URL)
    assert article.title == "গাজা আলোচনা"


def test_wrong_declared_charset_falls_back_to_utf8() -> None:
    html = article_html(3).replace("<head>", '<head><meta charset="iso-8859-1">')
    article = extract_html(html.encode("utf-8"), URL)
    assert article.title == "গাজা আলোচনা"


def test_main_text_never_raises() -> None:
    for bad in ("", "\x00" * 100, "<html>", "<" * 10_000, "<html><body>" + "<div>" * 6000):
        assert main_text(bad, URL) == ""
    assert main_text(article_html(2), URL).count("\n\n") == 1


def test_extract_article_from_text_response_without_reactor() -> None:
    response = TextResponse(url=URL, body=article_html(3).encode(), encoding="utf-8")
    assert extract_article(response).title == "গাজা আলোচনা"


def test_reasons_are_documented() -> None:
    for html, reason in (("", "empty_page"), (os.urandom(2000), "binary_content")):
        assert reason_of(html) == reason in guard.REASONS
