"""Related-link outlets: which outlet each related link points to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from itemadapter import ItemAdapter
from scrapy.settings import BaseSettings

from newsbot import statskeys
from newsbot.pipelines.base import CountingPipeline
from newsbot.registry import Outlet, Registry, load_registry
from newsbot.text import clean_line, compare_key

# Stats keys carry the label; keep them readable and bounded.
MAX_LABEL_IN_STATS = 60


def stats_label(label: str) -> str:
    """``label`` as it may appear inside a stats key (no slashes, bounded length)."""
    return clean_line(label).replace("/", "∕")[:MAX_LABEL_IN_STATS]


class RelatedOutletsPipeline(CountingPipeline):
    """Gives every related link ``outlet_id`` and ``outlet_name`` from the label shown with it
    (any spelling the registry knows: "প্রথমআলো" is "প্রথম আলো", "দৈনিক" optional, precomposed or
    decomposed য়/ড়/ঢ়), else from the link's domain, else None; the raw label is kept. Links
    whose title repeats an earlier one (same ``compare_key``) are removed, as are links with
    neither title nor URL.

    Stats: ``newsbot/related_outlets/by_label``, ``…/by_domain``, ``…/unknown`` (links),
    ``…/unknown_label/<label>`` (labels the registry does not know: candidates for it),
    ``…/duplicate_title``, ``…/empty``.
    """

    stats_prefix = statskeys.RELATED_OUTLETS_PREFIX

    def __init__(self, settings: BaseSettings | Mapping[str, Any] | None = None, stats: Any = None,
                 registry: Registry | None = None):
        super().__init__(settings, stats)
        self.registry = registry or load_registry()

    def outlet_for(self, link: Mapping[str, Any]) -> tuple[Outlet | None, str]:
        """The outlet of a related link, and how it was found: ``label``, ``domain`` or
        ``unknown``."""
        label = link.get("label") or ""
        if label.strip():
            outlet = self.registry.by_name(label)
            if outlet is not None:
                return outlet, "label"
        url = link.get("url") or ""
        if url:
            outlet = self.registry.by_url(url)
            if outlet is not None:
                return outlet, "domain"
        return None, "unknown"

    def process_item(self, item: Any) -> Any:
        """Attribute and de-duplicate the item's related links (in place); return the item."""
        adapter = ItemAdapter(item)
        seen: set[str] = set()
        kept: list[dict[str, Any]] = []
        for link in adapter.get("related_links") or []:
            title_key = compare_key(link.get("title") or "")
            if not title_key and not link.get("url"):
                self._inc("empty")
                continue
            if title_key and title_key in seen:
                self._inc("duplicate_title")
                continue
            seen.add(title_key)
            outlet, how = self.outlet_for(link)
            link["outlet_id"] = outlet.id if outlet else None
            link["outlet_name"] = outlet.name_bn if outlet else None
            self._inc(f"by_{how}" if outlet else "unknown")
            label = link.get("label")
            if label and how != "label":
                self._inc(f"unknown_label/{stats_label(label)}")
            kept.append(link)
        if "related_links" in adapter:
            adapter["related_links"] = kept
        return item
