"""Generic body extraction: trafilatura plus our related-block, boilerplate, lead and repair
handling, on small hand-written pages."""

from __future__ import annotations

import json
import unicodedata

import lxml.html
import pytest
import trafilatura

from newsbot.extract.generic import (
    MAX_HTML_CHARS,
    generic_body,
    generic_text,
    parse_html,
)
from newsbot.text import fold
from newsbot.vocabulary.lines import _phrases, is_boilerplate_line

URL = "https://www.example-news.com/world/2026/11/27/123456"

BN_PARAS = [
    "গাজায় যুদ্ধবিরতি কার্যকর রাখতে কায়রোতে নতুন দফা আলোচনা শুরু হয়েছে। মিসর ও কাতারের মধ্যস্থতায় "
    "এই আলোচনায় দুই পক্ষের প্রতিনিধিরা অংশ নিচ্ছেন বলে কূটনৈতিক সূত্রগুলো জানিয়েছে।",
    "আলোচনার মূল বিষয় বন্দিবিনিময় এবং মানবিক সহায়তার ট্রাক প্রবেশের সংখ্যা বাড়ানো। জাতিসংঘ বলছে, "
    "প্রতিদিন অন্তত পাঁচ শ ট্রাক প্রবেশ করতে না পারলে দুর্ভিক্ষ পরিস্থিতি আরও খারাপ হবে।",
    "ইসরায়েলের প্রধানমন্ত্রীর কার্যালয় এক বিবৃতিতে জানিয়েছে, তাদের প্রতিনিধিদল আলোচনায় থাকবে। তবে "
    "হামাসের পক্ষ থেকে এখনো আনুষ্ঠানিক কোনো বক্তব্য পাওয়া যায়নি।",
    "বিশ্লেষকেরা মনে করছেন, যুক্তরাষ্ট্রের চাপ ছাড়া এই দফার আলোচনাও ফলপ্রসূ হবে না। তিনি তাঁর "
    "ফেসবুক পাতায় লিখেছেন, আঞ্চলিক দেশগুলোর সমন্বিত উদ্যোগ এখন সবচেয়ে জরুরি।",
]
RELATED = [
    "ইউক্রেনে রাতভর ড্রোন হামলা, বিদ্যুৎ বিচ্ছিন্ন কিয়েভের একাংশ",
    "জলবায়ু সম্মেলনে অর্থায়ন নিয়ে মতবিরোধ চরমে",
    "মিয়ানমারে সংঘর্ষে ঘর ছাড়ল হাজারো মানুষ",
    "তাইওয়ান প্রণালিতে চীনের নৌমহড়া শুরু",
]


def bengali_page(*, description: str | None = None, lead: str | None = None,
                 extra_head: str = "") -> str:
    related = "".join(f'<li><strong>বিশ্ব:</strong> <a href="/world/{i}">{t}</a></li>'
                      for i, t in enumerate(RELATED))
    paras = "".join(f"<p>{p}</p>" for p in BN_PARAS[:2])
    paras += '<p>আরও পড়ুন: <a href="/world/9">জাতিসংঘে ভোটাভুটি পিছিয়ে গেল</a></p>'
    paras += f"<ul>{related}</ul>"
    paras += '<p class="text-center">কায়রোতে আলোচনার টেবিলে প্রতিনিধিরা। ছবি: রয়টার্স</p>'
    paras += "".join(f"<p>{p}</p>" for p in BN_PARAS[2:])
    desc = f'<meta property="og:description" content="{description}">' if description else ""
    lead_html = f'<div class="standfirst">{lead}</div>' if lead else ""
    return f"""<!DOCTYPE html><html lang="bn"><head><meta charset="utf-8">
<title>গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু | উদাহরণ সংবাদ</title>
<meta property="og:title" content="গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু">{desc}{extra_head}</head>
<body>
<nav><ul><li><a href="/">প্রচ্ছদ</a></li><li><a href="/world">বিশ্ব</a></li>
<li><a href="/sports">খেলা</a></li></ul></nav>
<main><div class="row"><div class="col-md-8">
<h1>গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু</h1>{lead_html}
<div class="meta"><span>নিজস্ব প্রতিবেদক</span></div>
<p>প্রকাশ: ২৭ নভেম্বর ২০২৬, ০৯:১৫</p>
<div class="content">{paras}
<p>শেয়ার করুন</p>
</div></div></div></main>
<footer><p>সম্পাদক ও প্রকাশক: উদাহরণ। সর্বস্বত্ব সংরক্ষিত।</p></footer>
</body></html>"""


def test_bengali_page_keeps_body_and_drops_furniture() -> None:
    body = generic_body(bengali_page(), URL)
    assert body == BN_PARAS


