"""A threaded stdlib HTTP server answering for every sample-web host on 127.0.0.1.

The outlet is chosen by the ``Host`` header (or the host of an absolute-form request URI), so a
client that connects to 127.0.0.1 but sends ``Host: www.prothomalo.com`` sees Prothom Alo. Pages are
rendered once when the server starts.

Like a CDN, it sends an ``ETag`` (a hash of the body) with every page, a ``Last-Modified`` with
article pages, and answers a conditional GET whose ``If-None-Match`` (or, without one,
``If-Modified-Since``) still matches with ``304 Not Modified`` and no body.
"""

from __future__ import annotations

import hashlib
import re
import socketserver
import threading
import time
from collections.abc import Iterable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qsl, urlencode, urlsplit

from .model import SampleWeb, load
from .render import Page, build_pages, render_news_sitemap, render_not_found, route_key

_TRACKING = ("utm_", "fbclid", "gclid")


def etag_of(body: bytes) -> str:
    """A strong ETag for a response body."""
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def not_modified(headers: Mapping[str, str], etag: str | None,
                 modified: datetime | None) -> bool:
    """Whether a conditional GET with request ``headers`` (lower-case names) may be answered
    304: ``If-None-Match`` decides when present, else ``If-Modified-Since`` (RFC 9110 13.2.2)."""
    inm = headers.get("if-none-match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return etag is not None and ("*" in tags or etag in tags)
    ims = headers.get("if-modified-since")
    if ims and modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and modified.replace(microsecond=0) <= since
    return False
_DATE_RE = r"(\d{4}-\d{2}-\d{2})"


class SampleWebServer(ThreadingHTTPServer):
    """The sample web on ``127.0.0.1:<port>``; use as a context manager or call ``close()``."""

    daemon_threads = True

    def __init__(self, port: int = 0, redesigned: Iterable[str] = (),
                 web: SampleWeb | None = None, delay: float = 0.0,
                 crawl_delay: float | None = None):
        self.web = web or load()
        unknown = set(redesigned) - set(self.web.sites)
        if unknown:
            raise ValueError(f"unknown outlet(s) to redesign: {sorted(unknown)}")
        self.redesigned = frozenset(redesigned)
        self.pages: dict[str, Page] = build_pages(self.web, self.redesigned)
        #: Seconds every answer waits (imitates the network), and a robots.txt Crawl-delay.
        self.delay = delay
        if crawl_delay is not None:
            self._add_crawl_delay(crawl_delay)
        self._dated: list[tuple[re.Pattern[str], str]] = []
        for site in self.web.sites.values():
            for feed in site.feeds:
                if "{YYYY-MM-DD}" in feed.url:
                    parts = urlsplit(feed.url)
                    pattern = re.escape(route_key(parts.hostname or "", parts.path))
                    pattern = pattern.replace(re.escape("{YYYY-MM-DD}"), _DATE_RE)
                    self._dated.append((re.compile(pattern + r"(\?.*)?$"), site.id))
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        #: Every request answered, as (host, path and query, User-Agent), in arrival order.
        self.access_log: list[tuple[str, str, str]] = []
        #: Every request as (host, path and query, arrival, end of answer), times from
        #: ``time.monotonic()``.
        self.access_times: list[tuple[str, str, float, float]] = []
        super().__init__(("127.0.0.1", port), _Handler)

    def _add_crawl_delay(self, seconds: float) -> None:
        for key, page in list(self.pages.items()):
            if key.endswith("/robots.txt"):
                body = page.body.decode("utf-8").replace(
                    "User-agent: *\n", f"User-agent: *\nCrawl-delay: {seconds:g}\n", 1)
                self.pages[key] = Page(page.status, body.encode("utf-8"), page.headers)

    def server_bind(self) -> None:
        """Bind without the reverse DNS look-up ``HTTPServer.server_bind`` does."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", int(self.server_address[1])

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        return int(self.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` — the value for the ``NEWSBOT_SAMPLE_WEB`` setting."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SampleWebServer:
        """Serve in a background thread and return self."""
        self._thread = threading.Thread(target=self.serve_forever, name="sampleweb", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.server_close()

    def __enter__(self) -> SampleWebServer:
        if self._thread is None:
            self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def lookup(self, host: str, target: str) -> Page:
        """The page for ``host`` and request target ``path?query`` (a 404 page when unknown)."""
        host = host.lower().split(":")[0].rstrip(".")
        parts = urlsplit(target)
        path = parts.path or "/"
        query = parts.query
        candidates = [(path, query)]
        kept = urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
                          if not k.lower().startswith(_TRACKING)])
        if kept != query:
            candidates.append((path, kept))
        if len(path) > 1 and path.endswith("/"):
            candidates += [(path.rstrip("/"), q) for _, q in list(candidates)]
        for p, q in candidates:
            page = self.pages.get(route_key(host, p + (f"?{q}" if q else "")))
            if page is not None:
                return page
        key = route_key(host, path + (f"?{query}" if query else ""))
        for pattern, outlet in self._dated:
            match = pattern.match(key)
            if match:
                return self._dated_sitemap(outlet, match.group(1), key)
        return Page(404, render_not_found(self.web, host).encode("utf-8"),
                    {"Content-Type": "text/html; charset=utf-8"})

    def _dated_sitemap(self, outlet: str, day: str, key: str) -> Page:
        with self._lock:
            page = self.pages.get(key)
            if page is None:
                body = render_news_sitemap(self.web, self.web.sites[outlet], day)
                page = Page(200, body.encode("utf-8"),
                            {"Content-Type": "application/xml; charset=utf-8"})
                self.pages[key] = page
        return page


class _Handler(BaseHTTPRequestHandler):
    server: SampleWebServer
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        """The Server header."""
        return "nginx"

    def _page(self) -> Page:
        target = self.path
        host = self.headers.get("Host", "")
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            host = parts.netloc
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        self.server.access_log.append((host, target, self.headers.get("User-Agent", "")))
        return self.server.lookup(host, target)

    def _send(self, with_body: bool) -> None:
        arrived = time.monotonic()
        page = self._page()
        if self.server.delay:
            time.sleep(self.server.delay)
        headers = dict(page.headers)
        status = page.status
        if status == 200:
            headers["ETag"] = etag_of(page.body)
            modified = headers.get("Last-Modified")
            request = {k.lower(): v for k, v in self.headers.items()}
            if not_modified(request, headers["ETag"],
                            parsedate_to_datetime(modified) if modified else None):
                status = 304
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if status == 304:
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)
        host, target = self._target()
        self.server.access_times.append((host, target, arrived, time.monotonic()))

    def _target(self) -> tuple[str, str]:
        if self.path.startswith(("http://", "https://")):
            parts = urlsplit(self.path)
            return parts.netloc, parts.path + (f"?{parts.query}" if parts.query else "")
        return self.headers.get("Host", ""), self.path

    def do_GET(self) -> None:
        """Answer GET."""
        self._send(True)

    def do_HEAD(self) -> None:
        """Answer HEAD."""
        self._send(False)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet (tests and crawls would drown in access lines)."""


def serve(port: int = 0, redesigned: Iterable[str] = (),
          web: SampleWeb | None = None, delay: float = 0.0,
          crawl_delay: float | None = None) -> SampleWebServer:
    """Start the sample web in a background thread on 127.0.0.1 (port 0 = a free port);
    ``delay`` seconds before every answer, ``crawl_delay`` added to every robots.txt."""
    return SampleWebServer(port, redesigned, web, delay, crawl_delay).start()
