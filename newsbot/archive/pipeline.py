"""Incremental state for archived captures: an older capture never overwrites a newer revision.

:class:`CaptureIncrementalPipeline` replaces the incremental pipeline in backfills. It dates each
article by its capture time (``fetched_at``, the WARC-Date) instead of now, and compares it with
the newest time the state has seen the article (``last_seen``: a live fetch or a later capture):

* captured before that and changed, with some version delivered or spooled: dropped as
  ``older_capture`` (the newer version stands);
* captured before that and the same: dropped as ``unchanged``; the state is not touched;
* otherwise the live rules apply (new: revision 0; changed: next revision; same: ``unchanged``),
  with the capture time recorded as when it was seen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter

from newsbot import clock
from newsbot.drops import Drop
from newsbot.pipelines.incremental import IncrementalPipeline
from newsbot.state import fingerprint, parse_time


class CaptureIncrementalPipeline(IncrementalPipeline):
    """See the module docstring."""

    def seen_at(self, adapter: ItemAdapter) -> datetime:
        return parse_time(adapter.get("fetched_at")) or clock.now()

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        canonical = adapter.get("canonical_url") or adapter.get("url")
        captured = parse_time(adapter.get("fetched_at"))
        known = self.store.lookup(canonical) if (canonical and self.enabled) else None
        latest = known.latest() if known is not None else None
        if known is not None and latest is not None and captured is not None \
                and known.last_seen is not None and captured < known.last_seen:
            fp = fingerprint(adapter.get("title"), adapter.get("body"))
            if latest.same_content(fp, adapter.get("source_fingerprint")):
                self._inc("unchanged")
                raise Drop("unchanged")
            self._inc("older_capture")
            raise Drop("older_capture", f"captured {captured.isoformat()}, a newer version "
                                        f"was seen {known.last_seen.isoformat()}")
        return super().process_item(item)
