"""From an archived capture to an article, the way the spider turns a response into one.

The capture becomes a Scrapy response (the response class chosen from its headers and bytes, as
the downloader does), then goes through the same checks and :func:`newsbot.extract.extract_article`
as in ``bn_world``. Anything that does not become an article raises :class:`CaptureDrop` with a
reason.
"""

from __future__ import annotations

import re

from scrapy.http import Headers, Response, TextResponse
from scrapy.responsetypes import responsetypes

from newsbot.archive.records import Capture
from newsbot.discovery import is_xml_response
from newsbot.extract import ExtractionError, extract_article
from newsbot.items import Article
from newsbot.registry import Registry, load_registry

#: Request kinds of the live spider (``Newsbot-Kind``) that are not article pages.
ARTICLE_KIND = "article"
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)", re.I)
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.I | re.S)
#: How much of a page the language check reads before extraction.
LANGUAGE_SAMPLE_CHARS = 20_000


class CaptureDrop(Exception):
    """An archived response that does not become an article; ``reason`` as in drop reasons."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _fixed_headers(capture: Capture) -> list[tuple[str, str]]:
    """The headers, with a declared charset that contradicts the bytes replaced by UTF-8.

    Archived pages often declare a single-byte charset while serving UTF-8; bytes that decode as
    UTF-8 (and are not plain ASCII) are UTF-8 far more often than they are Latin-1."""
    headers = list(capture.headers)
    for i, (name, value) in enumerate(headers):
        if name.lower() != "content-type":
            continue
        match = _CHARSET.search(value)
        if not match or match.group(1).lower().replace("_", "-") in ("utf-8", "utf8"):
            continue
        body = capture.body
        if body.isascii():
            continue
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            continue
        headers[i] = (name, value[: match.start(1)] + "utf-8" + value[match.end(1):])
    return headers


def response_of(capture: Capture) -> Response:
    """The Scrapy response the downloader would have produced for the capture."""
    headers = Headers(_fixed_headers(capture))
    cls = responsetypes.from_args(headers=headers, url=capture.url, body=capture.body)
    return cls(url=capture.url, status=capture.status, headers=headers, body=capture.body)


def bengali_page(response: TextResponse) -> bool:
    """Whether a page's visible text is Bengali by the project's language check (the one place
    archive code asks it)."""
    from newsbot.language import identify

    text = _TAGS.sub(" ", response.text[: LANGUAGE_SAMPLE_CHARS * 3])[:LANGUAGE_SAMPLE_CHARS]
    return identify(text).code == "bn"


def article_of(
    capture: Capture, *, registry: Registry | None = None, all_bengali: bool = False
) -> Article:
    """The article in ``capture``; raises :class:`CaptureDrop` (reason as in the live crawl where
    there is one: ``http_<status>``, ``not_text``, ``not_article``, extraction reasons; plus
    ``foreign_host`` for a host of no registered outlet)."""
    registry = registry or load_registry()
    outlet = registry.by_url(capture.url)
    if outlet is None and not all_bengali:
        raise CaptureDrop("foreign_host", capture.url)
    if capture.kind and capture.kind != ARTICLE_KIND:
        raise CaptureDrop("not_article", f"archived {capture.kind} page")
    if not 200 <= capture.status < 300:
        raise CaptureDrop(f"http_{capture.status}")
    response = response_of(capture)
    if not isinstance(response, TextResponse):
        raise CaptureDrop("not_text", capture.content_type)
    if is_xml_response(response):
        raise CaptureDrop("not_article", "feed or sitemap")
    if outlet is None and not bengali_page(response):
        raise CaptureDrop("foreign_host", f"{capture.url} (not Bengali)")
    try:
        article = extract_article(response)
    except ExtractionError as exc:
        raise CaptureDrop(exc.reason, exc.detail) from None
    if capture.date is not None:
        article.fetched_at = capture.date.isoformat()
    return article
