"""DuplicateLinesPipeline: repeated paragraphs and sentences repeated inside a paragraph."""

from __future__ import annotations

from newsbot.cleaning import CleaningStats
from newsbot.items import Article
from newsbot.pipelines.duplicates import DuplicateLinesPipeline, dedupe_sentences

S1 = "পুতিনের সাথে একান্ত বৈঠক করতে পারেন কিম।"
S2 = "বৈঠকটি ব্লাডিভস্তকে হতে পারে বলে জানিয়েছে ক্রেমলিন।"
P3 = "কোভিডের পর এটাই তার প্রথম বিদেশ সফর। তবে কারা গেছেন, তা জানানো হয়নি।"


def run(body: list[str]) -> tuple[list[str], CleaningStats]:
    stats = CleaningStats()
    item = Article(url="u", canonical_url="u", title="t", body=body)
    return DuplicateLinesPipeline({}, stats).process_item(item).body, stats


def test_sentence_repeated_inside_paragraph_keeps_first() -> None:
    body, stats = run([f"{S1} {S1}", f"{S2} {S1} {S2}"])
    assert body == [S1, f"{S2} {S1}"]
    assert stats.get_value("newsbot/duplicates/sentence") == 2


def test_repeats_compare_by_key_not_by_bytes() -> None:
    # Different spacing, a ZWSP and "." instead of "।" are still the same sentence.
    variant = S1.replace("।", ".").replace(" ", "  ").replace("বৈঠক", "বৈ\u200bঠক")
    assert dedupe_sentences(f"{S1} {variant}") == (S1, 1)


def test_repeated_paragraphs_keep_first_occurrence() -> None:
    body, stats = run([P3, S2, P3, f"{S2}!", S1])
    assert body == [P3, S2, S1]
    assert stats.get_value("newsbot/duplicates/paragraph") == 2


def test_paragraph_that_becomes_a_repeat_after_sentence_removal() -> None:
    body, _ = run([S1, f"{S1} {S1}"])
    assert body == [S1]


def test_short_interjections_may_repeat() -> None:
    text = "‘না। না।’ বলে চিৎকার করে ওঠেন তিনি।"
    assert dedupe_sentences("না। না। তিনি রাজি হননি।") == ("না। না। তিনি রাজি হননি।", 0)
    body, stats = run([text])
    assert body == [text]
    assert stats.get_value("newsbot/duplicates/sentence") is None


def test_unchanged_text_is_returned_as_is() -> None:
    body, stats = run([P3, S1])
    assert body == [P3, S1]
    assert stats.get_stats() == {}
