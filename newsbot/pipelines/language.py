"""Language: which language an article is in; articles in other languages are dropped."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from itemadapter import ItemAdapter
from scrapy.settings import BaseSettings

from newsbot.drops import Drop
from newsbot.pipelines.base import CountingPipeline
from newsbot.text import script_share

UNKNOWN = "unknown"
DEFAULT_LANGUAGES = ("bn",)
# Share of letters in Bengali script from which a text is Bengali without asking langdetect.
DEFAULT_SCRIPT_SHARE = 0.6
# langdetect reads at most this many characters (its cost grows with the text).
DEFAULT_MAX_CHARS = 1000


@functools.cache
def _detector() -> Callable[[str], list[Any]]:
    """langdetect's ``detect_langs``, seeded so the same text always gets the same answer."""
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0
    return detect_langs


def detect_language(text: str, min_share: float = DEFAULT_SCRIPT_SHARE,
                    max_chars: int = DEFAULT_MAX_CHARS) -> tuple[str, float, str]:
    """``(language, confidence, method)`` of ``text``.

    Text whose letters are at least ``min_share`` Bengali is ``bn`` with the share as its
    confidence (method ``script``); other text goes to langdetect, seeded, reading at most
    ``max_chars`` characters (method ``langdetect``). Text without letters, or that langdetect
    cannot read, is ``unknown`` with confidence 0.0 (method ``none``); nothing raises.
    """
    letters, share = script_share(text)
    if letters == 0:
        return UNKNOWN, 0.0, "none"
    if share >= min_share:
        return "bn", round(share, 4), "script"
    from langdetect.lang_detect_exception import LangDetectException

    sample = text[:max_chars] if max_chars > 0 else text
    try:
        best = _detector()(sample)[0]
    except (LangDetectException, IndexError):
        return UNKNOWN, 0.0, "none"
    return str(best.lang), round(float(best.prob), 4), "langdetect"


class LanguagePipeline(CountingPipeline):
    """Sets ``language`` and ``language_confidence`` from the cleaned title and body, and drops
    articles whose language is not in ``NEWSBOT_LANGUAGES`` (default ``["bn"]``) with reason
    ``language:<code>`` (``language:unknown`` for text without letters).

    Settings: ``NEWSBOT_LANGUAGES``, ``NEWSBOT_LANGUAGE_SCRIPT_SHARE`` (0.6: Bengali share of
    letters from which langdetect is not asked), ``NEWSBOT_LANGDETECT_MAX_CHARS`` (1000).

    Stats: ``newsbot/language/method/script|langdetect|none``, ``newsbot/language/detected/<code>``,
    ``newsbot/language/rejected``.
    """

    stats_prefix = "newsbot/language/"

    def __init__(self, settings: BaseSettings | Mapping[str, Any] | None = None, stats: Any = None):
        super().__init__(settings, stats)
        s = self.settings
        self.languages = set(s.getlist("NEWSBOT_LANGUAGES", list(DEFAULT_LANGUAGES)))
        self.script_share = s.getfloat("NEWSBOT_LANGUAGE_SCRIPT_SHARE", DEFAULT_SCRIPT_SHARE)
        self.max_chars = s.getint("NEWSBOT_LANGDETECT_MAX_CHARS", DEFAULT_MAX_CHARS)

    def process_item(self, item: Any) -> Any:
        """Set the language fields; raise ``Drop("language:<code>")`` for other languages."""
        adapter = ItemAdapter(item)
        text = "\n".join([adapter.get("title") or "", *(adapter.get("body") or [])])
        language, confidence, method = detect_language(text, self.script_share, self.max_chars)
        adapter["language"] = language
        adapter["language_confidence"] = confidence
        self._inc(f"method/{method}")
        self._inc(f"detected/{language}")
        if language not in self.languages:
            self._inc("rejected")
            raise Drop(f"language:{language}", f"confidence {confidence}")
        return item
