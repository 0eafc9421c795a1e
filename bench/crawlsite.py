"""A generated news site for the crawl benchmark, served on 127.0.0.1.

``BenchSite(n)`` answers for two outlets, each with ``n`` distinct article pages of about 60 KB:

* **prothomalo** — rendered with the bundled sample web's Prothom Alo templates, so its outlet
  profile reads every field;
* **samakal** — an outlet of the registry without a profile, rendered with the sample web's
  "redesigned" templates (no JSON-LD, no OpenGraph), so only the generic extractor can read it.

Each outlet has ``robots.txt``, a world-section listing (``/world?page=N``, 20 links a page),
and a sitemap index (``/bench/news-sitemap.xml``) of news sitemaps of 1,000 articles each.
Article bodies are drawn from the sample web's Bengali paragraphs plus a sentence of their own;
every page carries related blocks, a trending list, the outlet's promo (template) line, a mega
menu, card grids, ad slots, footer link lists and an inline script, like a real news page.
Published times are spread over the last ``max_age_hours`` (default 40 h, inside the refetch
window).

Conditional requests are answered like a CDN: every article has an ``ETag`` and a
``Last-Modified``; ``If-None-Match`` (or, without it, ``If-Modified-Since``) that still matches
gets ``304 Not Modified`` without a body. :meth:`BenchSite.edit` changes an article (new body
sentence, new ETag, new Last-Modified). ``hits`` counts answers by kind.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from newsbot import clock
from newsbot.sampleweb.model import Article, SampleWeb, Site, load, stable_id
from newsbot.sampleweb.render import render_article, render_listing
from newsbot.sampleweb.server import etag_of, not_modified

PROFILED, UNPROFILED = "prothomalo", "samakal"
OUTLETS = (PROFILED, UNPROFILED)
SITEMAP_PATH = "/bench/news-sitemap.xml"
PER_SITEMAP = 1000
PER_LISTING = 20
TARGET_BYTES = 60_000
_HOSTS = {PROFILED: "www.prothomalo.com", UNPROFILED: "www.samakal.com"}


def _web() -> SampleWeb:
    """The sample web plus a ``samakal`` site (Kaler Kantho's settings, its own host)."""
    base = load()
    model = base.sites["kalerkantho"]
    samakal = dataclasses.replace(
        model,
        id=UNPROFILED,
        name_bn="সমকাল",
        hosts=(_HOSTS[UNPROFILED],),
        listing=f"https://{_HOSTS[UNPROFILED]}/world",
        page_url=f"https://{_HOSTS[UNPROFILED]}/world?page={{n}}",
        article_url={"bn": f"https://{_HOSTS[UNPROFILED]}/international/article/{{id}}/{{slug}}"},
        id_style="digits:7",
        feeds=(),
        promo="সমকালের সব খবর পেতে আমাদের ফেসবুক পেজে লাইক দিন এবং ইউটিউব চ্যানেল সাবস্ক্রাইব করুন।",
        promo_after=2,
    )
    return dataclasses.replace(base, sites={**base.sites, UNPROFILED: samakal})


def _padding(site: Site, seed: int) -> str:
    """Site furniture as real news pages carry it: a mega menu, card grids of other stories,
    ad slots, a footer of link lists and an inline application-state script."""
    host = site.hosts[0]
    menu = "\n".join(
        f'<li class="menu-item has-children"><a href="https://{host}/section/{k}">বিভাগ {k}</a>'
        f'<ul class="sub-menu"><li><a href="https://{host}/section/{k}/a">উপবিভাগ ক</a></li>'
        f'<li><a href="https://{host}/section/{k}/b">উপবিভাগ খ</a></li></ul></li>'
        for k in range(24)
    )
    cards = "\n".join(
        f'<div class="card story-card"><a class="card-link" href="https://{host}/topic/{seed}-{k}">'
        f'<div class="card-image"><img src="https://{host}/media/thumb/{seed}-{k}.jpg" alt="">'
        f'</div><div class="card-body"><h3 class="card-title">দিনের আলোচিত খবর {k}</h3>'
        f'<span class="card-time">{k} ঘণ্টা আগে</span></div></a></div>'
        for k in range(24)
    )
    ads = "\n".join(
        f'<div class="ad-slot" id="div-gpt-ad-{k}"><div class="ad-inner">'
        f'<span class="ad-label">বিজ্ঞাপন</span><iframe src="about:blank" title="ad"></iframe>'
        f"</div></div>"
        for k in range(6)
    )
    footer = "\n".join(
        '<ul class="footer-links">'
        + "".join(f'<li><a href="https://{host}/page/{k}-{j}">পাতা {j}</a></li>' for j in range(8))
        + "</ul>"
        for k in range(5)
    )
    config = {"host": host, "build": f"{seed:08x}", "ads": [f"slot-{k}" for k in range(30)]}
    state = {"config": config,
             "menu": [{"id": k, "title": f"বিভাগ {k}", "url": f"/section/{k}"} for k in range(40)]}
    script = html.escape(json.dumps(state, ensure_ascii=False), False)
    return (
        f'<nav class="mega-menu"><ul class="menu">{menu}</ul></nav>\n'
        f'<section class="more-stories"><div class="card-grid">{cards}</div></section>\n'
        f'<aside class="ads">{ads}</aside>\n<div class="site-footer-links">{footer}</div>\n'
        f'<script id="app-state" type="application/json">{script}</script>\n'
    )


class BenchSite:
    """``n`` generated articles for each of :data:`OUTLETS` (see the module docstring)."""

    def __init__(self, n: int, max_age_hours: float = 40.0, seed: str = "bench",
                 cache: bool = True):
        self.n = n
        self._cache: dict[tuple[str, int, int], bytes] | None = {} if cache else None
        self.seed = seed
        self.web = _web()
        self.now = clock.now().astimezone(UTC).replace(microsecond=0)
        self.max_age = timedelta(hours=max_age_hours)
        paragraphs = [p for a in self.web.articles.values() if a.lang == "bn" for p in a.body]
        self._paragraphs = sorted(set(paragraphs))
        self._titles = sorted({a.title for a in self.web.articles.values() if a.lang == "bn"})
        self._base = {o: self.web.site_articles("prothomalo") for o in OUTLETS}
        self._edits: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()
        #: Answers given, by kind: "article", "article_304", "sitemap", "listing", "robots", …
        self.hits: Counter[str] = Counter()

    # -- the articles ------------------------------------------------------------------------

    def _num(self, outlet: str, i: int) -> str:
        return stable_id(f"{self.seed}:{outlet}:{i}", self.web.sites[outlet].id_style)

    def url(self, outlet: str, i: int) -> str:
        """Canonical URL of article ``i`` of ``outlet``."""
        num = self._num(outlet, i)
        if outlet == PROFILED:
            return f"https://{_HOSTS[outlet]}/world/asia/{num}"
        return f"https://{_HOSTS[outlet]}/international/article/{num}/bench-story-{i}"

    def urls(self, outlet: str) -> list[str]:
        """Every article URL of ``outlet``, newest first."""
        return [self.url(outlet, i) for i in range(self.n)]

    def published(self, i: int) -> datetime:
        """Publication time of article ``i`` (the same for both outlets), newest first."""
        step = self.max_age / max(1, self.n)
        return self.now - timedelta(minutes=5) - step * i

    def edit(self, outlet: str, i: int) -> None:
        """Change article ``i`` of ``outlet``: a new sentence, a new ETag and Last-Modified."""
        with self._lock:
            self._edits[(outlet, i)] = self._edits.get((outlet, i), 0) + 1

    def _version(self, outlet: str, i: int) -> int:
        return self._edits.get((outlet, i), 0)

    def modified(self, outlet: str, i: int) -> datetime:
        """Last-Modified of article ``i`` (published, or a minute per edit later)."""
        return self.published(i) + timedelta(minutes=self._version(outlet, i))

    def etag(self, outlet: str, i: int) -> str:
        """The strong ETag of the article's current version."""
        return etag_of(f"{self.seed}:{outlet}:{i}:{self._version(outlet, i)}".encode())

    def article(self, outlet: str, i: int) -> Article:
        """The sample-web article model of article ``i`` of ``outlet``."""
        base = self._base[outlet][i % len(self._base[outlet])]
        k = len(self._paragraphs)
        start = (i * 7) % k
        body = [self._paragraphs[(start + j * 3) % k] for j in range(14)]
        version = self._version(outlet, i)
        own = f"প্রতিবেদন নম্বর {i}: এই খবরের শেষ হালনাগাদ {version} বার।"
        body.insert(1, own)
        published = self.published(i).astimezone(UTC).isoformat()
        updated = self.modified(outlet, i).isoformat() if version else None
        title = f"{self._titles[i % len(self._titles)]} ({i})"
        return dataclasses.replace(
            base, outlet=outlet, key=f"bench-story-{i}", title=title, body=body,
            published=published, updated=updated, num=self._num(outlet, i),
            url=self.url(outlet, i), trending=list(base.trending),
            related=list(base.related), inline_related=list(base.inline_related),
        )

    def render(self, outlet: str, i: int) -> bytes:
        """The article page as UTF-8 bytes (about :data:`TARGET_BYTES`; kept when caching)."""
        key = (outlet, i, self._version(outlet, i))
        if self._cache is not None and key in self._cache:
            return self._cache[key]
        page = self._render(outlet, i)
        if self._cache is not None:
            self._cache[key] = page
        return page

    def warm(self) -> None:
        """Render every page now (so that serving costs the same in every run)."""
        for outlet in OUTLETS:
            for i in range(self.n):
                self.render(outlet, i)

    def _render(self, outlet: str, i: int) -> bytes:
        site = self.web.sites[outlet]
        text = render_article(self.web, self.article(outlet, i), redesigned=outlet == UNPROFILED)
        pad = _padding(site, i)
        while len(text.encode("utf-8")) + len(pad.encode("utf-8")) < TARGET_BYTES:
            pad += _padding(site, i + len(pad))
        return text.replace("</body>", pad + "</body>", 1).encode("utf-8")

    # -- other pages -------------------------------------------------------------------------

    def sitemap_index(self, outlet: str) -> bytes:
        """The sitemap index at :data:`SITEMAP_PATH`: one news sitemap per 1,000 articles."""
        host = _HOSTS[outlet]
        parts = "".join(
            f"<sitemap><loc>https://{host}/bench/news-sitemap-{k}.xml</loc></sitemap>\n"
            for k in range(-(-self.n // PER_SITEMAP))
        )
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.'
                f'sitemaps.org/schemas/sitemap/0.9">\n{parts}</sitemapindex>\n').encode()

    def sitemap(self, outlet: str, part: int = 0) -> bytes:
        """News sitemap ``part`` of ``outlet``: articles ``1000 * part`` to ``1000 * part + 999``
        (Google News sitemaps hold at most 1,000 URLs)."""
        name = html.escape(self.web.sites[outlet].name_bn)
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
            'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        ]
        for i in range(part * PER_SITEMAP, min(self.n, (part + 1) * PER_SITEMAP)):
            out.append(
                f"<url><loc>{self.url(outlet, i)}</loc><news:news><news:publication>"
                f"<news:name>{name}</news:name><news:language>bn</news:language>"
                f"</news:publication><news:publication_date>{self.published(i).isoformat()}"
                f"</news:publication_date><news:title>বিশ্ব সংবাদ {i}</news:title></news:news>"
                f"<lastmod>{self.modified(outlet, i).isoformat()}</lastmod></url>"
            )
        out.append("</urlset>\n")
        return "\n".join(out).encode("utf-8")

    def listing(self, outlet: str, page: int) -> bytes:
        """Listing page ``page`` (20 newest-first articles a page)."""
        site = self.web.sites[outlet]
        first = (page - 1) * PER_LISTING
        items = [(self.url(outlet, i), f"বিশ্ব সংবাদ {i}", "")
                 for i in range(first, min(self.n, first + PER_LISTING))]
        pages = -(-self.n // PER_LISTING)
        nxt = site.page_url.format(n=page + 1) if page < pages else ""
        url = site.listing if page == 1 else site.page_url.format(n=page)
        return render_listing(self.web, site, page, url, items, nxt).encode("utf-8")

    # -- routing -----------------------------------------------------------------------------

    def _index(self, outlet: str, path: str) -> int | None:
        num = path.rstrip("/").split("/")[-2 if outlet == UNPROFILED else -1]
        # Article numbers are looked up once per outlet and kept.
        table = self._tables.get(outlet)
        if table is None:
            with self._lock:
                table = {self._num(outlet, i): i for i in range(self.n)}
                self._tables[outlet] = table
        return table.get(num)

    _tables: dict[str, dict[str, int]]

    def answer(self, host: str, target: str, headers: dict[str, str]) -> tuple[int, dict, bytes]:
        """(status, headers, body) for a request to ``host`` for ``target``."""
        outlet = next((o for o, h in _HOSTS.items() if h == host.split(":")[0].lower()), None)
        parts = urlsplit(target)
        path = parts.path
        if outlet is None:
            return 404, {"Content-Type": "text/plain"}, b"unknown host\n"
        if path == "/robots.txt":
            self.hits["robots"] += 1
            body = f"User-agent: *\nDisallow: /search\n\nSitemap: https://{host}{SITEMAP_PATH}\n"
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, body.encode()
        xml = {"Content-Type": "application/xml; charset=utf-8"}
        if path == SITEMAP_PATH:
            self.hits["sitemap"] += 1
            return 200, xml, self.sitemap_index(outlet)
        part = re.fullmatch(r"/bench/news-sitemap-(\d+)\.xml", path)
        if part:
            self.hits["sitemap"] += 1
            return 200, xml, self.sitemap(outlet, int(part.group(1)))
        if path.rstrip("/") == "/world":
            self.hits["listing"] += 1
            page = int((parse_qs(parts.query).get("page") or ["1"])[0] or 1)
            return 200, {"Content-Type": "text/html; charset=utf-8"}, self.listing(outlet, page)
        i = self._index(outlet, path)
        if i is None:
            self.hits["not_found"] += 1
            return 404, {"Content-Type": "text/html; charset=utf-8"}, b"<h1>404</h1>"
        etag, modified = self.etag(outlet, i), self.modified(outlet, i)
        validators = {
            "ETag": etag,
            "Last-Modified": format_datetime(modified.astimezone(UTC), usegmt=True),
            "Cache-Control": "public, max-age=60",
        }
        if not_modified(headers, etag, modified):
            self.hits["article_304"] += 1
            return 304, validators, b""
        self.hits["article"] += 1
        return 200, {"Content-Type": "text/html; charset=utf-8", **validators}, \
            self.render(outlet, i)


class _Handler(BaseHTTPRequestHandler):
    server: BenchServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        """Answer GET."""
        target = self.path
        host = self.headers.get("Host", "")
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            host, target = parts.netloc, parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, extra, body = self.server.site.answer(host, target, headers)
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class BenchServer(ThreadingHTTPServer):
    """Serves a :class:`BenchSite` on ``127.0.0.1`` (a free port) in a background thread."""

    daemon_threads = True

    def __init__(self, site: BenchSite):
        self.site = site
        site._tables = {}
        super().__init__(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        """The value for ``NEWSBOT_SAMPLE_WEB``."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self) -> None:
        """Stop serving."""
        self.shutdown()
        self._thread.join(timeout=5)
        self.server_close()
