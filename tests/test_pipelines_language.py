"""LanguagePipeline: sets language, confidence and method from newsbot.language.identify and
drops other languages with the evidence."""

from __future__ import annotations

import pytest

from newsbot.cleaning import CleaningStats
from newsbot.drops import Drop
from newsbot.items import Article
from newsbot.language import identify
from newsbot.pipelines.language import LanguagePipeline

BN = ("মঙ্গলবার রাশিয়া পৌঁছেছেন উত্তর কোরিয়ার নেতা কিম জং উন। কোভিডের পর এটাই তার প্রথম "
      "বিদেশ সফর।")
EN = ("North Korean leader Kim Jong Un arrived in Russia on Tuesday for talks with President "
      "Vladimir Putin, his first trip abroad since the pandemic.")
HI = ("उत्तर कोरिया के नेता किम जोंग उन मंगलवार को रूस पहुंचे। महामारी के बाद यह उनकी पहली "
      "विदेश यात्रा है।")
AS = ("অসমৰ মুখ্যমন্ত্ৰীয়ে আজি গুৱাহাটীত এখন সংবাদমেলত কয় যে ৰাজ্যত বানপানীৰ পৰিস্থিতি ক্ৰমে "
      "উন্নত হৈছে।")


def run(title: str, body: list[str], settings: dict | None = None) -> tuple[Article, CleaningStats]:
    stats = CleaningStats()
    item = Article(url="u", canonical_url="u", title=title, body=body)
    return LanguagePipeline(settings or {}, stats).process_item(item), stats


def test_bengali_is_kept_on_the_second_opinion_without_langdetect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newsbot.language as language

    def fail() -> None:
        raise AssertionError("langdetect is blind between Bengali-script languages")

    monkeypatch.setattr(language, "_detector", fail)
    item, stats = run("কিম জং উন রাশিয়ায়", [BN, "Reuters জানিয়েছে, বৈঠক হবে।"])
    assert (item.language, item.language_method) == ("bn", "cld2")
    assert 0.6 <= item.language_confidence <= 1.0
    assert stats.get_value("newsbot/language/method/cld2") == 1
    assert stats.get_value("newsbot/language/detected/bn") == 1


def test_assamese_article_dropped_with_the_letters_as_evidence() -> None:
    stats = CleaningStats()
    item = Article(url="u", canonical_url="u", title="গুৱাহাটীত বানপানী", body=[AS] * 2)
    with pytest.raises(Drop) as info:
        LanguagePipeline({}, stats).process_item(item)
    assert info.value.reason == "language:as"
    assert info.value.detail.startswith("letters 1.0: ৰ/ৱ in ")
    assert (item.language, item.language_method) == ("as", "letters")
    assert stats.get_value("newsbot/language/rejected") == 1
    assert stats.get_value("newsbot/language/method/letters") == 1


def test_english_article_dropped_with_reason() -> None:
    stats = CleaningStats()
    item = Article(url="u", canonical_url="u", title="Kim arrives in Russia", body=[EN] * 3)
    with pytest.raises(Drop) as info:
        LanguagePipeline({}, stats).process_item(item)
    assert info.value.reason == "language:en"
    assert info.value.detail.startswith("langdetect ")
    assert item.language == "en" and item.language_confidence > 0.9
    assert item.language_method == "langdetect"
    assert stats.get_value("newsbot/language/rejected") == 1


def test_hindi_is_not_bengali() -> None:
    assert identify(HI).code == "hi"
    with pytest.raises(Drop, match="language:hi"):
        run("किम रूस पहुंचे", [HI])


def test_languages_setting_lets_english_and_assamese_through() -> None:
    item, _ = run("Kim arrives in Russia", [EN], {"NEWSBOT_LANGUAGES": ["bn", "en", "as"]})
    assert item.language == "en"
    item, _ = run("গুৱাহাটীত বানপানী", [AS], {"NEWSBOT_LANGUAGES": ["bn", "en", "as"]})
    assert item.language == "as"


@pytest.mark.parametrize("text", ["", "   ", "১২৩৪ — ৫৬", "!!! ??? ...", "2026-11-27 12:00"])
def test_no_letters_never_raises(text: str) -> None:
    verdict = identify(text)
    assert (verdict.code, verdict.confidence, verdict.method) == ("unknown", 0.0, "none")
    with pytest.raises(Drop) as info:
        run(text, [text])
    assert info.value.reason == "language:unknown"


def test_deterministic_on_mixed_text() -> None:
    mixed = "Dhaka Tribune reports: সরকার বলেছে the talks will resume, আলোচনা চলবে soon. " * 3
    first = identify(mixed)
    assert all(identify(mixed) == first for _ in range(20))


def test_langdetect_reads_only_the_capped_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsbot.language as language

    real = language._detector()
    seen: list[int] = []

    def recording(text: str) -> list:
        seen.append(len(text))
        return real(text)

    monkeypatch.setattr(language, "_detector", lambda: recording)
    item, _ = run("Kim arrives", [EN] * 20, {"NEWSBOT_LANGDETECT_MAX_CHARS": 300,
                                              "NEWSBOT_LANGUAGES": ["en"]})
    assert item.language == "en"
    assert seen == [300]


def test_script_share_setting() -> None:
    text = EN + " " + BN  # about a third of the letters are Bengali
    assert identify(text).method == "langdetect"
    assert identify(text, min_share=0.2).code == "bn"


def test_script_share_counts_vowel_signs_as_letters() -> None:
    from newsbot.text import script_share

    assert script_share(BN) == (script_share(BN)[0], 1.0)
    assert script_share("র\u200d্যাব ও পুলিশ।") == (11, 1.0)  # virama and vowel signs count
    assert script_share(EN)[1] == 0.0
    assert script_share("১২৩৪ টাকা, ৫৬%") == (4, 1.0)  # digits do not
    letters, share = script_share(BN + " " + EN)
    assert letters == script_share(BN)[0] + script_share(EN)[0]
    assert 0.0 < share < 1.0
