"""Labels by meaning, not spelling: one comparison key (newsbot.text.compare_key) for every label
and phrase comparison, and related blocks in the common CMS shapes giving each article once."""

from __future__ import annotations

import unicodedata

import pytest

from newsbot.dates import find_dates
from newsbot.extract.page import extract_page
from newsbot.text import compare_key, fold
from newsbot.vocabulary.labels import is_related_heading, strip_related_prefix
from newsbot.vocabulary.lines import load_phrasebook

ZWNJ, ZWJ = "\u200c", "\u200d"
# য় written as one code point (U+09DF), as older CMSs store it; NFC gives য + nukta.
PRECOMPOSED_YA = "\u09df"


@pytest.mark.parametrize(("a", "b"), [
    ("এই বিভাগের আরো খবর", "এই বিভাগের আরও খবর"),                # আরো / আরও
    ("আপডেটঃ", "আপডেট:"),                                       # visarga typed for a colon
    ("এ বিষয়ে আরও", "এ বিষ" + PRECOMPOSED_YA + "ে আরও"),          # decomposed / precomposed
    ("আরও পড়ুন", "আরও প" + ZWNJ + "ড়ুন"),                         # zero-width non-joiner
    ("র‍্যাব", "র্যাব"),                                             # zero-width joiner
    ("আরও পড়ুন", "» আরও পড়ুন :"),                                  # surrounding punctuation
])
def test_one_key_equates_spelling_variants(a: str, b: str) -> None:
    assert compare_key(a) == compare_key(b)


def test_key_keeps_real_words_apart() -> None:
    assert compare_key("আরোহী") != compare_key("আরওহী")   # a variant only as a whole word
    assert "ঃ" in fold("দুঃখ")                             # a visarga inside a word stays
    assert fold("১০ঃ৩০") == "১০:৩০"


@pytest.mark.parametrize("heading", [
    "এই বিষয়ে আরো খবর", "এ বিভাগের আরো খবর:", "সম্পর্কিত খবরঃ", "আরো প" + ZWNJ + "ড়ুন",
    unicodedata.normalize("NFD", "এই বিভাগের আরও খবর"),
])
def test_related_headings_by_meaning(heading: str) -> None:
    assert is_related_heading(heading)


def test_also_read_prefix_in_any_spelling() -> None:
    assert strip_related_prefix("আরো পড়ুনঃ গাজায় যুদ্ধবিরতি") == "গাজায় যুদ্ধবিরতি"
    assert strip_related_prefix("আরও  প" + ZWNJ + "ড়ুন: শিরোনাম") == "শিরোনাম"
    assert strip_related_prefix("আরোহী নিহত") is None


def test_date_labels_by_meaning() -> None:
    found = find_dates("প্রকাশঃ ১২ জানুয়ারি ২০২৫, ১০:১৫ আপডেটঃ ১২ জানুয়ারি ২০২৫, ১৪:৪০",
                       default_tz="Asia/Dhaka")
    assert found["published"] is not None and found["published"].hour == 10
    assert found["updated"] is not None and found["updated"].hour == 14


def test_boilerplate_phrases_by_meaning() -> None:
    book = load_phrasebook()
    assert book.heading_kind("এই বিভাগের আরো খবর") == "marker"
    assert book.heading_kind("আরো পড়ুনঃ") == "also_read"
    rule = book.classify("আরো পড়ুনঃ গাজায় যুদ্ধবিরতি আলোচনা ফের শুরু")
    assert rule is not None and rule.kind == "prompt"
    assert book.classify("প্রকাশঃ ১২ জানুয়ারি ২০২৫") is not None


PARAS = [
    "ইউক্রেনের পূর্বাঞ্চলে রাতভর ড্রোন হামলায় অন্তত সাতজন নিহত হয়েছেন বলে জানিয়েছে দেশটির "
    "কর্তৃপক্ষ। আহত হয়েছেন আরও বিশজন।",
    "আঞ্চলিক গভর্নর বলেছেন, হামলায় একটি আবাসিক ভবন ও একটি বিদ্যুৎকেন্দ্র ক্ষতিগ্রস্ত হয়েছে এবং "
    "উদ্ধারকাজ চলছে।",
    "রাশিয়ার প্রতিরক্ষা মন্ত্রণালয় এ বিষয়ে কোনো মন্তব্য করেনি, তবে তারা বলেছে রাতভর ৪০টি ড্রোন "
    "ভূপাতিত করা হয়েছে।",
]
SITE = "https://www.example-khobor.com"
URL = f"{SITE}/world/2025/01/13/12345"


