"""Public extraction API: from a response or saved HTML to an :class:`~newsbot.items.Article`,
to the cleaned record the feed would hold, or to the cleaned main text."""

from __future__ import annotations

import logging
from typing import Any

from newsbot.cleaning import clean_article, clean_body
from newsbot.errors import ConfigError
from newsbot.extract.guard import ExtractionError
from newsbot.extract.page import extract_page
from newsbot.items import Article

log = logging.getLogger(__name__)


def extract_html(
    html: str | bytes,
    url: str | None = None,
    encoding: str | None = None,
    fetched_at: str | None = None,
    text_only: bool = False,
    misses: list[str] | None = None,
) -> Article:
    """The article of a page given as text or bytes (``encoding`` for bytes, else the page's
    own declaration, else UTF-8). Raises :class:`ExtractionError` and nothing else.

    Without ``url`` the page's own canonical URL (or ``og:url``) stands in for it; the outlet
    then comes from that URL or the page's site name, else it is None.
    ``text_only`` skips the fields that do not shape the body (for :func:`main_text`);
    ``misses`` receives the outlet profile's fields that matched nothing on the page."""
    try:
        return extract_page(
            html, url, encoding=encoding, fetched_at=fetched_at, text_only=text_only,
            misses=misses,
        )
    except (ExtractionError, ConfigError):
        raise
    except RecursionError:
        raise ExtractionError("too_deep", url) from None
    except MemoryError:
        raise ExtractionError("too_large", url) from None
    except Exception as exc:  # a bad page must never break a crawl
        log.exception("extraction failed for %s", url)
        raise ExtractionError("extract_failed", f"{url}: {type(exc).__name__}: {exc}") from None


def extract_article(response: Any, misses: list[str] | None = None) -> Article:
    """The article of a Scrapy ``TextResponse`` (no reactor needed). Raises ExtractionError.
    ``misses`` receives the outlet profile's fields that matched nothing on the page."""
    body = getattr(response, "body", b"")
    encoding = getattr(response, "encoding", None)
    if isinstance(body, (bytes, bytearray)) and body:
        return extract_html(bytes(body), response.url, encoding=encoding, misses=misses)
    return extract_html(getattr(response, "text", "") or "", response.url, misses=misses)


def clean(article: Article, *, text_only: bool = False) -> tuple[dict[str, Any], str | None]:
    """The record the cleaning pipelines make of ``article`` and their drop reason (or None).

    ``text_only`` lets the cleaner skip work that does not change the body (validation,
    language detection)."""
    return clean_article(article, text_only=text_only)


def extract_record(html: str | bytes, url: str | None = None,
                   encoding: str | None = None) -> dict[str, Any]:
    """The cleaned record of a page (``url`` optional, as for :func:`extract_html`); a record
    the pipelines would drop carries ``dropped``. Raises :class:`ExtractionError` when the
    page holds no article."""
    record, reason = clean(extract_html(html, url, encoding=encoding))
    record = dict(record)
    if reason:
        record["dropped"] = reason
    return record


def main_text(html: str, url: str | None = None) -> str:
    """The cleaned body text of a page, paragraphs joined by blank lines ('' when the page holds
    no article text; an unexpected error is logged at ERROR by :func:`extract_html`). ``url``
    is optional."""
    try:
        article = extract_html(html, url, text_only=True)
    except ExtractionError:
        return ""
    # the article is spent here: cleaned in place, no copy and no record
    return "\n\n".join(p for p in clean_body(article) if p)
