"""The cleaning pipelines inside Scrapy's own item-pipeline manager (no spider argument)."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path

from scrapy.pipelines import ItemPipelineManager
from scrapy.utils.test import get_crawler

from newsbot.cleaning import CLEANING_PIPELINES
from newsbot.drops import Drop
from newsbot.extract.plaintext import read_plain_page
from newsbot.items import Article

SEED = Path(__file__).parent / "fixtures" / "seed" / "000_6a9de8de847cfd9f.txt"


def test_manager_runs_pipelines_in_order_and_counts_in_crawl_stats(tmp_path: Path) -> None:
    crawler = get_crawler(settings_dict={
        "ITEM_PIPELINES": CLEANING_PIPELINES,
        "NEWSBOT_TEMPLATES_PATH": str(tmp_path / "templates.json"),
    })
    article = read_plain_page(SEED.read_text("utf-8"), "https://www.songkolon.example/world/kim")
    article.body.insert(0, "আন্তর্জাতিক ডেস্ক")
    short_url = "https://www.songkolon.example/world/x"
    short = Article(url=short_url, canonical_url=short_url, title="ছোট", body=["সংক্ষিপ্ত খবর।"])

    async def crawl() -> tuple[Article, BaseException | None]:
        manager = ItemPipelineManager.from_crawler(crawler)
        assert [type(p).__name__ for p in manager.middlewares] == [
            "CanonicalPipeline", "SourceFingerprintPipeline", "TitleSiteNamePipeline",
            "NormalisePipeline",
            "BoilerplatePipeline", "DuplicateLinesPipeline",
            "RelatedOutletsPipeline", "ValidatePipeline", "LanguagePipeline"]
        await manager.open_spider_async()
        kept = await manager.process_item_async(article)
        error = None
        try:
            await manager.process_item_async(short)
        except Drop as exc:
            error = exc
        await manager.close_spider_async()
        return kept, error

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        kept, error = asyncio.run(crawl())
    assert kept.language == "bn" and len(kept.body) == 12 and kept.desk == "আন্তর্জাতিক ডেস্ক"
    assert isinstance(error, Drop) and error.reason == "too_short"
    stats = crawler.stats.get_stats()
    assert stats["newsbot/boilerplate/removed/desk"] == 1
    assert stats["newsbot/duplicates/sentence"] == 1
    assert stats["newsbot/related_outlets/by_label"] == 6
    assert stats["newsbot/language/detected/bn"] == 1
    assert stats["newsbot/validate/too_short"] == 1
    assert (tmp_path / "templates.json").exists()  # saved at close
