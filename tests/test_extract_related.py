"""Related links: found wherever the page puts them, in page order, once each, absolute URLs,
and never in the body; navigation sidebars are not related links."""

from __future__ import annotations

from newsbot.extract import extract_html
from newsbot.extract.page import extract_page
from newsbot.extract.profiles import parse_profile
from newsbot.vocabulary.labels import (
    is_navigation_heading,
    is_related_heading,
    strip_related_prefix,
)

URL = "https://www.prothomalo.com/world/asia/AbCdEf1234"
BODY_SENTENCES = [
    "কায়রোতে গাজা যুদ্ধবিরতি নিয়ে নতুন দফা আলোচনা শুরু হয়েছে বলে জানিয়েছে রয়টার্স।",
    "আলোচনার সঙ্গে যুক্ত একজন কর্মকর্তা বলেন, দুই পক্ষের অবস্থান কিছুটা কাছাকাছি এসেছে।",
    "জাতিসংঘের মহাসচিব এক বিবৃতিতে দ্রুত যুদ্ধবিরতির আহ্বান জানিয়েছেন।",
    "তিনি বলেন, গাজার মানবিক পরিস্থিতি ভয়াবহ পর্যায়ে পৌঁছেছে এবং ত্রাণ জরুরি।",
]


def para(i: int) -> str:
    return f"<p>{BODY_SENTENCES[i % 4]} {BODY_SENTENCES[(i + 1) % 4]} (অনুচ্ছেদ {i + 1})</p>"


def page(body_inner: str, after: str = "", head: str = "") -> str:
    return (
        f"<html><head><title>শিরোনাম | প্রথম আলো</title>{head}"
        '<meta property="og:type" content="article"></head><body>'
        '<nav><a href="/">প্রচ্ছদ</a> <a href="/world">বিশ্ব</a></nav>'
        f"<h1>গাজায় আলোচনা</h1><article>{body_inner}</article>{after}</body></html>"
    )


def triples(article) -> list[tuple[str, str | None, str | None]]:
    return [(r["title"], r["url"], r["label"]) for r in article.related_links]


def assert_not_in_body(article, *texts: str) -> None:
    joined = "\n".join(article.body)
    for text in texts:
        assert text not in joined


def test_heading_block_after_body() -> None:
    after = (
        '<div class="more"><h2>এই বিভাগের আরও খবর</h2><ul>'
        '<li><a href="/world/asia/one111">মিয়ানমারে সংঘাত তীব্র, বাস্তুচ্যুত হাজারো</a></li>'
        '<li><a href="https://www.ittefaq.com.bd/123456/x">সৌদি আরবে ফ্যাশন শো নিয়ে বিতর্ক</a></li>'
        "</ul></div>"
    )
    article = extract_html(page("".join(para(i) for i in range(4)), after), URL)
    assert triples(article) == [
        ("মিয়ানমারে সংঘাত তীব্র, বাস্তুচ্যুত হাজারো",
         "https://www.prothomalo.com/world/asia/one111", None),
        ("সৌদি আরবে ফ্যাশন শো নিয়ে বিতর্ক", "https://www.ittefaq.com.bd/123456/x", None),
    ]
    assert [r["outlet_id"] for r in article.related_links] == ["prothomalo", "ittefaq"]
    assert_not_in_body(article, "মিয়ানমারে", "সৌদি", "এই বিভাগের")


def test_inline_also_read_paragraph_inside_body() -> None:
    inline = '<p><strong>আরও পড়ুন:</strong> <a href="/world/x/also1">ইউক্রেনে রাতভর ড্রোন হামলা</a></p>'
    article = extract_html(page(para(0) + para(1) + inline + para(2) + para(3)), URL)
    assert triples(article) == [
        ("ইউক্রেনে রাতভর ড্রোন হামলা", "https://www.prothomalo.com/world/x/also1", None)
    ]
    assert len(article.body) == 4
    assert_not_in_body(article, "আরও পড়ুন", "ইউক্রেনে রাতভর")


def test_inline_label_as_plain_text_of_the_paragraph() -> None:
    inline = '<p>আরো পড়ুন: <a href="/world/x/also2">চীনে নতুন অর্থনৈতিক প্রণোদনা</a></p>'
    article = extract_html(page(para(0) + inline + para(1) + para(2)), URL)
    assert [r["title"] for r in article.related_links] == ["চীনে নতুন অর্থনৈতিক প্রণোদনা"]
    assert_not_in_body(article, "আরো পড়ুন", "চীনে নতুন")


def test_also_read_box_with_label_span() -> None:
    box = ('<div class="box"><span>আরও পড়ুন</span><a href="/world/x/box1">'
           "<span>তাইওয়ান প্রণালিতে চীনের মহড়া</span></a></div>")
    article = extract_html(page(para(0) + para(1) + box + para(2)), URL)
    assert [r["title"] for r in article.related_links] == ["তাইওয়ান প্রণালিতে চীনের মহড়া"]
    assert_not_in_body(article, "তাইওয়ান প্রণালিতে")


