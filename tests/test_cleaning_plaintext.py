"""read_plain_page: pages saved as plain text (the seed's layout)."""

from __future__ import annotations

from pathlib import Path

from newsbot.extract.plaintext import read_plain_page

SEED = Path(__file__).parent / "fixtures" / "seed" / "000_6a9de8de847cfd9f.txt"
P1 = "গাজায় যুদ্ধবিরতির আলোচনা নতুন করে শুরু হয়েছে কায়রোতে। মিসর ও কাতার মধ্যস্থতা করছে।"
P2 = "জাতিসংঘের মহাসচিব এক বিবৃতিতে বলেছেন, মানবিক সহায়তা পৌঁছাতে অবিলম্বে যুদ্ধ থামাতে হবে।"
T1 = "লেবাননে যুদ্ধবিরতি কার্যকর, ঘরে ফিরছেন মানুষ"
T2 = "সুদানে দুর্ভিক্ষের আশঙ্কা জাতিসংঘের"


def test_seed_page() -> None:
    article = read_plain_page(SEED.read_text("utf-8"))
    assert article.title == "পুতিনের আমন্ত্রণে রাশিয়ায় কিম জং উন"
    assert len(article.body) == 12
    assert article.body[0].startswith("মঙ্গলবার রাশিয়া পৌঁছেছেন")
    assert article.body[-1].startswith("বিনিময়ে কিম কৃত্রিম উপগ্রহ")
    assert [link["label"] for link in article.related_links] == [
        "দৈনিক ইত্তেফাক", "বণিক বার্তা", "প্রথমআলো", "মানবজমিন", "নয়া দিগন্ত", "ভোরের কাগজ"]
    assert all(link["url"] is None for link in article.related_links)
    text = "\n".join(article.body)
    assert "এই বিভাগের আরও খবর" not in text and "ট্রেন্ডিং" not in text
    assert "জিদানের" not in text  # a line of the trending list
    assert article.url == "" and article.outlet_id is None


def test_url_sets_outlet_and_canonical_url() -> None:
    article = read_plain_page(f"শিরোনাম\n\n{P1}\n", "https://WWW.songkolon.example/world/a?utm_source=x")
    assert article.canonical_url == "https://www.songkolon.example/world/a"
    assert article.outlet_id == "songkolon" and article.outlet_name == "সংবাদ সংকলন"


def test_related_block_with_label_the_registry_does_not_know() -> None:
    text = (f"শিরোনাম\n\n{P1}\n\n{P2}\nসম্পর্কিত খবর\n{T1}\n\n{T1}\n\nসাপ্তাহিক অজানা\n"
            f"{T2}\n\n{T2}\n\nকালের কণ্ঠ\n")
    article = read_plain_page(text)
    assert article.body == [P1, P2]
    assert [(link["title"], link["label"]) for link in article.related_links] == [
        (T1, "সাপ্তাহিক অজানা"), (T2, "কালের কণ্ঠ")]


def test_repeated_headline_with_outlet_but_no_heading_is_a_link() -> None:
    article = read_plain_page(f"শিরোনাম\n\n{P1}\n\n{T1}\n\n{T1}\n\nপ্রথম আলো\n\n{P2}\n")
    assert article.body == [P1, P2]
    assert article.related_links[0]["label"] == "প্রথম আলো"


def test_repeated_prose_paragraph_stays_body() -> None:
    article = read_plain_page(f"শিরোনাম\n\n{P1}\n\n{P1}\n\n{P2}\n")
    assert article.body == [P1, P1, P2]  # the duplicates pipeline removes the repeat
    assert article.related_links == []


def test_bullets_under_list_heading_are_not_body_but_other_bullets_are() -> None:
    text = (f"শিরোনাম\n\n{P1}\n\n  • প্রথম দাবি: যুদ্ধবিরতি\n  • দ্বিতীয় দাবি: বন্দিবিনিময়\n\n"
            f"{P2}\n\nসর্বাধিক পঠিত\n  • ভিসা পদ্ধতি পুরোপুরি তুলে নিলো যে দেশ\n\n  - তানজানিয়ায় নিহত ১৯\n")
    article = read_plain_page(text)
    assert article.body == [P1, "প্রথম দাবি: যুদ্ধবিরতি", "দ্বিতীয় দাবি: বন্দিবিনিময়", P2]


def test_hard_wrapped_prose_is_joined() -> None:
    wrapped = ("জাতিসংঘের মহাসচিব এক বিবৃতিতে বলেছেন, মানবিক সহায়তা পৌঁছাতে\n"
               "অবিলম্বে যুদ্ধ থামাতে হবে।")
    article = read_plain_page(f"শিরোনাম\n\n{wrapped}\n\n{P1}\nআরও পড়ুন\n")
    assert article.body == [P2, P1]


def test_empty_and_title_only_pages() -> None:
    assert read_plain_page("").title == ""
    article = read_plain_page("\ufeff\n\n  শুধু শিরোনাম  \n")
    assert article.title == "শুধু শিরোনাম" and article.body == []
