"""Refetching delivered articles: a schedule that thins out with age, and conditional requests.

A downloader middleware. Only requests with ``request.meta["newsbot_kind"] == "article"`` are
concerned; listings, feeds and sitemaps are always fetched. For an article page of which the
state store holds a delivered (or spooled) version:

* **Window.** Older than ``NEWSBOT_REFETCH_WINDOW_HOURS`` (default 48; age counted from its
  published time, else from when it was first seen): not fetched again.
* **Schedule.** Inside the window it is fetched again only when one of the refetch points
  ``NEWSBOT_REFETCH_SCHEDULE_HOURS`` (default 1, 6, 24, 48 hours after publication) has passed
  since it was last fetched, so that a run every 30 minutes checks a young article a few times
  instead of on every run. An empty schedule fetches it on every run inside the window.
* **Conditional requests** (``NEWSBOT_CONDITIONAL_REQUESTS``, default True). A refetch sends the
  page's ``If-None-Match`` (ETag) and ``If-Modified-Since`` (Last-Modified) when the store's
  validators describe the delivered content; a ``304 Not Modified`` answer is counted as
  ``newsbot/refetch/not_modified`` (and ``…/<outlet_id>``) and reaches the spider, which drops
  it as ``unchanged``. A changed page comes back in full and goes through extraction as usual.

A page not fetched is skipped with ``IgnoreRequest``, counted as ``newsbot/refetch/skipped`` and
``newsbot/refetch/skipped/<outlet_id>`` (:func:`newsbot.statskeys.refetch_skipped`) and, among
them, those the schedule held back as ``newsbot/refetch/skipped_schedule``.

The validators of a page fetched with a body are kept until the incremental pipeline has
fingerprinted its content (:class:`FetchValidators`), which stores them together with that
fingerprint; a page that ends as a drop before that forgets them.

``request.meta["newsbot_refetch"] = True`` forces a full fetch. ``NEWSBOT_INCREMENTAL = False``
disables skipping and conditional requests.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, ClassVar

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from newsbot import clock, conf, default_settings, statskeys
from newsbot.state import ArticleState, StateStore, store_for_crawler
from newsbot.urls import canonicalize_url

#: ``request.meta`` key set on a request sent with conditional headers.
CONDITIONAL_META = "newsbot_conditional"


def parse_schedule(value: Any) -> tuple[float, ...]:
    """Refetch points in hours from a setting value (list, or comma-separated string)."""
    if value is None:
        value = default_settings.NEWSBOT_REFETCH_SCHEDULE_HOURS
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return tuple(sorted(float(v) for v in items if str(v).strip()))


class FetchValidators:
    """HTTP validators of article pages fetched with a body, by fetched URL, until the
    incremental pipeline takes them (:meth:`pop`) or the page is dropped."""

    _BY_CRAWLER: ClassVar[weakref.WeakKeyDictionary[Crawler, FetchValidators]] = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self) -> None:
        self._held: dict[str, tuple[str | None, str | None]] = {}

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> FetchValidators:
        """The crawler's one holder (created, and tied to its drop signals, on first use)."""
        holder = cls._BY_CRAWLER.get(crawler)
        if holder is None:
            holder = cls._BY_CRAWLER[crawler] = cls()
            from newsbot.signals import page_dropped

            crawler.signals.connect(holder._forget_page, page_dropped)
            crawler.signals.connect(holder._forget_item, signals.item_dropped)
            crawler.signals.connect(holder._forget_item, signals.item_error)
        return holder

    def keep(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Hold the validators of the page fetched from ``url``."""
        self._held[url] = (etag, last_modified)

    def pop(self, url: str | None) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the page fetched from ``url`` ((None, None) if unknown)."""
        return self._held.pop(url, (None, None)) if url else (None, None)

    def __len__(self) -> int:
        return len(self._held)

    def _forget_page(self, url: str = "", **kwargs: Any) -> None:
        self._held.pop(url, None)

    def _forget_item(self, item: Any = None, **kwargs: Any) -> None:
        url = getattr(item, "url", None)
        if url is None and isinstance(item, dict):
            url = item.get("url")
        if url:
            self._held.pop(url, None)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1").strip() or None if value else None


class RefetchMiddleware:
    """Skips or conditionally refetches already-delivered article pages (module docstring)."""

    stats_prefix = statskeys.REFETCH_PREFIX

    def __init__(
        self,
        store: StateStore,
        stats: Any,
        window_hours: float,
        enabled: bool = True,
        schedule_hours: Iterable[float] = tuple(default_settings.NEWSBOT_REFETCH_SCHEDULE_HOURS),
        conditional: bool = True,
        validators: FetchValidators | None = None,
    ):
        self.store = store
        self.stats = stats
        self.window = timedelta(hours=window_hours)
        self.enabled = enabled
        self.schedule = tuple(
            timedelta(hours=h) for h in sorted(schedule_hours) if timedelta(hours=h) <= self.window
        )
        self.conditional = conditional
        self.validators = validators

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RefetchMiddleware:
        settings = crawler.settings
        return cls(
            store_for_crawler(crawler),
            crawler.stats,
            conf.getfloat(settings, "NEWSBOT_REFETCH_WINDOW_HOURS"),
            conf.getbool(settings, "NEWSBOT_INCREMENTAL"),
            parse_schedule(conf.get(settings, "NEWSBOT_REFETCH_SCHEDULE_HOURS")),
            conf.getbool(settings, "NEWSBOT_CONDITIONAL_REQUESTS"),
            FetchValidators.for_crawler(crawler),
        )

    # -- deciding ----------------------------------------------------------------------------

    def _held_state(self, request: Request) -> ArticleState | None:
        if not self.enabled or request.meta.get("newsbot_kind") != "article":
            return None
        if request.meta.get("newsbot_refetch"):
            return None
        state = self.store.lookup_url(canonicalize_url(request.url))
        return state if state is not None and state.held else None

    def due(self, state: ArticleState, now: datetime) -> bool:
        """Whether a held article inside the window is due for a refetch: a refetch point
        passed since it was last fetched (always, with an empty schedule)."""
        since = state.age_reference()
        last = state.fetched_at or state.last_seen
        if not self.schedule or since is None or last is None:
            return True
        return any(last < since + point <= now for point in self.schedule)

    def should_skip(self, request: Request, now: datetime | None = None) -> ArticleState | None:
        """The stored state of the article ``request`` need not fetch (None: fetch it)."""
        state = self._held_state(request)
        if state is None:
            return None
        now = now or clock.now()
        since = state.age_reference()
        if since is not None and now - since >= self.window:
            return state
        return None if self.due(state, now) else state

    # -- Scrapy hooks ------------------------------------------------------------------------

    def process_request(self, request: Request) -> None:
        """Skip an article page that need not be fetched; make a refetch conditional."""
        now = clock.now()
        state = self._held_state(request)
        if state is None:
            return
        since = state.age_reference()
        outside = since is not None and now - since >= self.window
        if outside or not self.due(state, now):
            self._inc("skipped")
            self._inc(statskeys.refetch_skipped(state.outlet_id or "unknown"), prefixed=True)
            if not outside:
                self._inc("skipped_schedule")
                raise IgnoreRequest(
                    f"newsbot refetch schedule: {state.canonical_url} already delivered and "
                    "checked since its last refetch point"
                )
            raise IgnoreRequest(
                f"newsbot refetch window: {state.canonical_url} already delivered and older "
                f"than {self.window.total_seconds() / 3600:g} h"
            )
        headers = state.validators() if self.conditional else {}
        if headers:
            for name, value in headers.items():
                request.headers[name] = value
            request.meta[CONDITIONAL_META] = state.canonical_url
            allowed = list(request.meta.get("handle_httpstatus_list", []))
            request.meta["handle_httpstatus_list"] = [*allowed, 304]
            self._inc("conditional")

    def process_response(self, request: Request, response: Response) -> Response:
        """Count and note a 304 answer; hold the validators of an article fetched in full."""
        if request.meta.get("newsbot_kind") != "article":
            return response
        canonical = request.meta.get(CONDITIONAL_META)
        if response.status == 304 and canonical:
            self.store.record_fetch(canonical, when=clock.now())
            self._inc("not_modified")
            state = self.store.lookup(canonical)
            outlet = state.outlet_id if state is not None else None
            self._inc(statskeys.refetch_not_modified(outlet or "unknown"), prefixed=True)
        elif response.status == 200 and self.validators is not None and self.enabled:
            etag = _header(response, b"ETag")
            modified = _header(response, b"Last-Modified")
            if etag or modified:
                self.validators.keep(response.url, etag, modified)
        return response

    def _inc(self, key: str, prefixed: bool = False) -> None:
        if self.stats is not None:
            self.stats.inc_value(key if prefixed else self.stats_prefix + key)
