"""Article extraction, separate from crawling.

The spider only routes responses here. Per page: guards (:mod:`.guard`), ONE parse, then the
outlet's profile extractor or the generic one (:mod:`.page`), reading each field in the order
profile → structured metadata → visible page; related links (:mod:`.related`) are recorded and
kept out of the body.

Public API::

    extract_article(response) -> Article          # Scrapy TextResponse; raises ExtractionError
    extract_html(html, url=None, encoding=None) -> Article
    extract_record(html, url=None) -> dict        # cleaned as the feed holds it (+ "dropped")
    main_text(html, url=None) -> str              # cleaned body, paragraphs joined by blank lines
    ExtractionError(reason)                       # .reason: empty_page, binary_content, ...
    page_is_article(sel, url=None) -> bool
"""

from __future__ import annotations

from newsbot.extract.api import clean, extract_article, extract_html, extract_record, main_text
from newsbot.extract.guard import REASONS, ExtractionError
from newsbot.extract.profiles import page_is_article

__all__ = [
    "REASONS",
    "ExtractionError",
    "clean",
    "extract_article",
    "extract_html",
    "extract_record",
    "main_text",
    "page_is_article",
]
