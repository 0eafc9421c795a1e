"""Refetch window: skip article pages already delivered unless they are still young.

A downloader middleware. Only requests with ``request.meta["newsbot_kind"] == "article"`` are
ever skipped; listings, feeds and sitemaps are always fetched. An article page is skipped
(``IgnoreRequest``, counted as ``newsbot/refetch/skipped`` and
``newsbot/refetch/skipped/<outlet_id>``) when the state store holds a delivered (or spooled)
version of it and it is older than ``NEWSBOT_REFETCH_WINDOW_HOURS`` (default 48), its age
counted from its published time, else from when it was first seen. Young articles are fetched
again so that corrections and updates are noticed.

``request.meta["newsbot_refetch"] = True`` forces a fetch. ``NEWSBOT_INCREMENTAL = False``
disables skipping.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from newsbot import clock
from newsbot.state import ArticleState, StateStore, store_for_crawler
from newsbot.urls import canonicalize_url

DEFAULT_WINDOW_HOURS = 48.0
#: Stats key prefix of the per-outlet skip counts (``newsbot/refetch/skipped/<outlet_id>``).
SKIPPED_PREFIX = "newsbot/refetch/skipped/"


class RefetchMiddleware:
    """Skips already-delivered article pages older than the refetch window."""

    stats_prefix = "newsbot/refetch/"

    def __init__(self, store: StateStore, stats: Any, window_hours: float, enabled: bool = True):
        self.store = store
        self.stats = stats
        self.window = timedelta(hours=window_hours)
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RefetchMiddleware:
        settings = crawler.settings
        return cls(
            store_for_crawler(crawler),
            crawler.stats,
            settings.getfloat("NEWSBOT_REFETCH_WINDOW_HOURS", DEFAULT_WINDOW_HOURS),
            settings.getbool("NEWSBOT_INCREMENTAL", True),
        )

    def should_skip(self, request: Request, now: datetime | None = None) -> ArticleState | None:
        """The stored state of the article ``request`` need not fetch again (None: fetch)."""
        if not self.enabled or request.meta.get("newsbot_kind") != "article":
            return None
        if request.meta.get("newsbot_refetch"):
            return None
        state = self.store.lookup_url(canonicalize_url(request.url))
        if state is None or not state.held:
            return None
        since = state.age_reference()
        if since is None or (now or clock.now()) - since < self.window:
            return None
        return state

    def process_request(self, request: Request) -> None:
        """Raise ``IgnoreRequest`` for an article page that need not be fetched again."""
        state = self.should_skip(request)
        if state is None:
            return
        if self.stats is not None:
            self.stats.inc_value(self.stats_prefix + "skipped")
            self.stats.inc_value(SKIPPED_PREFIX + (state.outlet_id or "unknown"))
        raise IgnoreRequest(
            f"newsbot refetch window: {state.canonical_url} already delivered and older than "
            f"{self.window.total_seconds() / 3600:g} h"
        )
