"""Language: which language an article is in; articles in other languages are dropped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itemadapter import ItemAdapter
from scrapy.settings import BaseSettings

from newsbot import conf, statskeys
from newsbot.drops import Drop
from newsbot.language import identify
from newsbot.pipelines.base import CountingPipeline

DEFAULT_LANGUAGES = ("bn",)


class LanguagePipeline(CountingPipeline):
    """Sets ``language``, ``language_confidence`` and ``language_method`` from the cleaned title
    and body (``newsbot.language.identify``), and drops articles whose language is not in
    ``NEWSBOT_LANGUAGES`` (default ``["bn"]``) with reason ``language:<code>`` and the evidence
    as detail (``language:unknown`` for text without letters).

    Settings: ``NEWSBOT_LANGUAGES``, ``NEWSBOT_LANGUAGE_SCRIPT_SHARE`` (0.6: Bengali share of
    letters from which text is told apart among the Bengali-script languages rather than by
    langdetect), ``NEWSBOT_LANGDETECT_MAX_CHARS`` (1000).

    Stats: ``newsbot/language/method/<method>``, ``newsbot/language/detected/<code>``,
    ``newsbot/language/rejected``.
    """

    stats_prefix = statskeys.LANGUAGE_PREFIX

    def __init__(self, settings: BaseSettings | Mapping[str, Any] | None = None, stats: Any = None):
        super().__init__(settings, stats)
        s = self.settings
        self.languages = set(conf.getlist(s, "NEWSBOT_LANGUAGES"))
        self.script_share = conf.getfloat(s, "NEWSBOT_LANGUAGE_SCRIPT_SHARE")
        self.max_chars = conf.getint(s, "NEWSBOT_LANGDETECT_MAX_CHARS")

    def process_item(self, item: Any) -> Any:
        """Set the language fields; raise ``Drop("language:<code>")`` for other languages."""
        adapter = ItemAdapter(item)
        text = "\n".join([adapter.get("title") or "", *(adapter.get("body") or [])])
        verdict = identify(text, self.max_chars, self.script_share)
        adapter["language"] = verdict.code
        adapter["language_confidence"] = verdict.confidence
        adapter["language_method"] = verdict.method
        self._inc(f"method/{verdict.method}")
        self._inc(f"detected/{verdict.code}")
        if verdict.code not in self.languages:
            self._inc("rejected")
            raise Drop(f"language:{verdict.code}", verdict.describe())
        return item
