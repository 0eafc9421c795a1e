"""RelatedOutletsPipeline: outlet of each related link from its label, else its domain."""

from __future__ import annotations

import unicodedata

import pytest

from newsbot.cleaning import CleaningStats
from newsbot.items import Article, related_link
from newsbot.pipelines.related_outlets import RelatedOutletsPipeline


def run(links: list[dict]) -> tuple[list[dict], CleaningStats]:
    stats = CleaningStats()
    item = Article(url="u", canonical_url="u", title="t", body=["x"], related_links=links)
    return RelatedOutletsPipeline({}, stats).process_item(item).related_links, stats


@pytest.mark.parametrize("label, outlet_id", [
    ("প্রথমআলো", "prothomalo"),
    ("প্রথম আলো", "prothomalo"),
    ("দৈনিক ইত্তেফাক", "ittefaq"),
    ("ইত্তেফাক", "ittefaq"),
    ("দৈনিক প্রথম আলো", "prothomalo"),
    ("বণিক বার্তা", "bonikbarta"),
    ("মানবজমিন", "manabzamin"),
    ("ভোরের কাগজ", "bhorerkagoj"),
    ("নয়া দিগন্ত", "nayadiganta"),
    ("ন\u09dfা দিগন্ত", "nayadiganta"),  # য় precomposed (U+09DF)
    (unicodedata.normalize("NFD", "নয়া দিগন্ত"), "nayadiganta"),  # য + nukta
    ("দৈনিক যুগান্তর", "jugantor"),
    ("আনন্দবাজার", "anandabazar"),
])
def test_label_spellings(label: str, outlet_id: str) -> None:
    links, stats = run([related_link("গাজায় যুদ্ধবিরতি", None, label)])
    assert links[0]["outlet_id"] == outlet_id
    assert links[0]["outlet_name"]
    assert links[0]["label"] == label  # the raw label is kept
    assert stats.get_value("newsbot/related_outlets/by_label") == 1


def test_domain_when_label_missing_or_unknown() -> None:
    links, stats = run([
        related_link("লেবাননে যুদ্ধবিরতি", "https://www.kalerkantho.com/online/world/2026/11/27/1"),
        related_link("ইরানে বিক্ষোভ", "https://www.bbc.com/bengali/articles/c123", "বিশ্ব সংবাদ"),
    ])
    assert [(link["outlet_id"], link["outlet_name"]) for link in links] == [
        ("kalerkantho", "কালের কণ্ঠ"), ("bbcbangla", "বিবিসি বাংলা")]
    assert links[1]["label"] == "বিশ্ব সংবাদ"
    assert stats.get_value("newsbot/related_outlets/by_domain") == 2
    assert stats.get_value("newsbot/related_outlets/unknown_label/বিশ্ব সংবাদ") == 1


def test_unknown_outlet_is_null_and_label_counted() -> None:
    links, stats = run([related_link("সুদানে দুর্ভিক্ষ", None, "দৈনিক অজানা বার্তা")])
    assert links[0]["outlet_id"] is None and links[0]["outlet_name"] is None
    assert links[0]["label"] == "দৈনিক অজানা বার্তা"
    assert stats.get_value("newsbot/related_outlets/unknown") == 1
    assert stats.get_value("newsbot/related_outlets/unknown_label/দৈনিক অজানা বার্তা") == 1


def test_duplicate_titles_keep_first() -> None:
    links, stats = run([
        related_link("সংবিধান পাল্টে তৃতীয়বার প্রেসিডেন্ট হতে চান ট্রাম্প!", None, "ভোরের কাগজ"),
        related_link("ঢাকায় আসছে মার্কিন প্রতিনিধি দল", None, "বণিক বার্তা"),
        related_link("সংবিধান  পাল্টে তৃতীয়বার প্রেসিডেন্ট হতে চান ট্রাম্প", None, "প্রথম আলো"),
        related_link("", None, None),
    ])
    assert [link["outlet_id"] for link in links] == ["bhorerkagoj", "bonikbarta"]
    assert stats.get_value("newsbot/related_outlets/duplicate_title") == 1
    assert stats.get_value("newsbot/related_outlets/empty") == 1


def test_other_paths_of_a_shared_host_have_no_outlet() -> None:
    # BBC News বাংলা owns www.bbc.com/bengali only; the English BBC is not a Bengali outlet.
    links, _ = run([
        related_link("Ukraine war latest", "https://www.bbc.com/news/world-europe-1"),
        related_link("ইরানে বিক্ষোভ", "https://www.bbc.com/bengali/articles/c123"),
    ])
    assert [link["outlet_id"] for link in links] == [None, "bbcbangla"]
