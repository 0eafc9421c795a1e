"""Cleaning: what turns an extracted article into the record the feed holds.

* :mod:`.runner` — the cleaning item pipelines (``CLEANING_PIPELINES``, spread into
  ``ITEM_PIPELINES`` by ``newsbot.settings``) run on one article outside a crawl;
* :mod:`.phrases` — the boilerplate pass over a body: phrase rules, the article's own fields,
  section markers and also-read blocks (used by ``newsbot.pipelines.boilerplate``);
* :mod:`.templates` — template lines learned per outlet and kept between runs;
* :mod:`.command` — ``python -m newsbot clean FILE``.

The phrase rules and the line classifier are vocabulary (:mod:`newsbot.vocabulary`), shared with
extraction. Extraction never imports cleaning; :mod:`newsbot.api` composes the two.
"""

from __future__ import annotations

from newsbot.cleaning.runner import (
    CLEANING_PIPELINES,
    TEXT_PIPELINES,
    Cleaner,
    CleaningStats,
    clean_article,
    clean_body,
    cleaning_settings,
    pipeline_order,
)

__all__ = [
    "CLEANING_PIPELINES",
    "TEXT_PIPELINES",
    "Cleaner",
    "CleaningStats",
    "clean_article",
    "clean_body",
    "cleaning_settings",
    "pipeline_order",
]
