"""Learned template lines shared by the workers of a scaled-out crawl, kept in the state store
(PostgreSQL table ``templates``) instead of ``NEWSBOT_TEMPLATES_PATH``.

Each worker loads the shared document when it starts and, when it saves, adds what it learned
since (pages counted, line counts, page URLs) to what is stored now, in one locked transaction:
two workers saving never lose each other's counts.
"""

from __future__ import annotations

import copy
from typing import Any

from scrapy.crawler import Crawler

from newsbot.cleaning.templates import TemplateStore
from newsbot.services import STATE_URL_SETTING, setting_or_env
from newsbot.state import store_for_crawler


def merge_learned(stored: dict[str, Any], base: dict[str, Any], mine: dict[str, Any]
                  ) -> dict[str, Any]:
    """``stored`` plus what ``mine`` learned since ``base`` (all in ``TemplateStore.to_json``
    form)."""
    if not stored.get("outlets"):
        return copy.deepcopy(mine)
    merged = copy.deepcopy(stored)
    outlets = merged.setdefault("outlets", {})
    base_outlets = (base or {}).get("outlets") or {}
    for outlet, now in (mine.get("outlets") or {}).items():
        before = base_outlets.get(outlet) or {"pages": 0.0, "urls": [], "lines": {}}
        target = outlets.setdefault(outlet, {"pages": 0.0, "urls": [], "lines": {}})
        target["pages"] = target.get("pages", 0.0) + max(0.0, now["pages"] - before["pages"])
        known = set(target.get("urls") or [])
        target["urls"] = list(target.get("urls") or []) + [
            u for u in now.get("urls") or [] if u not in known and u not in before["urls"]
        ]
        lines = target.setdefault("lines", {})
        for key, (count, sample) in (now.get("lines") or {}).items():
            old = (before.get("lines") or {}).get(key, [0.0, ""])[0]
            added = max(0.0, count - old)
            entry = lines.setdefault(key, [0.0, ""])
            entry[0] += added
            entry[1] = entry[1] or sample
    return merged


class SharedTemplates:
    """The learned templates of ``name`` in a state store with ``load_templates`` and
    ``save_templates`` (the PostgreSQL store)."""

    def __init__(self, store: Any, name: str):
        self.store = store
        self.name = name
        self.base: dict[str, Any] = {}

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> SharedTemplates | None:
        """The crawler's shared templates (None without a shared state store)."""
        if not setting_or_env(crawler.settings, STATE_URL_SETTING):
            return None
        store = store_for_crawler(crawler)
        if not hasattr(store, "save_templates"):
            return None
        return cls(store, getattr(crawler.spidercls, "name", "") or "default")

    def load_into(self, templates: TemplateStore) -> bool:
        """Replace ``templates``' state with the shared one; False when there is none yet."""
        doc = self.store.load_templates(self.name)
        if not doc:
            return False
        templates.load_json(doc)
        self.base = templates.to_json()
        return True

    def save(self, templates: TemplateStore) -> None:
        """Add what ``templates`` learned since loading to the shared state; go on from the
        merged state."""
        mine = templates.to_json()
        base = self.base
        merged = self.store.save_templates(
            self.name, mine, lambda stored, new: merge_learned(stored, base, new)
        )
        templates.load_json(merged)
        self.base = templates.to_json()
        templates.changed = 0