def test_aggregator_cards_doubled_title_and_outlet_label() -> None:
    cards = "".join(
        f'<div class="card"><h3><a href="{url}">{title}</a></h3><p>{title}</p>'
        f"<span>{label}</span></div>"
        for title, url, label in [
            ("সৌদি আরবে ফ্যাশন শো, পণ্ডিতদের ক্ষোভ", "https://www.ittefaq.com.bd/307316/s",
             "দৈনিক ইত্তেফাক"),
            ("ঢাকায় আসছে মার্কিন প্রতিনিধি দল", "https://www.bonikbarta.com/369928", "বণিক বার্তা"),
            ("ভেনেজুয়েলার বিরোধী নেতাকে স্বীকৃতি", "https://www.prothomalo.com/world/sa/X1",
             "প্রথমআলো"),
        ]
    )
    after = f'<section><h2>এই বিভাগের আরও খবর</h2>{cards}</section>'
    trending = ('<section><h2>ট্রেন্ডিং</h2><ul><li><a href="/t/1">ভিসা পদ্ধতি তুলে নিলো যে দেশ</a>'
                '</li><li><a href="/t/2">তানজানিয়ায় প্লেন দুর্ঘটনায় নিহত ১৯</a></li></ul></section>')
    url = "https://www.songkolon.example/world/42932"
    article = extract_html(page("".join(para(i) for i in range(4)), after + trending), url)
    assert [(r["label"], r["outlet_id"]) for r in article.related_links] == [
        ("দৈনিক ইত্তেফাক", "ittefaq"), ("বণিক বার্তা", "bonikbarta"), ("প্রথমআলো", "prothomalo"),
    ]
    assert article.related_links[1]["title"] == "ঢাকায় আসছে মার্কিন প্রতিনিধি দল"
    assert article.related_links[1]["outlet_name"] == "বণিক বার্তা"
    titles = [r["title"] for r in article.related_links]
    assert "ভিসা পদ্ধতি তুলে নিলো যে দেশ" not in titles
    assert_not_in_body(article, "ঢাকায় আসছে", "বণিক বার্তা", "ট্রেন্ডিং", "ভিসা পদ্ধতি")


def test_navigation_sidebars_are_not_related() -> None:
    sidebar = (
        '<aside><div><h3>সর্বশেষ</h3><ul><li><a href="/a/1">সর্বশেষ খবরের একটি শিরোনাম</a></li>'
        '</ul></div><div><h3>সর্বাধিক পঠিত</h3><ol><li><a href="/a/2">সবচেয়ে পঠিত শিরোনাম এটি</a>'
        "</li></ol></div></aside>"
    )
    article = extract_html(page("".join(para(i) for i in range(3)), sidebar), URL)
    assert article.related_links == []


def test_related_block_stops_at_the_next_heading() -> None:
    after = (
        '<div><h2>সম্পর্কিত খবর</h2><ul><li><a href="/world/r/1">ইরানের পরমাণু আলোচনা স্থগিত</a></li>'
        "</ul><h2>ট্রেন্ডিং</h2><ul><li><a href='/t/1'>ক্রিকেটে বড় জয় পেল দল</a></li></ul></div>"
    )
    article = extract_html(page("".join(para(i) for i in range(3)), after), URL)
    assert [r["title"] for r in article.related_links] == ["ইরানের পরমাণু আলোচনা স্থগিত"]


def test_page_order_and_once_each() -> None:
    inline = '<p>আরও পড়ুন: <a href="/world/r/2#top">দ্বিতীয় সম্পর্কিত শিরোনাম এটি</a></p>'
    after = (
        '<div><h2>আরও পড়ুন</h2><ul>'
        '<li><a href="/world/r/1">প্রথম তালিকার শিরোনাম এখানে</a></li>'
        '<li><a href="/world/r/2">দ্বিতীয় সম্পর্কিত শিরোনাম এটি</a></li>'
        f'<li><a href="{URL}">এই পাতাটিরই শিরোনাম এখানে</a></li>'
        "</ul></div>"
    )
    article = extract_html(page(para(0) + inline + para(1) + para(2), after), URL)
    assert [r["url"] for r in article.related_links] == [
        "https://www.prothomalo.com/world/r/2#top",
        "https://www.prothomalo.com/world/r/1",
    ]


def test_related_without_markers_is_cheap_and_empty() -> None:
    html = "<html><body><article>" + "<p>Plain English text here. " * 30 + "</p></article>"
    article = extract_html(html + "<ul><li><a href='/x'>Some link</a></li></ul></body></html>",
                           "https://example.com/a/b/c")
    assert article.related_links == []


def test_profile_related_rules() -> None:
    profile = parse_profile({
        "outlet_id": "prothomalo",
        "versions": [{
            "version": "2024", "detect": "div.story", "title": ["h1::text"],
            "body": ["div.story"],
            "related": [{"item": ".box .rel", "title": "a::text", "url": "a::attr(href)",
                         "label": "span.src::text"}],
        }],
    })
    html = (
        "<html><body><h1>শিরোনাম</h1><div class='story'>" + para(0) + para(1) + "</div>"
        "<div class='box'><div class='rel'><a href='https://www.mzamin.com/news.php?news=1'>"
        "ইমরানের বিক্ষোভের ডাক</a><span class='src'>মানবজমিন</span></div></div></body></html>"
    )
    article = extract_page(html, URL, profiles={"prothomalo": profile})
    assert article.related_links == [{
        "title": "ইমরানের বিক্ষোভের ডাক", "url": "https://www.mzamin.com/news.php?news=1",
        "label": "মানবজমিন", "outlet_id": "manabzamin", "outlet_name": "মানবজমিন",
    }]


def test_vocabulary() -> None:
    assert is_related_heading("এই বিভাগের আরও খবর")
    assert is_related_heading("আরও পড়ুন:")
    assert is_related_heading("আরো  পড়ুন")
    assert is_related_heading("সংশ্লিষ্ট খবর")
    assert not is_related_heading("সর্বশেষ")
    assert is_navigation_heading("সর্বাধিক পঠিত")
    assert is_navigation_heading("ট্রেন্ডিং")
    assert not is_navigation_heading("আরও খবর")
    assert strip_related_prefix("আরও পড়ুন: গাজায় হামলা") == "গাজায় হামলা"
    assert strip_related_prefix("আরও খবরের জন্য অপেক্ষা") is None
