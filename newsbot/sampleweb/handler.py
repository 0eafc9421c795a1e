"""Scrapy download handler that sends every http/https request to the local sample web.

Enable it with::

    DOWNLOAD_HANDLERS = {
        "http": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
        "https": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
    }
    NEWSBOT_SAMPLE_WEB = "http://127.0.0.1:8123"   # e.g. serve().base_url

With ``NEWSBOT_SAMPLE_WEB`` set, a request for ``https://www.prothomalo.com/world?page=2`` is
fetched from ``http://127.0.0.1:8123/world?page=2`` with ``Host: www.prothomalo.com``, and the
response comes back under the original URL; redirects carry absolute outlet URLs, so robots.txt,
the redirect middleware and the offsite checks behave as in production. With the setting empty the
handler is exactly Scrapy's stock HTTP/1.1 handler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

SETTING = "NEWSBOT_SAMPLE_WEB"


def rewrite_url(url: str, sample_web: str) -> tuple[str, str]:
    """Map an outlet URL to ``(URL on the sample-web server, Host header value)``.

    The path and query are kept byte for byte; the fragment is dropped (it is never sent).
    """
    parts = urlsplit(url)
    base = sample_web.rstrip("/")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return base + target, parts.netloc


class SampleWebDownloadHandler(HTTP11DownloadHandler):
    """``HTTP11DownloadHandler`` that, when ``NEWSBOT_SAMPLE_WEB`` is set, serves from it."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.sample_web: str = (crawler.settings.get(SETTING) or "").strip()

    async def download_request(self, request: Request) -> Response:
        """Download ``request`` (from the sample web when configured)."""
        if not self.sample_web:
            return await super().download_request(request)
        local_url, host = rewrite_url(request.url, self.sample_web)
        meta = {k: v for k, v in request.meta.items() if k not in {"proxy", "_auth_proxy"}}
        local = request.replace(url=local_url, meta=meta)
        local.headers["Host"] = host
        local.headers.pop(b"Proxy-Authorization", None)
        response = await super().download_request(local)
        return response.replace(url=request.url)
