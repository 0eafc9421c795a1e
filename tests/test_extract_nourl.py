"""Extraction without a URL: main_text, extract_record and the extract command take the page
alone; the outlet comes from the page's own canonical URL, og:url or site name, else null."""

from __future__ import annotations

import json

import pytest

from newsbot.api import ExtractionError, extract_html, extract_record, main_text
from newsbot.api import main as cli_main

PARAS = [
    "ইউক্রেনের বিভিন্ন শহরে রাতভর ড্রোন ও ক্ষেপণাস্ত্র হামলা চালিয়েছে রাশিয়া, বলছে কিয়েভ।",
    "হামলায় অন্তত আটটি অঞ্চলে বিদ্যুৎ সরবরাহ বিঘ্নিত হয়েছে এবং জরুরি লোডশেডিং চলছে।",
    "ইউক্রেনের প্রেসিডেন্ট পশ্চিমা মিত্রদের কাছে আরও আকাশ প্রতিরক্ষাব্যবস্থা চেয়েছেন।",
    "রাশিয়ার প্রতিরক্ষা মন্ত্রণালয় বলেছে, তারা কেবল সামরিক স্থাপনায় হামলা চালিয়েছে।",
]
TITLE = "রাশিয়ার হামলায় অন্ধকার ইউক্রেন"


def page(head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<html><head><title>{TITLE}</title>"
            f"<meta property='og:type' content='article'>{head}</head>"
            f"<body><h1>{TITLE}</h1><article>{body}</article></body></html>")


def test_main_text_needs_no_url() -> None:
    assert main_text(page()) == "\n\n".join(PARAS)
    assert main_text(page(), None) == main_text(page(), "https://example.org/a/1")


def test_outlet_from_the_pages_canonical_url() -> None:
    head = "<link rel='canonical' href='https://www.ittefaq.com.bd/978824/russia-strikes?utm_source=x'>"
    record = extract_record(page(head))
    assert record["outlet_id"] == "ittefaq"
    assert record["url"] == "https://www.ittefaq.com.bd/978824/russia-strikes?utm_source=x"
    assert record["canonical_url"] == "https://www.ittefaq.com.bd/978824/russia-strikes"
    assert record["body"] == PARAS
    assert "dropped" not in record


def test_outlet_from_og_url_when_there_is_no_canonical() -> None:
    head = "<meta property='og:url' content='https://www.prothomalo.com/world/asia/abc123'>"
    assert extract_html(page(head)).outlet_id == "prothomalo"


def test_outlet_from_the_site_name_when_the_page_gives_no_url() -> None:
    head = "<meta property='og:site_name' content='দৈনিক ইত্তেফাক'>"
    article = extract_html(page(head))
    assert article.outlet_id == "ittefaq"
    assert article.url == "" and article.canonical_url == ""


def test_a_relative_canonical_without_url_is_no_url() -> None:
    article = extract_html(page("<link rel='canonical' href='/978824/x'>"))
    assert article.outlet_id is None and article.url == ""


def test_unknown_page_without_url_has_null_outlet_and_is_dropped_for_it() -> None:
    record = extract_record(page("<meta property='og:site_name' content='Nobody Knows'>"))
    assert record["outlet_id"] is None and record["outlet_name"] is None
    assert record["title"] == TITLE and record["body"] == PARAS
    assert record["dropped"] == "missing:url"


def test_a_given_url_wins_over_the_pages_own() -> None:
    head = "<link rel='canonical' href='https://www.ittefaq.com.bd/978824/x'>"
    article = extract_html(page(head), "https://www.jugantor.com/world/1")
    assert article.outlet_id == "jugantor"
    assert article.url == "https://www.jugantor.com/world/1"


def test_bad_pages_without_url_raise_extraction_errors() -> None:
    for bad in ("", "   ", "\x00\x01" * 500):
        with pytest.raises(ExtractionError):
            extract_html(bad)
        assert main_text(bad) == ""


def test_cli_without_url(tmp_path, capsys) -> None:
    path = tmp_path / "page.html"
    path.write_text(page("<link rel='canonical' href='https://www.ittefaq.com.bd/978824/x'>"),
                    "utf-8")
    assert cli_main([str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["outlet_id"] == "ittefaq"
    assert record["body"] == PARAS
    assert record["dropped"] is None
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert cli_main([str(empty)]) == 1
    assert json.loads(capsys.readouterr().out)["dropped"] == "empty_page"