def test_related_list_that_trafilatura_keeps_is_removed() -> None:
    html = bengali_page()
    plain = trafilatura.extract(html, url=URL, include_comments=False, include_tables=True) or ""
    # the premise: trafilatura on its own keeps the related-stories list
    assert RELATED[0] in plain, "trafilatura no longer keeps this related list"
    text = generic_text(html, URL)
    for headline in RELATED:
        assert headline not in text
    assert BN_PARAS[0] in text


def test_visible_standfirst_is_restored_first() -> None:
    lead = "কায়রোতে নতুন দফা আলোচনায় বন্দিবিনিময় ও ত্রাণ প্রবেশ নিয়ে অগ্রগতির আশা করছেন মধ্যস্থতাকারীরা।"
    body = generic_body(bengali_page(description=lead, lead=lead), URL)
    assert body[0] == lead
    assert body[1:] == BN_PARAS
    # a description the page does not show is not added
    body = generic_body(bengali_page(description="পাতায় নেই এমন একটি বর্ণনা যা কোথাও দেখানো হয়নি।"), URL)
    assert body == BN_PARAS


def test_tree_argument_gives_same_body_and_is_not_modified() -> None:
    html = bengali_page()
    tree = parse_html(html)
    before = lxml.html.tostring(tree)
    assert generic_body(html, URL, tree=tree) == generic_body(html, URL)
    assert lxml.html.tostring(tree) == before


def test_list_items_and_table_rows_are_plain_paragraphs() -> None:
    items = ["প্রথম দাবি: অবিলম্বে যুদ্ধবিরতি কার্যকর করতে হবে এবং সব পক্ষকে তা মানতে হবে।",
             "দ্বিতীয় দাবি: আটক সব বেসামরিক নাগরিককে নিঃশর্তে মুক্তি দিতে হবে।"]
    html = bengali_page().replace(
        "<p>শেয়ার করুন</p>",
        "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
        "<table><tr><td>দেশ</td><td>সহায়তা</td></tr><tr><td>মিসর</td><td>৫০০ ট্রাক</td></tr>"
        "</table>",
    )
    body = generic_body(html, URL)
    for item in items:
        assert item in body
    assert "মিসর ৫০০ ট্রাক" in body
    assert not any(p.startswith(("- ", "|")) or " | " in p for p in body)


def test_repeated_headline_is_dropped() -> None:
    html = bengali_page().replace('<div class="content">',
                                  '<div class="content"><h2>গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু</h2>')
    body = generic_body(html, URL)
    assert "গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু" not in body
    assert body[0] == BN_PARAS[0]


def test_missing_body_is_repaired_from_jsonld_article_body() -> None:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "শিরোনাম",
            "articleBody": "প্রথম অনুচ্ছেদ, যা কেবল কাঠামোবদ্ধ তথ্যে আছে।\n\nদ্বিতীয় অনুচ্ছেদ।"}
    html = (
        "<html><head><title>শিরোনাম</title>"
        f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
        '</head><body><div id="app"></div><script>window.__DATA__={}</script></body></html>'
    )
    assert generic_body(html, URL) == ["প্রথম অনুচ্ছেদ, যা কেবল কাঠামোবদ্ধ তথ্যে আছে।",
                                       "দ্বিতীয় অনুচ্ছেদ।"]


def test_missing_body_falls_back_to_description() -> None:
    desc = "এই পাতায় কেবল বর্ণনা আছে, মূল লেখা জাভাস্ক্রিপ্ট দিয়ে আসে বলে দেখা যায় না।"
    html = (f'<html><head><meta name="description" content="{desc}"></head>'
            '<body><div id="app"></div></body></html>')
    assert generic_body(html, URL) == [desc]


def test_body_split_into_chunks_is_taken_whole() -> None:
    first = "".join(f"<p>{p}</p>" for p in BN_PARAS[:2])
    second = "".join(f"<p>{p}</p>" for p in BN_PARAS[2:])
    html = f"""<html><head><title>t</title></head><body><main>
<h1>গাজায় যুদ্ধবিরতি আলোচনা আবার শুরু</h1>
<div class="story"><div class="article-body">{first}</div></div>
<div class="ad-slot"><a href="/promo">বিশেষ অফার</a></div>
<div class="story"><div class="article-body">{second}</div></div>
</main></body></html>"""
    fast_only = trafilatura.extract(html, url=URL, fast=True, include_comments=False) or ""
    assert BN_PARAS[3] not in fast_only, "premise: trafilatura takes the first chunk only"
    assert generic_body(html, URL) == BN_PARAS


