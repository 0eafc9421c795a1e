"""Incremental delivery: emit only new articles and articles whose cleaned content changed.

Runs last among the item pipelines (``ITEM_PIPELINES`` priority 1000), on the cleaned item. For
each article it computes the content fingerprint (:func:`newsbot.state.fingerprint` over the
cleaned title and body) and looks the canonical URL up in the state store:

* never delivered (nor waiting in the spool): emitted with ``revision`` 0;
* the newest delivered or spooled version has the same cleaned fingerprint, or the same source
  fingerprint (stamped before cleaning by :mod:`newsbot.pipelines.source`): dropped as
  ``unchanged`` — what the cleaner learned or was updated with since is no revision;
* otherwise (the page's content changed): emitted with ``revision`` = that version's revision + 1.

Either way the store notes the article as seen (first/last seen, fingerprint, published time)
and fetched now, with the page's HTTP validators (ETag, Last-Modified, held by
:class:`newsbot.middlewares.refetch.FetchValidators`) tied to this fingerprint, so that a later
conditional refetch answered "304 Not Modified" means this content is still current.
Articles are marked delivered only when the feed holding them has been stored (see
:mod:`newsbot.delivery`), so a run killed at any point re-emits what it did not deliver.

With a state store shared by several workers (PostgreSQL), an article version is emitted only
by the worker that claims it (:meth:`newsbot.state.StateStore.claim`); the others drop it as
``claimed_elsewhere`` (with ``NEWSBOT_INCREMENTAL`` off nothing is claimed: every article is
emitted).

Setting ``NEWSBOT_INCREMENTAL`` (default True): False emits every article (revision 0) but still
records what was seen and delivered. Stats: ``newsbot/incremental/new``,
``newsbot/incremental/revised``, ``newsbot/incremental/unchanged``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newsbot import clock, conf, statskeys
from newsbot.drops import Drop
from newsbot.middlewares.refetch import FetchValidators
from newsbot.pipelines.base import CountingPipeline
from newsbot.state import StateStore, fingerprint, open_store, store_for_crawler
from newsbot.urls import SeenSet


class IncrementalPipeline(CountingPipeline):
    """Drops unchanged articles and numbers revisions (see the module docstring)."""

    stats_prefix = statskeys.INCREMENTAL_PREFIX

    def __init__(
        self,
        settings: BaseSettings | Mapping[str, Any] | None = None,
        stats: Any = None,
        store: StateStore | None = None,
        validators: FetchValidators | None = None,
    ):
        super().__init__(settings, stats)
        self.enabled = conf.getbool(self.settings, "NEWSBOT_INCREMENTAL")
        self._store = store
        self.validators = validators
        self._emitted = SeenSet()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalPipeline:
        return cls(
            crawler.settings,
            crawler.stats,
            store_for_crawler(crawler),
            FetchValidators.for_crawler(crawler),
        )

    @property
    def store(self) -> StateStore:
        """The state store (opened from the settings when none was given)."""
        if self._store is None:
            self._store = open_store(self.settings)
        return self._store

    def seen_at(self, adapter: ItemAdapter) -> datetime:
        """When the article was seen (now; archive backfills use the capture time)."""
        return clock.now()

    def process_item(self, item: Any) -> Any:
        """Return the item with its ``revision`` set, or raise ``Drop("unchanged")``."""
        adapter = ItemAdapter(item)
        canonical = adapter.get("canonical_url") or adapter.get("url")
        if not canonical:
            return item
        if canonical in self._emitted:
            raise Drop("duplicate_url", canonical)
        fp = fingerprint(adapter.get("title"), adapter.get("body"))
        source = adapter.get("source_fingerprint")
        known = self.store.lookup(canonical)
        now = self.seen_at(adapter)
        self.store.record_seen(
            canonical,
            fingerprint=fp,
            url=adapter.get("url"),
            outlet_id=adapter.get("outlet_id"),
            published=adapter.get("published"),
            when=now,
            source=source,
        )
        etag, modified = self.validators.pop(adapter.get("url")) if self.validators else (None,) * 2
        self.store.record_fetch(
            canonical, when=now, fingerprint=fp, etag=etag, last_modified=modified
        )
        latest = known.latest() if known is not None else None
        if self.enabled and latest is not None and latest.same_content(fp, source):
            self._inc("unchanged")
            raise Drop("unchanged")
        revision = latest.revision + 1 if (self.enabled and latest is not None) else 0
        if self.enabled and not self.store.claim(canonical, revision):
            # another worker of a shared run emits this revision
            self._inc("claimed_elsewhere")
            raise Drop("claimed_elsewhere", canonical)
        adapter["revision"] = revision
        self._emitted.add(canonical)
        self._inc("revised" if revision else "new")
        return item
