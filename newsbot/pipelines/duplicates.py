"""Duplicate lines: repeated paragraphs, and sentences repeated inside one paragraph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itemadapter import ItemAdapter
from scrapy.settings import BaseSettings

from newsbot import conf, default_settings, statskeys
from newsbot.pipelines.base import CountingPipeline
from newsbot.text import compare_key, line_key, split_sentences
from newsbot.vocabulary.lines import word_count


def dedupe_sentences(
    paragraph: str, min_words: int = default_settings.NEWSBOT_DUPLICATE_MIN_SENTENCE_WORDS
) -> tuple[str, int]:
    """``paragraph`` without sentences that repeat an earlier sentence of it (by
    ``compare_key``), and how many were removed. Unchanged text is returned as it was."""
    sentences = split_sentences(paragraph)
    if len(sentences) < 2:
        return paragraph, 0
    seen: set[str] = set()
    kept: list[str] = []
    for sentence in sentences:
        key = compare_key(sentence)
        if key in seen and word_count(sentence) >= min_words:
            continue
        seen.add(key)
        kept.append(sentence)
    removed = len(sentences) - len(kept)
    return (" ".join(kept), removed) if removed else (paragraph, 0)


class DuplicateLinesPipeline(CountingPipeline):
    """Keeps the first occurrence of every paragraph (compared by ``compare_key``) and of every
    sentence inside a paragraph (sentences of at least ``NEWSBOT_DUPLICATE_MIN_SENTENCE_WORDS``
    words, default 3).

    Stats: ``newsbot/duplicates/paragraph``, ``newsbot/duplicates/sentence`` (items removed).
    """

    stats_prefix = statskeys.DUPLICATES_PREFIX

    def __init__(self, settings: BaseSettings | Mapping[str, Any] | None = None, stats: Any = None):
        super().__init__(settings, stats)
        s = self.settings
        self.min_words = conf.getint(s, "NEWSBOT_DUPLICATE_MIN_SENTENCE_WORDS")

    def process_item(self, item: Any) -> Any:
        """Remove duplicate paragraphs and sentences from the body (in place); return the item."""
        adapter = ItemAdapter(item)
        seen: set[str] = set()
        kept: list[str] = []
        paragraphs = sentences = 0
        for paragraph in adapter.get("body") or []:
            paragraph, dropped = dedupe_sentences(paragraph, self.min_words)
            sentences += dropped
            key = line_key(paragraph)
            if key in seen:
                paragraphs += 1
                continue
            seen.add(key)
            kept.append(paragraph)
        self._inc("paragraph", paragraphs)
        self._inc("sentence", sentences)
        adapter["body"] = kept
        return item
