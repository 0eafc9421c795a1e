"""Article extraction, separate from crawling.

The spider only routes responses here. Per page: guards (:mod:`.guard`), ONE parse, then the
outlet's profile extractor or the generic one (:mod:`.page`), reading each field in the order
profile → structured metadata → visible page; related links (:mod:`.related`) are recorded and
kept out of the body.

Public API::

    extract_article(response) -> Article          # Scrapy TextResponse; raises ExtractionError
    extract_html(html, url=None, encoding=None) -> Article
    ExtractionError(reason)                       # .reason: empty_page, binary_content, ...
    page_is_article(sel, url=None) -> bool

Extraction returns articles only and never imports :mod:`newsbot.cleaning`; the cleaned record
(``extract_record``) and main text (``main_text``) come from :mod:`newsbot.api`, which composes
the two.
"""

from __future__ import annotations

from newsbot.extract.api import extract_article, extract_html
from newsbot.extract.guard import REASONS, ExtractionError
from newsbot.extract.profiles import page_is_article

__all__ = [
    "REASONS",
    "ExtractionError",
    "extract_article",
    "extract_html",
    "page_is_article",
]
