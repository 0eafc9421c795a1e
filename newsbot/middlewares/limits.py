"""Responses that would otherwise vanish become drops with a reason.

Scrapy answers a decompression bomb (a body that grows past ``DOWNLOAD_MAXSIZE`` while it is
decompressed) and a redirect loop with a bare ``IgnoreRequest``, which a spider cannot tell from
a robots.txt refusal, and a redirect back to a URL already fetched is silently filtered as a
duplicate. These downloader middlewares raise :class:`ResponseDropped` subclasses instead; the
spider's errback reports them as drops (``too_large``, ``redirect_loop``).

``DOWNLOADER_MIDDLEWARES``: :class:`SizeLimitedCompressionMiddleware` replaces Scrapy's
``HttpCompressionMiddleware`` (same place, 590); :class:`RedirectLoopMiddleware` sits at 650,
so it sees a redirect before Scrapy's ``RedirectMiddleware`` (600) follows it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from w3lib.url import safe_url_string

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class ResponseDropped(IgnoreRequest):
    """A response that is not passed on; ``drop_reason`` names the drop."""

    drop_reason = "dropped"


class TooLarge(ResponseDropped):
    """The body is larger than ``DOWNLOAD_MAXSIZE`` (after decompression)."""

    drop_reason = "too_large"


class RedirectLoop(ResponseDropped):
    """The page redirects back to a URL of its own redirect chain, or redirects too often."""

    drop_reason = "redirect_loop"


class SizeLimitedCompressionMiddleware(HttpCompressionMiddleware):
    """Scrapy's decompression, its size limit reported as :class:`TooLarge`."""

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as exc:  # only raised for the size limit
            raise TooLarge(str(exc)) from exc


class RedirectLoopMiddleware:
    """Stops a redirect to a URL already in the request's redirect chain, or beyond
    ``REDIRECT_MAX_TIMES`` redirects, with :class:`RedirectLoop`."""

    def __init__(self, max_times: int):
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectLoopMiddleware:
        """Build it with the crawler's ``REDIRECT_MAX_TIMES``."""
        return cls(crawler.settings.getint("REDIRECT_MAX_TIMES", 20))

    def process_response(self, request: Request, response: Response) -> Response:
        """Pass the response on unless it closes a redirect loop."""
        location = response.headers.get(b"Location")
        if (
            response.status not in REDIRECT_STATUSES
            or not location
            or request.meta.get("dont_redirect")
        ):
            return response
        target = urldefrag(urljoin(request.url, safe_url_string(location.decode("latin-1"))))[0]
        chain = [urldefrag(u)[0] for u in [*request.meta.get("redirect_urls", []), request.url]]
        if target in chain:
            raise RedirectLoop(f"redirects back to {target} after {len(chain)} hop(s)")
        if len(chain) > self.max_times:
            raise RedirectLoop(f"more than {self.max_times} redirects (last to {target})")
        return response
