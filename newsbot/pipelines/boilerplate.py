"""Boilerplate: removes body lines that are not article text.

Three sources of knowledge, applied in this order:

1. the phrase rules of ``newsbot/vocabulary/boilerplate_bn.tsv`` (read-more and follow prompts,
   share and comment widgets, captions, attributions, print/e-paper links, ad labels, bylines and
   desk lines standing alone, section markers after which nothing is article text);
2. the article's own fields: a body line that repeats the title, the image caption, an author or
   the desk;
3. template lines learned per outlet during the crawl (``newsbot.cleaning.templates``) and
   persisted between runs in ``NEWSBOT_TEMPLATES_PATH``.

The logic is :mod:`newsbot.cleaning` (1 and 2: :func:`newsbot.cleaning.phrases.phrase_pass`);
this module is its Scrapy pipeline: settings, stats, persistence.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Mapping
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from newsbot import conf, statskeys
from newsbot.cleaning.phrases import outlet_names, own_lines, phrase_pass
from newsbot.cleaning.templates import TemplateStore
from newsbot.cluster.templates import SharedTemplates
from newsbot.pipelines.base import CountingPipeline
from newsbot.services import ServiceUnavailable
from newsbot.text import line_key
from newsbot.urls import host_of
from newsbot.vocabulary.lines import PhraseBook, load_phrasebook, load_phrasebook_file

logger = logging.getLogger(__name__)



class BoilerplatePipeline(CountingPipeline):
    """Removes boilerplate lines from ``body`` and counts them by kind.

    Settings: ``NEWSBOT_TEMPLATE_MIN_SHARE`` (0.5), ``NEWSBOT_TEMPLATE_MIN_PAGES`` (3),
    ``NEWSBOT_TEMPLATE_MAX_WORDS`` (30: longer lines are never learned),
    ``NEWSBOT_TEMPLATE_WINDOW`` (400 pages: counts halve when an outlet reaches it),
    ``NEWSBOT_TEMPLATES_PATH`` (``.newsbot/templates.json``; empty: nothing loaded or saved),
    ``NEWSBOT_TEMPLATES_LEARN`` (True; False: use what the file holds, learn nothing, save
    nothing), ``NEWSBOT_TEMPLATES_SAVE_EVERY`` (100 new pages) and
    ``NEWSBOT_TEMPLATES_SAVE_INTERVAL`` (300 s): the file is also written at close;
    ``NEWSBOT_BOILERPLATE_PATH`` (empty: the bundled phrase file).

    Stats: ``newsbot/boilerplate/removed/<kind>`` (lines removed per kind of the phrase file, and
    ``title``, ``caption``, ``byline``, ``template``, ``after_marker``, ``also_read_link``),
    ``newsbot/boilerplate/desk_moved``, ``newsbot/boilerplate/templates/loaded|saved|known``.
    """

    stats_prefix = statskeys.BOILERPLATE_PREFIX

    def __init__(self, settings: BaseSettings | Mapping[str, Any] | None = None, stats: Any = None):
        super().__init__(settings, stats)
        s = self.settings
        path = conf.get(s, "NEWSBOT_BOILERPLATE_PATH")
        self.book: PhraseBook = load_phrasebook_file(path) if path else load_phrasebook()
        self.store = TemplateStore(
            min_share=conf.getfloat(s, "NEWSBOT_TEMPLATE_MIN_SHARE"),
            min_pages=conf.getint(s, "NEWSBOT_TEMPLATE_MIN_PAGES"),
            max_words=conf.getint(s, "NEWSBOT_TEMPLATE_MAX_WORDS"),
            window=conf.getint(s, "NEWSBOT_TEMPLATE_WINDOW"),
        )
        self.path: str | None = conf.get(s, "NEWSBOT_TEMPLATES_PATH") or None
        self.learn = conf.getbool(s, "NEWSBOT_TEMPLATES_LEARN")
        self.save_every = max(1, conf.getint(s, "NEWSBOT_TEMPLATES_SAVE_EVERY"))
        self.save_interval = conf.getfloat(s, "NEWSBOT_TEMPLATES_SAVE_INTERVAL")
        self._last_save = time.monotonic()
        self._names: dict[str | None, tuple[str, ...]] = {}
        self.shared: SharedTemplates | None = None
        if self.path and self.store.load(self.path):
            self._inc("templates/loaded")
            logger.debug("loaded learned template lines from %s", self.path)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BoilerplatePipeline:
        """The pipeline; with a shared state store (PostgreSQL) the learned templates are kept
        there, shared by every worker (:mod:`newsbot.cluster.templates`), not in the file."""
        pipe = cls(crawler.settings, crawler.stats)
        if pipe.learn or pipe.path:
            pipe.shared = SharedTemplates.for_crawler(crawler)
        if pipe.shared is not None and pipe.shared.load_into(pipe.store):
            pipe._inc("templates/loaded")
        return pipe

    # -- the pipeline --------------------------------------------------------------------------

    def process_item(self, item: Any) -> Any:
        """Remove boilerplate lines from the item's body (in place) and return the item."""
        adapter = ItemAdapter(item)
        removed: Counter[str] = Counter()
        kept = self._phrase_pass(adapter, removed)
        outlet = adapter.get("outlet_id") or host_of(adapter.get("url") or "") or None
        if outlet:
            url = adapter.get("canonical_url") or adapter.get("url")
            if self.learn and url and self.store.observe(outlet, url, kept):
                self._maybe_save()
            before = len(kept)
            kept = [p for p in kept if not self.store.is_template(outlet, line_key(p))]
            removed["template"] += before - len(kept)
        for kind, count in removed.items():
            self._inc(f"removed/{kind}", count)
        adapter["body"] = kept
        return item

    def _phrase_pass(self, adapter: ItemAdapter, removed: Counter[str]) -> list[str]:
        """Body lines left after the phrase rules and the item's own fields."""
        outlet_id = adapter.get("outlet_id")
        if outlet_id not in self._names:
            self._names[outlet_id] = outlet_names(outlet_id)
        titles = [link.get("title") or "" for link in adapter.get("related_links") or []
                  if isinstance(link, dict)]
        result = phrase_pass(list(adapter.get("body") or []), self.book,
                             names=self._names[outlet_id], own=own_lines(adapter),
                             link_titles=titles, has_desk=bool(adapter.get("desk")))
        removed.update(result.removed)
        if result.desk_moves:
            adapter["desk"] = result.desk
            self._inc("desk_moved", result.desk_moves)
        return result.kept

    # -- persistence ---------------------------------------------------------------------------

    def _maybe_save(self) -> None:
        if not (self.path or self.shared) or not self.store.changed:
            return
        due = time.monotonic() - self._last_save >= self.save_interval
        if self.store.changed >= self.save_every or due:
            self.save()

    def save(self) -> bool:
        """Write the learned templates now (atomically); False when that failed or is off."""
        if not (self.path or self.shared) or not self.learn:
            return False
        try:
            if self.shared is not None:
                self.shared.save(self.store)
            else:
                self.store.save(self.path)
        except (OSError, ServiceUnavailable) as exc:
            where = "the state store" if self.shared is not None else self.path
            logger.warning("could not save learned template lines to %s: %s", where, exc)
            return False
        finally:
            self._last_save = time.monotonic()
        self._inc("templates/saved")
        if self.stats is not None:
            self.stats.set_value(statskeys.BOILERPLATE_TEMPLATES_KNOWN,
                                 self.store.template_count())
        return True

    def close_spider(self) -> None:
        """Save what was learned since the last save."""
        if self.store.changed:
            self.save()
