"""The drop ledger: every page or item that does not become a feed line is counted, logged with
its URL and reason, and written to the rejects feed, so nothing is lost silently."""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler

from newsbot import clock, conf, statskeys
from newsbot.delivery.uri import uri_params_for
from newsbot.drops import drop_reason
from newsbot.fileio import write_atomic
from newsbot.signals import page_dropped
from newsbot.text import valid_text

logger = logging.getLogger(__name__)


def rejects_path(crawler: Crawler) -> Path:
    """Where this run's rejects feed goes: ``NEWSBOT_REJECTS_URI`` filled with the feed params."""
    template = conf.get(crawler.settings, "NEWSBOT_REJECTS_URI")
    params = uri_params_for(crawler, crawler.spider)
    return Path(template % params)


class DropLedger:
    """Counts drops under ``newsbot/drop/<reason>``, logs each with its URL, and writes one JSON
    line per drop to the rejects feed
    (``NEWSBOT_REJECTS_ENABLED``, on by default; ``NEWSBOT_REJECTS_SKIP`` lists reasons that are
    counted but not written, such as ``unchanged`` in incremental runs)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.write_rejects = conf.getbool(crawler.settings, "NEWSBOT_REJECTS_ENABLED")
        self.skip = set(conf.getlist(crawler.settings, "NEWSBOT_REJECTS_SKIP"))
        self.path: Path | None = None
        self._file: IO[str] | None = None
        self.written = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DropLedger:
        ledger = cls(crawler)
        crawler.signals.connect(ledger.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ledger.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ledger.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ledger.page_dropped, signal=page_dropped)
        return ledger

    def spider_opened(self, spider: Any) -> None:
        if self.write_rejects:
            self.path = rejects_path(self.crawler)
            self.stats.set_value(statskeys.REJECTS_PATH, str(self.path))

    def item_dropped(self, item: Any, response: Any, exception: BaseException, spider: Any) -> None:
        adapter = ItemAdapter(item)
        self.record(
            url=adapter.get("url") or getattr(response, "url", ""),
            reason=drop_reason(exception),
            detail=getattr(exception, "detail", "") or "",
            outlet_id=adapter.get("outlet_id"),
            title=adapter.get("title"),
            language=adapter.get("language"),
        )

    def page_dropped(
        self, url: str, reason: str, detail: str, outlet_id: str | None, response: Any = None
    ) -> None:
        self.record(url=url, reason=reason, detail=detail, outlet_id=outlet_id)

    def record(self, *, url: str, reason: str, detail: str = "", **fields: Any) -> None:
        """Count, log and (unless disabled for the reason) write one drop."""
        self.stats.inc_value(statskeys.drop(reason))
        logger.info("Dropped %s: %s%s", url, reason, f" ({detail})" if detail else "")
        if not self.write_rejects or reason in self.skip or self.path is None:
            return
        line = {"reason": reason, "detail": detail or None, "url": url, **fields}
        # a title or detail straight from a hostile page may hold lone surrogates
        line = {k: valid_text(v) if isinstance(v, str) else v for k, v in line.items()}
        line["dropped_at"] = clock.now().isoformat()
        self._open().write(json.dumps(line, ensure_ascii=False) + "\n")
        self.written += 1

    def _open(self) -> IO[str]:
        if self._file is None:
            # Written in the spool and put in place at close: a killed run leaves no
            # half-written rejects feed among the feeds.
            self._partial.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self._partial, "w", encoding="utf-8")  # noqa: SIM115
        return self._file

    @property
    def _partial(self) -> Path:
        assert self.path is not None
        spool = Path(conf.get_or_default(self.crawler.settings, "NEWSBOT_SPOOL_DIR"))
        return spool / "rejects" / f"{os.getpid()}-{self.path.name}.part"

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._file is None or self.path is None:
            return
        self._file.close()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, self._partial.read_bytes())
        self._partial.unlink()
        with contextlib.suppress(OSError):  # left only while another run still writes in it
            self._partial.parent.rmdir()
        self.stats.set_value(statskeys.REJECTS_WRITTEN, self.written)
        logger.info("Rejects feed: %d lines in %s", self.written, self.path)
