"""Source fingerprint: what the page said, before newsbot cleaned it.

Runs first (``ITEM_PIPELINES`` priority 290). It stamps the item's internal
``source_fingerprint`` with :func:`newsbot.state.fingerprint` over the title and body as extracted,
before any line was removed. The incremental pipeline counts an article as revised only when this
fingerprint *and* the cleaned one both changed, so what the cleaner learns or is updated with
(template lines, phrase files, a new release) never turns an unchanged page into a revision.
The field is not part of the record (``newsbot.items.record_fields``).
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newsbot import statskeys
from newsbot.pipelines.base import CountingPipeline
from newsbot.state import fingerprint


class SourceFingerprintPipeline(CountingPipeline):
    """Stamps ``source_fingerprint`` (kept when the item already has one).

    Stats: ``newsbot/source/stamped``."""

    stats_prefix = statskeys.SOURCE_PREFIX

    def process_item(self, item: Any) -> Any:
        """Return the item with its source fingerprint set."""
        adapter = ItemAdapter(item)
        if not adapter.get("source_fingerprint"):
            adapter["source_fingerprint"] = fingerprint(adapter.get("title"), adapter.get("body"))
            self._inc("stamped")
        return item
