"""Canonical URL sanity: counts the declared canonical URLs extraction did not believe, and
ignores one that several distinct articles of this run share.

Extraction judges each page alone (:mod:`newsbot.canonical`: another host, the home page, a
section or listing page) and notes why it ignored a declaration. Only the run sees that two pages
with different titles declare the same canonical URL — a template that points every article at
one URL; from the second such page on, the page's own URL is used. Runs first (priority 280).

Stats: ``newsbot/canonical/ignored/<why>`` (``other_host``, ``home``, ``section``,
``listing``, ``unparsable``, ``shared``). Setting ``NEWSBOT_CANONICAL_TRACK`` (10,000): how
many declared canonical URLs the run remembers for the ``shared`` check (oldest forgotten first).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from itemadapter import ItemAdapter
from scrapy.settings import BaseSettings

from newsbot import conf, statskeys
from newsbot.pipelines.base import CountingPipeline
from newsbot.text import compare_key
from newsbot.urls import canonicalize_url


class CanonicalPipeline(CountingPipeline):
    """See the module docstring."""

    stats_prefix = statskeys.CANONICAL_PREFIX

    def __init__(self, settings: BaseSettings | Mapping[str, Any] | None = None, stats: Any = None):
        super().__init__(settings, stats)
        self.track = max(1, conf.getint(self.settings, "NEWSBOT_CANONICAL_TRACK"))
        self._titles: OrderedDict[str, str] = OrderedDict()  # declared canonical -> title key

    def process_item(self, item: Any) -> Any:
        """Return the item, its canonical URL replaced by its own when shared (see above)."""
        adapter = ItemAdapter(item)
        url = adapter.get("url") or ""
        declared = adapter.get("canonical_url") or ""
        if url and declared and declared != canonicalize_url(url):
            title = compare_key(adapter.get("title") or "")
            first = self._titles.setdefault(declared, title)
            if first != title:
                adapter["canonical_url"] = canonicalize_url(url)
                adapter["canonical_ignored"] = "shared"
            elif len(self._titles) > self.track:
                self._titles.popitem(last=False)
        why = adapter.get("canonical_ignored")
        if why:
            self._inc(f"ignored/{why}")
        return item
