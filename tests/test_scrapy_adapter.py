"""Scrapy upgrade guard: every private Scrapy hook newsbot relies on is used in
``newsbot/scrapyadapter.py`` only, and is still there, with the parameters the adapter passes.
A failure here means: read the new Scrapy release's changes to these names and update the adapter
(then :data:`newsbot.scrapyadapter.SCRAPY_VERSION`)."""

from __future__ import annotations

import inspect
import re
import subprocess
from pathlib import Path
from typing import Any

import scrapy
from scrapy import Spider
from scrapy.core.engine import ExecutionEngine, _Slot
from scrapy.core.scraper import Scraper
from scrapy.core.scraper import Slot as ScraperSlot
from scrapy.extensions.feedexport import FeedExporter, FeedSlot
from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.test import get_crawler

from newsbot import scrapyadapter
from newsbot.delivery.exporter import DeliveryFeedExporter
from newsbot.scrapyadapter import SCRAPY_VERSION, FeedExporterAdapter

REPO = Path(__file__).resolve().parent.parent


def _params(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_scrapy_is_the_version_the_adapter_was_checked_against() -> None:
    assert scrapy.__version__ == SCRAPY_VERSION, (
        f"Scrapy {scrapy.__version__} is installed; newsbot/scrapyadapter.py was checked against "
        f"{SCRAPY_VERSION}: check its private hooks against the new release"
    )


def test_feed_exporter_private_hooks_are_still_there() -> None:
    assert _params(FeedExporter._settings_are_valid) == ["self"]
    assert "self._settings_are_valid()" in inspect.getsource(FeedExporter.__init__)
    assert _params(FeedExporter._schedule_slot_close) == ["self", "slot", "spider"]
    assert "self._schedule_slot_close(slot, spider)" in inspect.getsource(
        FeedExporter.item_scraped
    )
    assert isinstance(inspect.getattr_static(FeedExporter, "_get_file"), staticmethod)
    assert len(_params(FeedExporter._get_file)) == 1
    # the public methods newsbot's exporter extends or replaces
    assert _params(FeedExporter.open_spider) == ["self", "spider"]
    assert _params(FeedExporter.item_scraped) == ["self", "item", "spider"]
    assert inspect.iscoroutinefunction(FeedExporter.close_spider)


def test_feed_slot_attributes_the_exporter_reads() -> None:
    init = inspect.getsource(FeedSlot.__init__)
    for name in ("storage", "itemcount", "batch_id", "store_empty", "uri", "format", "file"):
        assert re.search(rf"self\.{name}\b[^=]*=", init), name
    assert _params(FeedSlot.start_exporting) == ["self"]
    assert _params(FeedSlot.finish_exporting) == ["self"]


def test_names_newsbot_adds_to_the_exporter_are_not_scrapys() -> None:
    # a later FeedExporter using one of these names would be silently overridden
    ours = set(vars(DeliveryFeedExporter)) | set(vars(FeedExporterAdapter))
    ours |= {"_closing", "_tasks", "_write_failed", "_stopping", "context"}
    ours -= {"__module__", "__doc__", "__init__", "__annotations__", "from_crawler",
             "open_spider", "close_spider", "item_scraped", "_settings_are_valid",
             "_schedule_slot_close", "__dict__", "__weakref__", "__static_attributes__",
             "__firstlineno__"}
    scrapys = set(dir(FeedExporter)) | set(
        re.findall(r"self\.(\w+)", inspect.getsource(FeedExporter))
    )
    assert not ours & scrapys, sorted(ours & scrapys)


def test_the_adapter_turns_the_hooks_into_its_methods(tmp_path: Path) -> None:
    """A real Scrapy FeedExporter run through the adapter: the batch placeholder newsbot uses is
    accepted only because validate_feeds replaced Scrapy's check, a full batch reaches
    batch_full (and not Scrapy's closing), and file_of gives the written file."""
    calls: list[str] = []

    class Probe(FeedExporterAdapter):
        full: list[FeedSlot]

        def validate_feeds(self) -> None:
            calls.append("validate")

        def batch_full(self, slot: FeedSlot, spider: Spider) -> None:
            self.full.append(slot)

    uri = str(tmp_path / "out-%(batch)s.jsonl")
    crawler = get_crawler(settings_dict={
        "FEEDS": {uri: {"format": "jsonlines", "batch_item_count": 2}},
        "FEED_URI_PARAMS": "tests.test_scrapy_adapter.batch_params",
    })
    exporter = Probe(crawler)
    exporter.full = []
    assert calls == ["validate"]
    spider = Spider(name="probe")
    exporter.open_spider(spider)
    for n in range(5):
        exporter.item_scraped({"n": n}, spider)
    assert [s.batch_id for s in exporter.full] == [1, 2]
    assert [s.batch_id for s in exporter.slots] == [3]
    first = exporter.full[0]
    first.finish_exporting()
    file = exporter.file_of(first)
    assert not file.closed or Path(file.name).exists()
    file.close()
    assert Path(first.uri).read_text().splitlines() == ['{"n": 0}', '{"n": 1}']
    # Scrapy's own check would have refused %(batch)s and disabled every feed
    assert not FeedExporter._settings_are_valid(exporter)


def batch_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """FEED_URI_PARAMS of the probe above: ``%(batch)s`` as newsbot names batches."""
    return {**params, "batch": f"{params['batch_id']:05d}"}


def test_scraper_closing_hook_is_still_there() -> None:
    # newsbot.scrapyadapter.finish_scraper_closing (the SIGTERM hang of scrapy/scrapy#7029)
    assert _params(Scraper._check_if_closing) == ["self"]
    source = inspect.getsource(Scraper._check_if_closing)
    assert "self.slot.closing" in source and "is_idle()" in source
    assert "self.slot = Slot(" in inspect.getsource(Scraper)
    assert "self.closing" in inspect.getsource(ScraperSlot.__init__)
    assert _params(ScraperSlot.is_idle) == ["self"]


def test_engine_slot_still_has_nextcall() -> None:
    # newsbot.scrapyadapter.wake_engine uses engine._slot.nextcall.schedule()
    assert "self._slot" in inspect.getsource(ExecutionEngine)
    assert "self.nextcall" in inspect.getsource(_Slot.__init__)
    crawler = get_crawler()
    assert scrapyadapter.wake_engine(crawler) is False  # no engine yet: nothing to wake
    assert scrapyadapter.finish_scraper_closing(crawler) == "done"


def test_private_scrapy_names_are_used_in_the_adapter_only() -> None:
    hooks = r"_settings_are_valid|_schedule_slot_close|_get_file|_check_if_closing|\._slot\b"
    found = subprocess.run(
        ["git", "grep", "-n", "-E", hooks, "--", "newsbot", "bench"],
        cwd=REPO, capture_output=True, text=True, check=False,
    ).stdout.splitlines()
    outside = [line for line in found if not line.startswith("newsbot/scrapyadapter.py:")]
    assert not outside, outside


def test_pipeline_manager_hook_of_the_crawl_benchmark() -> None:
    # bench/crawltimers.py (a benchmark instrument, never loaded by newsbot) wraps each
    # pipeline's process_item as ItemPipelineManager._add_middleware registers it
    assert _params(ItemPipelineManager._add_middleware) == ["self", "mw"]
    assert 'self.methods["process_item"]' in inspect.getsource(ItemPipelineManager)
