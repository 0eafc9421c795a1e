"""Public API: extract_article / extract_html / main_text / the extract CLI, order of evidence."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from scrapy.http import HtmlResponse

from newsbot.api import ExtractionError, extract_article, extract_html, main_text
from newsbot.api import main as cli_main
from newsbot.items import Article

PARAS = [
    "ইউক্রেনের বিভিন্ন শহরে রাতভর ড্রোন ও ক্ষেপণাস্ত্র হামলা চালিয়েছে রাশিয়া, বলছে কিয়েভ।",
    "হামলায় অন্তত আটটি অঞ্চলে বিদ্যুৎ সরবরাহ বিঘ্নিত হয়েছে এবং জরুরি লোডশেডিং চলছে।",
    "ইউক্রেনের প্রেসিডেন্ট পশ্চিমা মিত্রদের কাছে আরও আকাশ প্রতিরক্ষাব্যবস্থা চেয়েছেন।",
    "রাশিয়ার প্রতিরক্ষা মন্ত্রণালয় বলেছে, তারা কেবল সামরিক স্থাপনায় হামলা চালিয়েছে।",
]
URL = "https://www.ittefaq.com.bd/978824/russia-strikes?utm_source=fb"


def jsonld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj, ensure_ascii=False)}</script>'


def make_page(head: str = "", before_body: str = "", paras: list[str] | None = None,
              after: str = "", h1: str = "রাশিয়ার হামলায় অন্ধকার ইউক্রেন") -> str:
    body = "".join(f"<p>{p}</p>" for p in (PARAS if paras is None else paras))
    h1_html = f"<h1>{h1}</h1>" if h1 else ""
    return (
        f"<html><head><title>রাশিয়ার হামলায় অন্ধকার ইউক্রেন | ইত্তেফাক</title>{head}</head>"
        f"<body><header><nav><a href='/'>প্রচ্ছদ</a></nav></header>{h1_html}{before_body}"
        f"<article>{body}</article>{after}<footer>© ইত্তেফাক</footer></body></html>"
    )


def test_extract_article_from_htmlresponse_no_reactor() -> None:
    response = HtmlResponse(url=URL, body=make_page().encode("utf-8"), encoding="utf-8")
    article = extract_article(response)
    assert isinstance(article, Article)
    assert article.url == URL
    assert article.canonical_url == "https://www.ittefaq.com.bd/978824/russia-strikes"
    assert article.outlet_id == "ittefaq" and article.outlet_name == "ইত্তেফাক"
    assert article.title == "রাশিয়ার হামলায় অন্ধকার ইউক্রেন"
    assert article.body == PARAS
    fetched = datetime.fromisoformat(article.fetched_at)
    assert fetched.utcoffset() is not None and fetched.utcoffset().total_seconds() == 0


def test_rel_canonical_is_resolved_and_canonicalized() -> None:
    head = '<link rel="canonical" href="/978824/russia-strikes?fbclid=abc#top">'
    article = extract_html(make_page(head), URL)
    assert article.canonical_url == "https://www.ittefaq.com.bd/978824/russia-strikes"


def test_jsonld_graph_fields_and_visible_body_wins_over_article_body() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "পাতা"},
        {"@type": "NewsArticle", "headline": "জেসন শিরোনাম", "articleBody": PARAS[0],
         "datePublished": "2026-11-25T08:00:00+06:00", "dateModified": "2026-11-25T10:30:00+06:00",
         "author": [{"@type": "Person", "name": "সুমন দাস"},
                    {"@type": "Person", "name": "অনলাইন ডেস্ক"}],
         "articleSection": "বিশ্ব", "keywords": ["ইউক্রেন", "রাশিয়া"],
         "image": {"@type": "ImageObject", "url": "/m/a.jpg", "caption": "কিয়েভে ধ্বংসস্তূপ"}},
    ]}
    article = extract_html(make_page(jsonld(graph)), URL)
    assert article.title == "জেসন শিরোনাম"
    assert article.body == PARAS                    # not the truncated articleBody
    assert article.published == "2026-11-25T08:00:00+06:00"
    assert article.updated == "2026-11-25T10:30:00+06:00"
    assert article.authors == ["সুমন দাস"]
    assert article.desk == "অনলাইন ডেস্ক"
    assert article.section == "বিশ্ব"
    assert article.tags == ["ইউক্রেন", "রাশিয়া"]
    assert article.image == {"url": "https://www.ittefaq.com.bd/m/a.jpg",
                             "caption": "কিয়েভে ধ্বংসস্তূপ"}


def test_article_body_is_used_when_the_page_shows_no_body() -> None:
    obj = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "শিরোনাম",
           "articleBody": "\n\n".join(PARAS[:2])}
    article = extract_html(make_page(jsonld(obj), paras=[]), URL)
    assert article.body == PARAS[:2]


def test_title_order_of_evidence() -> None:
    og = '<meta property="og:title" content="ওজি শিরোনাম">'
    assert extract_html(make_page(og), URL).title == "ওজি শিরোনাম"
    assert extract_html(make_page(), URL).title == "রাশিয়ার হামলায় অন্ধকার ইউক্রেন"
    no_h1 = make_page(h1="").replace("রাশিয়ার হামলায় অন্ধকার ইউক্রেন | ইত্তেফাক",
                                      "শুধু টাইটেল ট্যাগ | দৈনিক ইত্তেফাক")
    assert extract_html(no_h1, URL).title == "শুধু টাইটেল ট্যাগ"


def test_published_and_updated_are_never_confused() -> None:
    line = ('<div class="date-line"><span class="time">আপডেট: ২৬ নভেম্বর ২০২৬, ১২:৩০</span>'
            '<span class="time">প্রকাশ: ২৬ নভেম্বর ২০২৬, ০৯:০৫</span></div>')
    article = extract_html(make_page(before_body=line), URL)
    assert article.published == "2026-11-26T09:05:00+06:00"
    assert article.updated == "2026-11-26T12:30:00+06:00"
    assert not any("২০২৬" in p for p in article.body)


def test_indian_outlet_dates_in_kolkata_time() -> None:
    line = '<p class="publish-date">শেষ আপডেট: ২৭ নভেম্বর ২০২৬ ১৮:৪০</p>'
    url = "https://www.anandabazar.com/world/some-slug/cid/1234567"
    article = extract_html(make_page(before_body=line), url)
    assert article.outlet_id == "anandabazar"
    assert article.updated == "2026-11-27T18:40:00+05:30" or article.published == (
        "2026-11-27T18:40:00+05:30")


def test_desk_byline_goes_to_desk_not_body() -> None:
    byline = '<div class="author-box"><span class="author">আন্তর্জাতিক ডেস্ক</span></div>'
    article = extract_html(make_page(before_body=byline,
                                     paras=["আন্তর্জাতিক ডেস্ক", *PARAS]), URL)
    assert article.desk == "আন্তর্জাতিক ডেস্ক"
    assert article.authors == []
    assert article.body == PARAS


def test_main_text_is_cleaned_body_joined_by_blank_lines() -> None:
    text = main_text(make_page(), URL)
    assert text == "\n\n".join(PARAS)
    assert main_text("", URL) == ""
    assert main_text("\x00\x01" * 500, URL) == ""


def test_main_text_matches_the_full_extraction_body() -> None:
    byline = '<div class="byline">লেখক: সুমন দাস</div>'
    page = make_page(before_body=byline, paras=["সুমন দাস", *PARAS])
    assert main_text(page, URL).split("\n\n") == extract_html(page, URL).body


def test_extract_html_raises_only_extraction_error() -> None:
    for bad in ("", b"\x89PNG\r\n\x1a\n....", "<html><body><nav>x</nav></body></html>"):
        with pytest.raises(ExtractionError) as info:
            extract_html(bad, URL)
        assert info.value.reason


def test_cli_prints_the_cleaned_record(tmp_path, capsys) -> None:
    path = tmp_path / "page.html"
    path.write_text(make_page(), "utf-8")
    assert cli_main([str(path), "--url", URL]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["title"] == "রাশিয়ার হামলায় অন্ধকার ইউক্রেন"
    assert record["body"] == PARAS
    assert record["outlet_id"] == "ittefaq"
    assert record["dropped"] is None
    for name in ("url", "canonical_url", "outlet_name", "published", "updated", "authors",
                 "desk", "section", "tags", "image", "related_links", "fetched_at",
                 "language", "language_confidence", "language_method"):
        assert name in record


def test_cli_prints_a_dropped_record_with_its_reason(tmp_path, capsys) -> None:
    english = [
        "Russia launched drones and missiles at several Ukrainian cities overnight, Kyiv said.",
        "Power was cut in at least eight regions and emergency outages were in place on Friday.",
        "The president asked Western allies for more air defence systems after the strikes.",
    ]
    path = tmp_path / "en.html"
    path.write_text(make_page(paras=english, h1="Russian strikes darken Ukraine"), "utf-8")
    assert cli_main([str(path), "--url", URL]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["dropped"] and record["dropped"].startswith("language")
    assert record["body"]


def test_cli_no_article_and_usage_errors(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert cli_main([str(empty), "--url", URL]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out == {"url": URL, "dropped": "empty_page", "error": out["error"]}
    assert cli_main([str(tmp_path / "missing.html"), "--url", URL]) == 2
    assert cli_main([str(empty), "--encoding"]) == 2


def test_pages_that_say_they_are_no_article_are_dropped_as_such() -> None:
    from urllib.parse import urlsplit

    from newsbot.sampleweb import expected
    from newsbot.sampleweb.server import SampleWebServer

    prose = "<p>" + "ভিডিওতে দেখা যাচ্ছে, সীমান্তের কাছে হাজারো মানুষ অপেক্ষা করছেন। " * 12 + "</p>"
    page = (
        "<html><head><meta property='og:type' content='video.other'>"
        f"<title>ভিডিও</title></head><body><h1>ভিডিও</h1>{prose}</body></html>"
    )
    with pytest.raises(ExtractionError) as caught:
        extract_html(page, "https://example.com/video/2026/11/28/123456")
    assert caught.value.reason == "not_article"
    # The same text marked as an article is one.
    article = page.replace("video.other", "article")
    assert extract_html(article, "https://example.com/news/2026/11/28/123456").body
    # The sample web's video pages, if a crawl ever fetched one, would be dropped the same way.
    server = SampleWebServer(port=0)
    try:
        for url in expected.video_urls():
            parts = urlsplit(url)
            with pytest.raises(ExtractionError) as caught:
                extract_html(server.lookup(parts.hostname, parts.path).body, url)
            assert caught.value.reason in ("not_article", "no_article_text"), url
    finally:
        server.server_close()