def _wordpress_card(n: int, title: str) -> str:
    url = f"{SITE}/world/2025/01/1{n}/{n}1111"
    return (f'<div class="col-md-4"><div class="single-news">'
            f'<a href="{url}" title="{title}"><img src="/wp-content/uploads/{n}.jpg" alt=""></a>'
            f'<h3 class="title"><a href="{url}">{title}</a></h3></div></div>')


def _page(related: str, inline: str = "") -> str:
    paras = [f"<p>{p}</p>" for p in PARAS]
    return (
        '<html lang="en-US"><head><title>ড্রোন হামলায় নিহত ৭ &#8211; খবর</title>'
        '<meta property="og:type" content="article"></head><body>'
        '<article class="post"><h1 class="entry-title">ড্রোন হামলায় নিহত ৭</h1>'
        f'<div class="entry-content">{"".join(paras[:2])}{inline}{"".join(paras[2:])}'
        f"</div></article>{related}</body></html>"
    )


def test_wordpress_block_linking_each_item_twice_gives_each_once() -> None:
    titles = ["সিরিয়ায় নতুন সরকারের প্রথম বৈঠক", "জাপানে ভূমিকম্প, সুনামি সতর্কতা",
              "ব্রাজিলে বন্যায় ঘরছাড়া হাজারো মানুষ"]
    related = ('<div class="related-post"><div class="section-title"><h4>এই বিষয়ে আরো খবর</h4>'
               '</div><div class="row">'
               + "".join(_wordpress_card(n, t) for n, t in enumerate(titles, 1)) + "</div></div>")
    article = extract_page(_page(related), URL)
    assert [link["title"] for link in article.related_links] == titles
    assert [link["url"] for link in article.related_links] == [
        f"{SITE}/world/2025/01/1{n}/{n}1111" for n in (1, 2, 3)]
    assert article.body == PARAS


def test_wordpress_thumbnail_link_alone_takes_its_title_attribute() -> None:
    url = f"{SITE}/world/2025/01/10/5555"
    related = (f'<div class="related"><h4>এ বিভাগের আরো খবর</h4><ul>'
               f'<li><a href="{url}" title="চীনে তুষারঝড়ে জনজীবন বিপর্যস্ত"><img src="/x.jpg"></a>'
               "</li></ul></div>")
    article = extract_page(_page(related), URL)
    assert [(lk["title"], lk["url"]) for lk in article.related_links] == [
        ("চীনে তুষারঝড়ে জনজীবন বিপর্যস্ত", url)]


def test_also_read_box_inside_the_body_in_any_spelling() -> None:
    inline = (f'<p><strong>আরো পড়ুনঃ</strong> <a href="{SITE}/world/2025/01/12/98765">'
              "গাজায় যুদ্ধবিরতি আলোচনা ফের শুরু</a></p>"
              f'<div class="also-read"><span>আরও প{ZWNJ}ড়ুন</span><ul>'
              f'<li><a href="{SITE}/world/2025/01/11/44444">ইরানে নতুন নিষেধাজ্ঞা</a></li>'
              f'<li><a href="{SITE}/world/2025/01/12/98765">গাজায় যুদ্ধবিরতি আলোচনা ফের শুরু</a>'
              "</li></ul></div>")
    article = extract_page(_page("", inline=inline), URL)
    assert [link["title"] for link in article.related_links] == [
        "গাজায় যুদ্ধবিরতি আলোচনা ফের শুরু", "ইরানে নতুন নিষেধাজ্ঞা"]
    assert article.body == PARAS


def test_aggregator_cards_give_each_article_once_with_its_outlet() -> None:
    cards = (
        '<div class="card"><a href="https://www.ittefaq.com.bd/307316/saudi">'
        '<img src="/t1.jpg" alt="সৌদি আরবে ফ্যাশন শো"></a>'
        '<a href="https://www.ittefaq.com.bd/307316/saudi"><h4>সৌদি আরবে ফ্যাশন শো</h4></a>'
        '<span class="source">দৈনিক ইত্তেফাক</span></div>'
        '<div class="card"><a href="https://www.bonikbarta.com/369928"><h4>ঢাকায় আসছে মার্কিন দল</h4>'
        '</a><a href="https://www.bonikbarta.com/369928">ঢাকায় আসছে মার্কিন দল</a>'
        '<span class="source">বণিক বার্তা</span></div>'
    )
    related = f'<section class="more"><h2>আরো সংবাদ</h2>{cards}</section>'
    article = extract_page(_page(related), URL)
    assert [(lk["title"], lk["label"], lk["outlet_id"]) for lk in article.related_links] == [
        ("সৌদি আরবে ফ্যাশন শো", "দৈনিক ইত্তেফাক", "ittefaq"),
        ("ঢাকায় আসছে মার্কিন দল", "বণিক বার্তা", "bonikbarta"),
    ]
