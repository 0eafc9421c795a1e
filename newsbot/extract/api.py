"""Public extraction API: from a response or saved HTML to an :class:`~newsbot.items.Article`.
Extraction returns articles only; the cleaned record and main text are :mod:`newsbot.api`'s."""

from __future__ import annotations

import logging
from typing import Any

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
    ``text_only`` skips the fields that do not shape the body (for :func:`newsbot.api.main_text`);
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
