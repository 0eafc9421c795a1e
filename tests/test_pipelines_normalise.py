"""NormalisePipeline: NFC, collapsed white space, empty paragraphs removed, joiners kept."""

from __future__ import annotations

import unicodedata

from newsbot.cleaning import CleaningStats
from newsbot.items import Article, related_link
from newsbot.pipelines.normalise import NormalisePipeline, normalise_text

ZWJ = "\u200d"
RAB = f"র{ZWJ}্যাব"  # র‍্যাব: the joiner is part of the spelling
# য় written precomposed (U+09DF), as many CMSs store it; NFC makes it য + nukta.
RASHIA_PRECOMPOSED = "রাশি\u09dfা"
RASHIA_NFC = unicodedata.normalize("NFC", RASHIA_PRECOMPOSED)


def run(article: Article) -> tuple[Article, CleaningStats]:
    stats = CleaningStats()
    return NormalisePipeline({}, stats).process_item(article), stats


def test_nfc_and_whitespace_on_every_text_field() -> None:
    article = Article(
        url="https://www.prothomalo.com/world/europe/abc123",
        canonical_url="https://www.prothomalo.com/world/europe/abc123",
        title=f"  {RASHIA_PRECOMPOSED}য়\u00a0হামলা\n",
        body=[f"{RASHIA_PRECOMPOSED}র  পূর্বাঞ্চলে\tহামলা।", "   ", "।", "* * *"],
        authors=["  রাহুল\u00a0দাস "],
        desk=" আন্তর্জাতিক   ডেস্ক ",
        section=" বিশ্ব\u2009",
        tags=[" ইউক্রেন ", "", f"{RASHIA_PRECOMPOSED}"],
        image={"url": "https://x/y.jpg", "caption": "কিয়েভে\u200b ধ্বংসস্তূপ।  ছবি:\u00a0রয়টার্স"},
        related_links=[related_link(f" {RASHIA_PRECOMPOSED}য় ভোট ", None, " দৈনিক\u00a0 ইত্তেফাক ")],
    )
    out, stats = run(article)
    assert out.title == f"{RASHIA_NFC}য় হামলা"
    assert out.body == [f"{RASHIA_NFC}র পূর্বাঞ্চলে হামলা।"]
    assert out.authors == ["রাহুল দাস"]
    assert out.desk == "আন্তর্জাতিক ডেস্ক"
    assert out.section == "বিশ্ব"
    assert out.tags == ["ইউক্রেন", RASHIA_NFC]
    assert out.image["caption"] == "কিয়েভে ধ্বংসস্তূপ। ছবি: রয়টার্স"
    assert out.related_links[0]["title"] == f"{RASHIA_NFC}য় ভোট"
    assert out.related_links[0]["label"] == "দৈনিক ইত্তেফাক"
    for text in (out.title, *out.body, *out.tags):
        assert unicodedata.is_normalized("NFC", text)
        assert "\u09df" not in text
    assert stats.get_value("newsbot/normalise/empty_paragraph") == 3
    assert stats.get_value("newsbot/normalise/changed/title") == 1


def test_joiners_stay_in_text_but_zero_width_space_goes() -> None:
    assert normalise_text(f"{RAB} জানিয়েছে") == f"{RAB} জানিয়েছে"
    assert ZWJ in normalise_text(RAB)
    assert "\u200c" in normalise_text("কি\u200cনা")  # ZWNJ kept as well
    assert normalise_text("অভি\u200bযান\ufeff") == "অভিযান"


def test_duplicate_authors_and_tags_removed_by_key() -> None:
    article = Article(url="u", canonical_url="u", title="t", body=["x"],
                      authors=["রাহুল দাস", "রাহুল  দাস।"], tags=["গাজা", "গাজা", "ইসরায়েল"])
    out, stats = run(article)
    assert out.authors == ["রাহুল দাস"]
    assert out.tags == ["গাজা", "ইসরায়েল"]
    assert stats.get_value("newsbot/normalise/duplicate_tags") == 1


def test_dict_items_work_too() -> None:
    item = {"title": "  গাজা ", "body": ["এক  দুই", ""], "related_links": []}
    out = NormalisePipeline({}, None).process_item(item)
    assert out == {"title": "গাজা", "body": ["এক দুই"], "related_links": []}


def test_already_clean_shortcut_is_exact() -> None:
    """The fast path trusts text built from NFC_SAFE_CHARS without NFC_UNSAFE_PAIRS: check every
    such character and every pair of them against real NFC."""
    import re

    from newsbot.text import NFC_SAFE_CHARS, NFC_UNSAFE_PAIRS

    safe = re.compile(f"[{NFC_SAFE_CHARS}]")
    unsafe = re.compile(NFC_UNSAFE_PAIRS)
    chars = [chr(c) for c in range(0x20, 0x2100) if safe.fullmatch(chr(c))]
    assert len(chars) > 300
    for ch in chars:
        assert unicodedata.normalize("NFC", ch) == ch
    for a in chars:
        for b in chars:
            pair = a + b
            if unicodedata.normalize("NFC", pair) != pair:
                assert unsafe.search(pair), f"{a!r}{b!r} changes under NFC"


def test_shortcut_and_full_path_agree_on_bengali_text() -> None:
    from newsbot.text import clean_line

    samples = [
        "মঙ্গলবার রাশিয়া পৌঁছেছেন কিম।",
        "মঙ্গলবার রাশি\u09dfা পৌঁছেছেন কিম।",  # precomposed য়
        "কো\u09c7\u09beন",  # ো written as two signs
        " সামনে ফাঁকা", "পেছনে ফাঁকা ", "দুই  ফাঁকা", "ট্যাব\tচিহ্ন",
        f"{RAB} ও ZWNJ কি\u200cনা", "‘উদ্ধৃতি’ — ড্যাশ … ৳১০০",
    ]
    for text in samples:
        assert normalise_text(text) == clean_line(text)
