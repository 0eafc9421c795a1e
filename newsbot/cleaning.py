"""Cleaning outside a crawl: the item pipelines of ``ITEM_PIPELINES``, in the same order, on one
article; and ``python -m newsbot clean FILE`` for a page saved as plain text or HTML.

``CLEANING_PIPELINES`` is the cleaning part of ``ITEM_PIPELINES`` (``newsbot.settings`` spreads it
in). Outside a crawl the learned template lines of ``NEWSBOT_TEMPLATES_PATH`` are used as they are
(nothing is learned or saved), so cleaning a page twice gives the same record.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import functools
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsbot import clock

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
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


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
        from scrapy.exceptions import DropItem

        from newsbot.drops import drop_reason, drop_stat
        from newsbot.items import record

        item = copy.deepcopy(article)
        reason = None
        for pipeline in self.pipelines:
            try:
                item = pipeline.process_item(item)
            except DropItem as exc:
                reason = drop_reason(exc)
                self.stats.inc_value(drop_stat(reason))
                break
        return record(item), reason

    def clean_body(self, article: Any) -> list[str]:
        """The cleaned body of ``article``, cleaned in place: no copy, no record (for a caller
        that wants only the text and drops the article). A dropped body is the body as it stood
        when it was dropped, as in :meth:`clean`."""
        from itemadapter import ItemAdapter
        from scrapy.exceptions import DropItem

        from newsbot.drops import drop_reason, drop_stat

        item = article
        for pipeline in self.pipelines:
            try:
                item = pipeline.process_item(item)
            except DropItem as exc:
                self.stats.inc_value(drop_stat(drop_reason(exc)))
                break
        return list(ItemAdapter(item).get("body") or [])

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


def _looks_like_html(path: Path, data: bytes) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body", b"<meta"))


def read_article(path: str | Path, url: str | None = None) -> Any:
    """The ``Article`` of a saved page: HTML goes to ``newsbot.extract.extract_html``, anything
    else is read as plain text (``newsbot.extract.plaintext``). Without ``url`` the file's own
    ``file://`` URI stands in. Raises ``OSError`` and ``ExtractionError``."""
    path = Path(path)
    data = path.read_bytes()
    page_url = url or path.resolve().as_uri()
    if _looks_like_html(path, data):
        from newsbot.extract import extract_html

        article = extract_html(data, page_url)
    else:
        from newsbot.extract.plaintext import read_plain_page

        article = read_plain_page(data.decode("utf-8-sig", errors="replace"), page_url)
    if not article.fetched_at:
        article.fetched_at = clock.now().isoformat()
    return article


def clean_file(path: str | Path, url: str | None = None, templates: bool = True) -> dict[str, Any]:
    """The cleaned record of a page saved as plain text or HTML, with ``dropped`` holding the drop
    reason (None when kept). A page the extractor rejects gives ``{"url", "dropped", "error"}``.
    ``templates=False`` ignores the learned template lines."""
    from newsbot.extract.guard import ExtractionError

    try:
        article = read_article(path, url)
    except ExtractionError as exc:
        return {"url": url or Path(path).resolve().as_uri(), "dropped": exc.reason,
                "error": str(exc)}
    settings: Mapping[str, Any] | None = None if templates else {"NEWSBOT_TEMPLATES_PATH": ""}
    record, reason = clean_article(article, settings)
    record["dropped"] = reason
    return record


def main(argv: list[str] | None = None) -> int:
    """``python -m newsbot clean FILE [--url URL]``: print the cleaned record as JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m newsbot clean",
        description="Clean a page saved as plain text or HTML and print the record as JSON "
                    "(with `dropped`: the drop reason, or null when the record is kept).",
    )
    parser.add_argument("file", help="the saved page (plain text or HTML)")
    parser.add_argument("--url", help="the page's URL (sets url, canonical_url and the outlet)")
    parser.add_argument("--no-templates", action="store_true",
                        help="ignore the template lines learned by earlier crawls")
    args = parser.parse_args(argv)
    try:
        record = clean_file(args.file, url=args.url, templates=not args.no_templates)
    except OSError as exc:
        print(f"clean: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # Bengali must reach a pipe as UTF-8 whatever the locale
        reconfigure(encoding="utf-8")
    sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
