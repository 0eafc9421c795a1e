"""Titles: the site's name learned across its pages is removed from the title.

Extraction removes a site name it can read on the page itself or in the registry
(:func:`newsbot.extract.titles.strip_site_name`). A site that names itself nowhere but in its
titles ("Headline | Some Site", no ``og:site_name``) is learned here, during the crawl: a part at
the start or end of the title that the titles of ``NEWSBOT_TITLE_SITE_MIN_PAGES`` pages of the
same host share is removed from that page's title and every later one of the host
(:class:`newsbot.extract.titles.SiteNameLearner`). It runs after the source fingerprint, which
keeps the title as extracted: a page first seen before the name was learned is not a revision
when it is seen again after.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itemadapter import ItemAdapter
from scrapy.settings import BaseSettings

from newsbot import conf, statskeys
from newsbot.extract.titles import SiteNameLearner
from newsbot.pipelines.base import CountingPipeline
from newsbot.urls import host_of


class TitleSiteNamePipeline(CountingPipeline):
    """Learns each host's title site name and removes it from the titles.

    Settings: ``NEWSBOT_TITLE_SITE_MIN_PAGES`` (3 pages), ``NEWSBOT_TITLE_SITE_MAX_HOSTS`` (1,000
    hosts kept in memory, the least recently seen forgotten first); nothing is learned when
    ``NEWSBOT_TEMPLATES_LEARN`` is off (cleaning outside a crawl: a page cleaned twice gives the
    same record). Stats: ``newsbot/titles/site_name_removed``.
    """

    stats_prefix = statskeys.TITLES_PREFIX

    def __init__(self, settings: BaseSettings | Mapping[str, Any] | None = None, stats: Any = None):
        super().__init__(settings, stats)
        s = self.settings
        self.learn = conf.getbool(s, "NEWSBOT_TEMPLATES_LEARN")
        self.learner = SiteNameLearner(
            min_pages=conf.getint(s, "NEWSBOT_TITLE_SITE_MIN_PAGES"),
            max_hosts=conf.getint(s, "NEWSBOT_TITLE_SITE_MAX_HOSTS"),
        )

    def process_item(self, item: Any) -> Any:
        """Note the item's title under its host and return the item with the learned site
        name removed from its title."""
        adapter = ItemAdapter(item)
        title = adapter.get("title")
        host = host_of(adapter.get("canonical_url") or adapter.get("url") or "")
        if not title or not host:
            return item
        if self.learn:
            self.learner.observe(host, title)
        stripped = self.learner.strip(host, title)
        if stripped != title:
            adapter["title"] = stripped
            self._inc("site_name_removed")
        return item