def test_lines_are_matched_in_nfc() -> None:
    # "আরও পড়ুন" typed with the precomposed letter U+09DC, which NFC decomposes
    assert is_boilerplate_line("আরও প\u09dcুন")
    page = bengali_page().replace("সমন্বিত", "সমন্বিত \u09dcা")
    assert "\u09dc" not in "".join(generic_body(page, URL))


DEEP = "<html><body>" + "<div>" * 20000 + "<p>ভেতরে</p>" + "</div>" * 20000 + "</body></html>"


@pytest.mark.parametrize("bad", [
    "",
    None,
    "   \n  ",
    b"\x00\x01\x02\xff\xfe" * 500,
    "\x00\x01\x02binary\x03\x04" * 200,
    "just a line of plain text, no markup at all",
    "<html><body>" + "<p>" + "শব্দ " * 50 + "</p>" * 1 + "x" * (MAX_HTML_CHARS + 1),
    DEEP,
    12345,
])
def test_bad_input_gives_empty_list_without_raising(bad: object) -> None:
    assert generic_body(bad, URL) == []  # type: ignore[arg-type]
    assert generic_text(bad, URL) == ""  # type: ignore[arg-type]


def test_bad_tree_argument_gives_empty_list() -> None:
    assert generic_body("<html></html>", URL, tree="not a tree") == []


@pytest.mark.parametrize("line", [
    "Advertisement",
    "আরও পড়ুন",
    "আরও পড়ুন: জাতিসংঘে ভোটাভুটি পিছিয়ে গেল",
    "Read more: Storm hits the coast again",
    "Photo: Reuters",
    "দেইর আল-বালাহে বৃষ্টির পানিতে তলিয়ে যাওয়া তাঁবু। ছবি: এএফপি",
    "নাফ নদীর তীরে টহলরত বিজিবি সদস্যরা। ফাইল ছবি",
    "© 2026 Example News. All rights reserved.",
    "Lesedauer: 4 Minuten",
    "প্রকাশ: ২৭ নভেম্বর ২০২৬, ০৯:১৫",
    "05.08.2024, 20:59 Uhr",
    "Von Anna Sleegers, Frankfurt",
    "Sign up for our newsletter to get the latest news in your inbox.",
    "কালের কণ্ঠের টাটকা খবর জানতে আমাদের টেলিগ্রাম চ্যানেলে যুক্ত হোন।",
    "— Jane Doe (@janedoe) July 18, 2026",
    "(dpa)",
    "***",
])
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize("line", [
    *BN_PARAS,
    "Mehr als 1100 Menschen nahmen an der Demonstration teil.",
    "By the end of the week, the talks had collapsed.",
    "তিনি তাঁর ফেসবুক পাতায় লিখেছেন, আলোচনা চলবে।",
    "The photo was taken in 2019 and shows the damaged bridge.",
    "More than 40 people were injured in the blast, officials said.",
])
def test_article_lines_are_kept(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_phrase_lists_are_well_formed_data() -> None:
    # the word lists live in generic_phrases.toml: literal text in fold form (lower-case NFC,
    # one spelling of a word), no repeats
    data = _phrases()
    assert {"label", "read_more", "credit", "agency", "copyright", "reading_time", "promo",
            "social", "byline", "date"} <= set(data)
    for table, lists in data.items():
        for key, entries in lists.items():
            where = f"{table}.{key}"
            assert entries, where
            assert len(entries) == len(set(entries)), where
            for entry in entries:
                assert entry == entry.strip() and entry, where
                assert entry == entry.lower() == unicodedata.normalize("NFC", entry), entry
                assert entry == fold(entry), entry
                assert "  " not in entry, entry
    assert all(" " not in w for w in data["date"]["words"])


@pytest.mark.parametrize("line", [
    "Kommentare abgeben",  # label
    "Läs också: Regeringen föreslår nya regler",  # read-more prompt
    "Source : AFP",  # credit prefix
    "Foto: Michael Kappeler/dpa",  # agency after a slash
    "5 min read",  # reading time
    "Follow Jane Doe on Twitter",  # follow on platform
    "Join our WhatsApp channel for updates",  # our + platform + call to action
    "Von Anna Meier und Tom Berg",  # byline with a joiner
    "Mis à jour le 12 mars 2024 à 10:30",  # date line, phrase split into words
])
def test_boilerplate_lines_from_each_phrase_table(line: str) -> None:
    assert is_boilerplate_line(line)


def test_phrases_are_literal_text() -> None:
    # a "." in an entry ("min.") is a dot, not any character
    assert is_boilerplate_line("3 min. read")
    assert not is_boilerplate_line("3 minx read")
