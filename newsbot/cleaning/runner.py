"""The runner: the cleaning item pipelines of ``ITEM_PIPELINES``, in the same order, on one
article outside a crawl.

``CLEANING_PIPELINES`` is the cleaning part of ``ITEM_PIPELINES`` (``newsbot.settings`` spreads it
in). Outside a crawl the learned template lines of ``NEWSBOT_TEMPLATES_PATH`` are used as they are
(nothing is learned or saved), so cleaning a page twice gives the same record.
"""

from __future__ import annotations

import contextlib
import copy
import functools
from typing import Any

# Module path -> priority; lower runs first. Validation comes before language detection so that
# langdetect (the costly step) never runs on an item that is dropped anyway.
CLEANING_PIPELINES: dict[str, int] = {
    "newsbot.pipelines.canonical.CanonicalPipeline": 280,
    "newsbot.pipelines.source.SourceFingerprintPipeline": 290,
    "newsbot.pipelines.titles.TitleSiteNamePipeline": 295,
    "newsbot.pipelines.normalise.NormalisePipeline": 300,
    "newsbot.pipelines.boilerplate.BoilerplatePipeline": 310,
    "newsbot.pipelines.duplicates.DuplicateLinesPipeline": 320,
    "newsbot.pipelines.related_outlets.RelatedOutletsPipeline": 330,
    "newsbot.pipelines.validate.ValidatePipeline": 340,
    "newsbot.pipelines.language.LanguagePipeline": 350,
}
# The pipelines that change the body text (``text_only`` runs only these).
TEXT_PIPELINES = frozenset({
    "newsbot.pipelines.normalise.NormalisePipeline",
    "newsbot.pipelines.boilerplate.BoilerplatePipeline",
    "newsbot.pipelines.duplicates.DuplicateLinesPipeline",
})


class CleaningStats:
    """The part of Scrapy's stats collector the pipelines use, in a plain dict."""

    def __init__(self) -> None:
        self._stats: dict[str, Any] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self._stats[key] = self._stats.get(key, start) + count

    def set_value(self, key: str, value: Any) -> None:
        self._stats[key] = value

    def get_value(self, key: str, default: Any = None) -> Any:
        return self._stats.get(key, default)

    def max_value(self, key: str, value: Any) -> None:
        self._stats[key] = max(self._stats.get(key, value), value)

    def min_value(self, key: str, value: Any) -> None:
        self._stats[key] = min(self._stats.get(key, value), value)

    def get_stats(self) -> dict[str, Any]:
        return dict(self._stats)


def cleaning_settings(overrides: Any = None) -> Any:
    """The project settings (``newsbot.settings`` when importable) for cleaning outside a crawl:
    learned templates read but not updated; ``overrides`` (a dict or Settings) win."""
    from scrapy.settings import BaseSettings, Settings

    settings = Settings()
    with contextlib.suppress(ImportError):
        settings.setmodule("newsbot.settings", priority="project")
    settings.set("NEWSBOT_TEMPLATES_LEARN", False, priority="project")
    if isinstance(overrides, BaseSettings):
        for name, value in overrides.items():
            settings.set(name, value, priority=max(overrides.getpriority(name) or 0, 40))
    elif overrides:
        settings.setdict(dict(overrides), priority="cmdline")
    return settings


def pipeline_order(settings: Any = None) -> list[str]:
    """The cleaning pipelines in the order ``ITEM_PIPELINES`` runs them (only those that are also
    in ``CLEANING_PIPELINES``); ``CLEANING_PIPELINES``' own order when settings name none."""
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import load_object

    if settings is None:
        settings = cleaning_settings()
    ours = {load_object(path): path for path in CLEANING_PIPELINES}
    order: list[str] = []
    for component in build_component_list(settings.getwithbase("ITEM_PIPELINES")):
        cls = load_object(component) if isinstance(component, str) else component
        if cls in ours and ours[cls] not in order:
            order.append(ours[cls])
    return order or sorted(CLEANING_PIPELINES, key=CLEANING_PIPELINES.__getitem__)


class Cleaner:
    """The cleaning pipelines, built once, run on one article after another."""

    def __init__(self, settings: Any = None, stats: Any = None, text_only: bool = False):
        from scrapy.utils.misc import load_object

        self.settings = cleaning_settings(settings)
        self.stats = stats if stats is not None else CleaningStats()
        self.names = [p for p in pipeline_order(self.settings)
                      if not text_only or p in TEXT_PIPELINES]
        self.pipelines = [load_object(p)(self.settings, self.stats) for p in self.names]

    def clean(self, article: Any) -> tuple[dict[str, Any], str | None]:
        """The cleaned record of ``article`` (not modified) and the drop reason (None: kept).
        A dropped record is returned as it stood when it was dropped."""
        from newsbot.items import record

        item, reason = self._run(copy.deepcopy(article))
        return record(item), reason

    def clean_body(self, article: Any) -> list[str]:
        """The cleaned body of ``article``, cleaned in place: no copy, no record (for a caller
        that wants only the text and drops the article). A dropped body is the body as it stood
        when it was dropped, as in :meth:`clean`."""
        from itemadapter import ItemAdapter

        item, _ = self._run(article)
        return list(ItemAdapter(item).get("body") or [])

    def _run(self, item: Any) -> tuple[Any, str | None]:
        """The pipelines over ``item`` until one drops it (the drop counted): the item as it
        then stands and the drop reason (None: kept)."""
        from scrapy.exceptions import DropItem

        from newsbot import statskeys
        from newsbot.drops import drop_reason

        for pipeline in self.pipelines:
            try:
                item = pipeline.process_item(item)
            except DropItem as exc:
                reason = drop_reason(exc)
                self.stats.inc_value(statskeys.drop(reason))
                return item, reason
        return item, None

    def close(self) -> None:
        """Let the pipelines finish (save what they learned, when learning is on)."""
        for pipeline in self.pipelines:
            close = getattr(pipeline, "close_spider", None)
            if close is not None:
                close()


@functools.cache
def _default_cleaner(text_only: bool) -> Cleaner:
    return Cleaner(text_only=text_only)


def clean_article(article: Any, settings: Any = None, stats: Any = None,
                  text_only: bool = False) -> tuple[dict[str, Any], str | None]:
    """Run the cleaning pipelines on ``article`` (an ``Article`` or a dict; not modified).

    Returns the cleaned record as a dict and the drop reason (None when the article is kept; a
    dropped record is still returned). ``settings`` (dict or Settings) override the project
    settings; ``stats`` receives the pipelines' counters. ``text_only`` runs only the pipelines
    that change the body (no validation, no language detection).
    """
    if settings is None and stats is None:
        return _default_cleaner(text_only).clean(article)
    cleaner = Cleaner(settings, stats, text_only=text_only)
    try:
        return cleaner.clean(article)
    finally:
        cleaner.close()


def clean_body(article: Any) -> list[str]:
    """The body of ``article`` after the pipelines that change it (as ``clean_article(article,
    text_only=True)`` gives it), cleaned in place: ``article`` is spent."""
    return _default_cleaner(True).clean_body(article)
