"""``bn_world``: world news from Bengali outlets.

The spider only discovers and routes: start points come from the outlet registry; listings,
RSS/Atom feeds and news sitemaps yield article requests; article responses go to
``newsbot.extract``. Every response that reaches it ends as an item or as a counted drop.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date, timedelta
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider, DownloadCancelledError, UsageError
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.asyncio import is_asyncio_available
from twisted.python.failure import Failure

from newsbot import clock, conf, statskeys
from newsbot.dates import tzinfo_for
from newsbot.discovery import (
    article_url_matches,
    feed_entry_urls,
    is_xml_response,
    listing_article_links,
    next_page_links,
)
from newsbot.errors import ConfigError
from newsbot.extract import ExtractionError, extract_article
from newsbot.extract.pool import ExtractionPool
from newsbot.extract.profiles import profile_for, use_profiles
from newsbot.items import Article
from newsbot.registry import Outlet, load_registry
from newsbot.signals import page_dropped
from newsbot.urls import canonicalize_url

# Request kinds, kept in request.meta["newsbot_kind"]; only "article" pages become items.
LISTING, FEED, SITEMAP, ARTICLE = "listing", "feed", "sitemap", "article"
SPIDER_PRIORITY = SETTINGS_PRIORITIES["spider"]
# request.meta key of a child sitemap requested from the spider's queue of sitemaps
_DEFERRED = "newsbot_deferred_sitemap"
# A start URL that names a feed or sitemap (its last path segment), else it is a listing.
_XML_HINT = re.compile(r"/(rss|feed|atom|sitemap)([-_.][^/]*)?/?$|\.xml$", re.I)


def _split_arg(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [v.strip() for v in value if v.strip()]


class BnWorldSpider(scrapy.Spider):
    """World-section news from the outlets in the registry.

    Arguments (``-a name=value``):
      ``outlets``    comma-separated outlet ids (default: setting ``NEWSBOT_OUTLETS``, else every
                     listed outlet of the registry);
      ``start_urls`` comma-separated URLs that replace the outlets' start points (each URL's
                     outlet is looked up by its domain).
    """

    name = "bn_world"

    def __init__(
        self,
        outlets: str | None = None,
        start_urls: str | None = None,
        *args: Any,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self._outlet_arg = _split_arg(outlets)
        self._start_url_arg = _split_arg(start_urls)
        # Article URLs from feeds and sitemaps not handed to the scheduler yet (see _top_up).
        self._frontier: deque[str] = deque()
        # Child sitemaps not requested yet: one at a time, when the frontier runs low, so that
        # a sitemap index of any size never fills the frontier with every URL it lists.
        self._sitemaps: deque[tuple[str, int]] = deque()
        self._sitemaps_in_flight = 0
        self._queued: dict[str, int] = {}  # article requests per outlet
        self._capped: set[tuple[str, str]] = set()

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """Fill the contact URL into the User-Agent (unless the user set one of their own)."""
        super().update_settings(settings)
        agent = settings.get("USER_AGENT") or ""
        if "{contact}" in agent:
            settings.set(
                "USER_AGENT",
                agent.format(contact=conf.get(settings, "NEWSBOT_CONTACT_URL")),
                # At least "spider": the crawler process merges its own settings in again at
                # equal priority, which would bring the template back.
                priority=max(settings.getpriority("USER_AGENT") or 0, SPIDER_PRIORITY),
            )

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> BnWorldSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider._configure()
        return spider

    def _configure(self) -> None:
        settings = self.settings
        # Profiles are read and checked now: a broken one stops the run before it starts.
        self.profiles_dir = conf.get(settings, "NEWSBOT_PROFILES_DIR") or None
        use_profiles(self.profiles_dir)
        self.registry = load_registry()
        if self._start_url_arg:
            found = {url: self.registry.by_url(url) for url in self._start_url_arg}
            unknown = [url for url, outlet in found.items() if outlet is None]
            if unknown:
                raise UsageError(f"-a start_urls outside every registered outlet: {unknown}")
            self.selected = sorted({o for o in found.values() if o}, key=lambda o: o.id)
        else:
            ids = self._outlet_arg or _split_arg(conf.getlist(settings, "NEWSBOT_OUTLETS"))
            if ids:
                try:
                    self.selected = self.registry.select(ids)
                except KeyError as exc:
                    # a wrong -a argument is a bad command line; a wrong setting, bad settings
                    if self._outlet_arg:
                        raise UsageError(f"-a outlets: {exc.args[0]}") from None
                    raise ConfigError(f"NEWSBOT_OUTLETS: {exc.args[0]}") from None
            else:
                self.selected = [o for o in self.registry if o.status == "listed"]
        self.outlet_ids = {o.id for o in self.selected}
        self.allowed_domains = sorted({h for o in self.selected for h in o.hosts})
        self.max_listing_pages = conf.getint(settings, "NEWSBOT_MAX_LISTING_PAGES")
        self.follow_related = conf.getbool(settings, "NEWSBOT_FOLLOW_RELATED")
        self.sitemap_days = conf.getint(settings, "NEWSBOT_SITEMAP_DAYS")
        self.sitemap_max_depth = conf.getint(settings, "NEWSBOT_SITEMAP_MAX_DEPTH")
        self.max_urls_per_sitemap = conf.getint(settings, "NEWSBOT_MAX_URLS_PER_SITEMAP")
        self.max_articles_per_outlet = conf.getint(settings, "NEWSBOT_MAX_ARTICLES_PER_OUTLET")
        self.extract_workers = max(0, conf.getint(settings, "NEWSBOT_EXTRACT_WORKERS"))
        self.frontier_batch = max(1, conf.getint(settings, "NEWSBOT_FRONTIER_BATCH"))
        self.crawler.signals.connect(self._on_idle, signal=signals.spider_idle)
        self.pool: ExtractionPool | None = None
        self.crawler.signals.connect(self._close_pool, signal=signals.spider_closed)

    def _open_pool(self) -> None:
        if self.extract_workers and self.pool is None:
            if not is_asyncio_available():
                self.logger.warning("NEWSBOT_EXTRACT_WORKERS needs the asyncio reactor; "
                                    "extracting in the crawl process")
                self.extract_workers = 0
                return
            self.pool = ExtractionPool(self.extract_workers, self.profiles_dir)
            self.pool.warm_up()
            self.logger.info("Extracting in %d worker process(es)", self.extract_workers)

    def _close_pool(self) -> None:
        if self.pool is not None:
            stats = self.crawler.stats
            stats.set_value(statskeys.EXTRACT_WORKER_TIME, round(self.pool.cpu_seconds, 3))
            stats.set_value(statskeys.EXTRACT_WORKERS_PEAK_RSS, round(self.pool.peak_rss_mb(), 1))
            self.pool.close()
            self.pool = None

    # -- start -------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        """Start points: ``-a start_urls`` if given, else each selected outlet's listing, feeds
        and news sitemaps (dated sitemaps for the last ``NEWSBOT_SITEMAP_DAYS`` days)."""
        self._open_pool()
        for url, kind in self._start_points():
            yield self._request(url, kind, hops=0)

    def _start_points(self) -> Iterator[tuple[str, str]]:
        if self._start_url_arg:
            for url in self._start_url_arg:
                yield url, FEED if _XML_HINT.search(url) else LISTING
            return
        for outlet in self.selected:
            yield from outlet.start_points(self._sitemap_days(outlet))

    def _sitemap_days(self, outlet: Outlet) -> list[date]:
        today = clock.today(tzinfo_for(outlet.timezone))
        return [today - timedelta(days=n) for n in range(max(1, self.sitemap_days))]

    def _request(
        self, url: str, kind: str, hops: int, page: int = 1, depth: int = 0
    ) -> Request:
        if kind == ARTICLE:
            url = canonicalize_url(url)
        meta = {"newsbot_kind": kind, "newsbot_hops": hops, "newsbot_page": page}
        if depth:
            meta["newsbot_sitemap_depth"] = depth
        pooled = kind == ARTICLE and self.extract_workers > 0
        callback = self.parse_pooled if pooled else self.parse
        return Request(url, callback=callback, errback=self.on_error, meta=meta)
    def _articles(self, urls: Iterable[str], hops: int) -> Iterator[Request]:
        """Article requests for ``urls`` (of crawled outlets), at most
        ``NEWSBOT_MAX_ARTICLES_PER_OUTLET`` per outlet in the run."""
        for url in urls:
            outlet = self._outlet_of(url)
            if outlet is None:
                continue
            queued = self._queued.get(outlet.id, 0)
            if queued >= self.max_articles_per_outlet:
                self._cap("outlet_articles", outlet.id, self.max_articles_per_outlet)
                continue
            self._queued[outlet.id] = queued + 1
            yield self._request(url, ARTICLE, hops=hops)

    def _cap(self, what: str, where: str, limit: int, count: int = 1) -> None:
        """Count URLs left out by a run bound; warn once per bound and place."""
        self.crawler.stats.inc_value(statskeys.capped(what), count)
        if (what, where) not in self._capped:
            self._capped.add((what, where))
            self.logger.warning("Run bound reached (%s = %d) at %s; the rest is left out",
                                what, limit, where)


    # -- routing -----------------------------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """Route a response by what it was requested as and what it turned out to be.

        A failure while reading a page is logged as an error and the page counted as a drop
        (``parse_error``), so it is neither lost silently nor fatal to the crawl."""
        self._sitemap_done(response.meta)
        try:
            yield from self._route(response)
        except Exception as exc:
            self.logger.exception("Could not read %s", response.url)
            self.drop(response, "parse_error", f"{type(exc).__name__}: {exc}")
        yield from self._top_up()

    def _route(self, response: Response) -> Iterator[Any]:
        kind = response.meta.get("newsbot_kind", LISTING)
        if response.status == 304:
            # A conditional refetch (newsbot.middlewares.refetch): the delivered version stands.
            self.drop(response, "unchanged", "304 Not Modified")
            return
        if not isinstance(response, TextResponse):
            self.drop(response, "not_text")
            return
        # By what the response is: a "feed" start point may turn out to be an HTML listing.
        if is_xml_response(response):
            self.parse_feed(response)  # into the frontier: parse() hands out requests
        elif kind == ARTICLE:
            yield from self.parse_article(response)
        else:
            yield from self.parse_listing(response)

    def parse_feed(self, response: TextResponse) -> None:
        """RSS, Atom, sitemap index or (news) sitemap: its articles go to the frontier, its
        child sitemaps to the queue of sitemaps (both requested by :meth:`_top_up`)."""
        self.crawler.stats.inc_value(statskeys.PAGES_FEED)
        entries, child_sitemaps = feed_entry_urls(response)
        if entries is None:
            self.drop(response, "bad_feed")
            return
        depth = response.meta.get("newsbot_sitemap_depth", 0)
        children = [url for url in child_sitemaps if self._outlet_of(url)]
        if children and depth >= self.sitemap_max_depth:
            self._cap("sitemap_depth", response.url, self.sitemap_max_depth, len(children))
            children = []
        self._sitemaps.extend((url, depth + 1) for url in children)
        limit = self.max_urls_per_sitemap
        if len(entries) > limit:
            self._cap("sitemap_urls", response.url, limit, len(entries) - limit)
            entries = entries[:limit]
        # Into the frontier: parse() hands them to the scheduler a page at a time.
        self._frontier.extend(url for url in entries if self._outlet_of(url))

    # -- the frontier: sitemaps paged into the scheduler ----------------------------------------

    def _backlog(self) -> int:
        stats = self.crawler.stats
        return int(stats.get_value("scheduler/enqueued", 0) or 0) - int(
            stats.get_value("scheduler/dequeued", 0) or 0
        )

    def _top_up(self) -> Iterator[Request]:
        """Article requests from the frontier while the scheduler holds fewer than
        ``NEWSBOT_FRONTIER_BATCH`` requests: a sitemap of any size costs a string per URL
        until its turn comes, not a queued request."""
        room = self.frontier_batch - self._backlog()
        if self._sitemaps and not self._sitemaps_in_flight and (
                len(self._frontier) < self.frontier_batch):
            url, depth = self._sitemaps.popleft()
            self._sitemaps_in_flight += 1
            request = self._request(url, SITEMAP, hops=0, depth=depth)
            request.meta[_DEFERRED] = True
            yield request
        while self._frontier and room > 0:
            for request in self._articles([self._frontier.popleft()], hops=0):
                yield request
                room -= 1

    def _sitemap_done(self, meta: dict[str, Any]) -> None:
        """A deferred child sitemap came back (as a response or a failure)."""
        if meta.get(_DEFERRED) and self._sitemaps_in_flight > 0:
            self._sitemaps_in_flight -= 1

    def _on_idle(self) -> None:
        """Nothing left to fetch: schedule the next page of the frontier (or the next child
        sitemap), if any."""
        if not self._frontier and not self._sitemaps:
            return
        self._sitemaps_in_flight = 0  # an idle engine has nothing in flight
        for request in self._top_up():
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def parse_listing(self, response: TextResponse) -> Iterator[Request]:
        """A section listing: its article links, and the next page up to the set bound."""
        outlet = self._outlet_of(response.url)
        if outlet is None:
            self.drop(response, "offsite")
            return
        self.crawler.stats.inc_value(statskeys.PAGES_LISTING)
        misses: list[str] = []
        # Both helpers keep only links of this (selected) outlet.
        links = listing_article_links(response, outlet.id, misses=misses)
        yield from self._articles(links, hops=0)
        for name in misses:
            self.crawler.stats.inc_value(statskeys.profile_miss(outlet.id, name))
        page = response.meta.get("newsbot_page", 1)
        if page < self.max_listing_pages:
            for url in next_page_links(response, outlet.id)[:1]:
                yield self._request(url, LISTING, hops=0, page=page + 1)

    def parse_article(self, response: TextResponse) -> Iterator[Any]:
        """An article page: extract it, emit it, follow related links.

        A canonical URL counts as emitted only once its item has passed the pipelines (the
        incremental pipeline drops later copies), so a copy dropped on its way does not block a
        later, good copy of the same article."""
        misses: list[str] = []
        started = time.perf_counter()
        try:
            article = extract_article(response, misses=misses)
        except ExtractionError as exc:
            self.drop(response, exc.reason, str(exc))
            return
        finally:
            self.crawler.stats.inc_value(statskeys.EXTRACT_TIME, time.perf_counter() - started)
            self._count_profile(response.url, misses)
        yield from self._emit(response, article)

    async def parse_pooled(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        """The callback of article requests when extraction runs in worker processes
        (``NEWSBOT_EXTRACT_WORKERS``): the page goes to the pool, the rest as in :meth:`parse`."""
        if (
            self.pool is None
            or response.status == 304
            or not isinstance(response, TextResponse)
            or response.meta.get("newsbot_kind") != ARTICLE
            or is_xml_response(response)
        ):
            for output in self.parse(response):
                yield output
            return
        try:
            misses: list[str] = []
            try:
                article = await self.pool.extract(
                    bytes(response.body), response.url, response.encoding,
                    clock.now().isoformat(), misses=misses,
                )
            except ExtractionError as exc:
                self.drop(response, exc.reason, str(exc))
                return
            finally:
                self._count_profile(response.url, misses)
            for output in self._emit(response, article):
                yield output
        except Exception as exc:
            self.logger.exception("Could not read %s", response.url)
            self.drop(response, "parse_error", f"{type(exc).__name__}: {exc}")
        for request in self._top_up():
            yield request

    def _emit(self, response: TextResponse, article: Article) -> Iterator[Any]:
        """The extracted article (of a crawled outlet), then the requests for its related
        links."""
        if article.outlet_id not in self.outlet_ids:
            self.drop(response, "other_outlet", str(article.outlet_id))
            return
        # Follow-ups first: once the article is out, nothing may fail for this page.
        follow = list(self._related_requests(article, response.meta.get("newsbot_hops", 0)))
        yield article
        yield from follow

    def _related_requests(self, article: Article, hops: int) -> Iterator[Request]:
        """Requests for the article's related links to other articles of the crawled outlets."""
        if not self.follow_related or hops >= 1:
            return
        urls = []
        for link in article.related_links:
            url = link.get("url")
            outlet = self._outlet_of(url) if url else None
            if outlet and article_url_matches(url, outlet.id):
                urls.append(url)
        yield from self._articles(urls, hops=hops + 1)

    # -- accounting --------------------------------------------------------------------------

    def _count_profile(self, url: str, misses: list[str]) -> None:
        """Count a page of a profiled outlet, and each profile field that matched nothing on it
        (``newsbot/profile/pages/<outlet>``, ``newsbot/profile/miss/<outlet>/<field>``)."""
        outlet = self._outlet_of(url)
        if outlet is None or profile_for(outlet.id) is None:
            return
        stats = self.crawler.stats
        stats.inc_value(statskeys.profile_pages(outlet.id))
        for name in dict.fromkeys(misses):
            stats.inc_value(statskeys.profile_miss(outlet.id, name))

    def on_error(self, failure: Failure) -> None:
        """A request that ended without a response for the spider: count it under its reason."""
        request = failure.request  # type: ignore[attr-defined]
        self._sitemap_done(request.meta)
        if failure.check(HttpError):
            response = failure.value.response
            self.drop(response, f"http_{response.status}")
            return
        reason = getattr(failure.value, "drop_reason", None)  # newsbot.middlewares.limits
        if reason is None and failure.check(DownloadCancelledError):
            reason = "too_large"  # the body passed DOWNLOAD_MAXSIZE while downloading
        if reason is not None:
            # under the URL the crawl asked for, not the last hop of a redirect chain
            first = (request.meta.get("redirect_urls") or [request.url])[0]
            self.drop_url(first, reason, f"{request.url}: {failure.value}")
            return
        name = type(failure.value).__name__
        if name == "IgnoreRequest":
            # Not fetched (robots.txt, refetch window, offsite): counted, not a dropped page.
            self.crawler.stats.inc_value(statskeys.SKIPPED_IGNORED)
            self.logger.debug("Skipped %s: %s", request.url, failure.value)
            return
        self.drop_url(request.url, f"fetch_error:{name}", str(failure.value))

    def drop(self, response: Response, reason: str, detail: str = "") -> None:
        """Count and log a fetched page that does not become an article."""
        self.drop_url(response.url, reason, detail, response=response)

    def drop_url(
        self, url: str, reason: str, detail: str = "", response: Response | None = None
    ) -> None:
        """Report ``url`` as dropped for ``reason``; the drop ledger counts, logs and keeps it."""
        outlet = self._outlet_of(url)
        self.crawler.signals.send_catch_log(
            page_dropped,
            url=url,
            reason=reason,
            detail=detail,
            outlet_id=outlet.id if outlet else None,
            response=response,
        )

    def _outlet_of(self, url: str) -> Outlet | None:
        outlet = self.registry.by_url(url)
        return outlet if outlet and outlet.id in self.outlet_ids else None
