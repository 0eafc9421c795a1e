"""The cleaning pipelines inside real crawls of the sample web: learned template lines, related
links tagged with their outlets, languages rejected with their reason, no boilerplate left."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import Any

import pytest

from newsbot import vocabulary
from newsbot.cleaning.templates import TemplateStore
from newsbot.registry import load_registry
from newsbot.sampleweb import SampleWebServer, expected
from newsbot.sampleweb.model import load as load_sample_web
from newsbot.text import compare_key
from newsbot.vocabulary.lines import load_phrasebook, load_phrasebook_file
from tests.crawling import CrawlResult, run_crawl

TEMPLATE_LINES = expected.template_lines()


def has_template_line(item: dict[str, Any]) -> bool:
    line = TEMPLATE_LINES.get(item["outlet_id"])
    return line is not None and compare_key(line) in {compare_key(p) for p in item["body"]}


@pytest.fixture(scope="module")
def rules_without_self_promotion(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The phrase file less the rules about an outlet advertising itself, so that only
    learning can catch the sample web's per-outlet promo lines."""
    text = vocabulary.read_text(vocabulary.PHRASES_FILE)
    kept = [
        line
        for line in text.splitlines()
        if line.startswith("#") or "\t" not in line or line.split("\t")[1] != "promo"
    ]
    path = tmp_path_factory.mktemp("rules") / "boilerplate.tsv"
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    book = load_phrasebook_file(path)
    registry = load_registry()
    for outlet_id, line in TEMPLATE_LINES.items():
        names = [f.value for f in registry.by_id(outlet_id).names]
        assert book.classify(line, names) is None
    return path


@pytest.fixture(scope="module")
def learning_runs(
    web: SampleWebServer,
    rules_without_self_promotion: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CrawlResult, CrawlResult, Path]:
    """Two runs sharing one learned-templates file, each with a fresh delivery state."""
    templates = tmp_path_factory.mktemp("learned") / "templates.json"
    settings = [
        "-s", f"NEWSBOT_BOILERPLATE_PATH={rules_without_self_promotion}",
        "-s", f"NEWSBOT_TEMPLATES_PATH={templates}",
    ]  # fmt: skip
    first = run_crawl(tmp_path_factory.mktemp("first"), web.base_url, *settings)
    second = run_crawl(tmp_path_factory.mktemp("second"), web.base_url, *settings)
    assert first.returncode == 0, first.log[-3000:]
    assert second.returncode == 0, second.log[-3000:]
    return first, second, templates


def test_sample_outlets_repeat_a_template_line(crawl: CrawlResult) -> None:
    assert len(TEMPLATE_LINES) >= 6


def test_template_lines_are_learned_and_persisted(
    learning_runs: tuple[CrawlResult, CrawlResult, Path],
) -> None:
    _, _, path = learning_runs
    store = TemplateStore()
    assert store.load(path)
    for outlet_id, line in TEMPLATE_LINES.items():
        assert compare_key(line) in {compare_key(t) for t in store.templates(outlet_id)}


def test_template_line_is_gone_from_every_article_once_learned(
    learning_runs: tuple[CrawlResult, CrawlResult, Path],
) -> None:
    first, _, _ = learning_runs
    by_outlet: dict[str, list[bool]] = collections.defaultdict(list)
    for item in first.items():
        if item["outlet_id"] in TEMPLATE_LINES:
            by_outlet[item["outlet_id"]].append(has_template_line(item))
    assert set(by_outlet) == set(TEMPLATE_LINES)
    for outlet_id, flags in by_outlet.items():
        learned_at = flags.index(False)
        assert not any(flags[learned_at:]), outlet_id
        assert learned_at <= 3, outlet_id


def test_the_next_run_is_clean_from_its_first_article(
    learning_runs: tuple[CrawlResult, CrawlResult, Path],
) -> None:
    _, second, _ = learning_runs
    items = second.items()
    assert len(items) >= 60
    assert not [item["canonical_url"] for item in items if has_template_line(item)]


def test_default_rules_leave_no_template_or_boilerplate_line(crawl: CrawlResult) -> None:
    book = load_phrasebook()
    registry = load_registry()
    items = crawl.items()
    assert not [item["canonical_url"] for item in items if has_template_line(item)]
    for item in items:
        names = [f.value for f in registry.by_id(item["outlet_id"]).names]
        for paragraph in item["body"]:
            rule = book.classify(paragraph, names)
            assert rule is None, (item["canonical_url"], paragraph, rule)


def test_inline_and_block_related_links_carry_their_outlets(crawl: CrawlResult) -> None:
    by_url = {item["canonical_url"]: item for item in crawl.items()}
    web = load_sample_web()
    inline = {a.url for a in web.articles.values() if a.inline_related}
    checked = inline_checked = 0
    for article in expected.expected_articles():
        item = by_url.get(article.canonical_url)
        if item is None:
            continue
        got = [(r["title"], r["url"], r["outlet_id"]) for r in item["related_links"]]
        assert got == [tuple(r) for r in article.related], article.canonical_url
        for link in item["related_links"]:
            assert link["outlet_name"] == load_registry().by_id(link["outlet_id"]).name_bn
        checked += 1
        inline_checked += article.url in inline
    assert checked >= 79
    assert inline_checked >= 15


def test_aggregator_labels_name_the_outlets(crawl: CrawlResult) -> None:
    seed_title = "পুতিনের আমন্ত্রণে রাশিয়ায় কিম জং উন"
    (item,) = [i for i in crawl.items() if i["title"] == seed_title]
    assert [r["outlet_id"] for r in item["related_links"]] == [
        "ittefaq", "bonikbarta", "prothomalo", "manabzamin", "nayadiganta", "bhorerkagoj",
    ]  # fmt: skip
    assert [r["label"] for r in item["related_links"]][:3] == [
        "দৈনিক ইত্তেফাক", "বণিক বার্তা", "প্রথমআলো",
    ]  # fmt: skip


def test_foreign_language_articles_are_in_the_rejects_feed(crawl: CrawlResult) -> None:
    rejected = {r["url"]: r for r in crawl.rejected()}
    foreign = expected.foreign_urls()
    assert sorted(foreign.values()) == ["as", "bn-Latn", "en", "hi"]
    for url, lang in foreign.items():
        assert rejected[url]["reason"] == f"language:{lang}"
        assert rejected[url]["title"]
        assert rejected[url]["outlet_id"]


def test_assamese_and_romanised_bengali_pages_are_dropped_with_their_evidence(
    crawl: CrawlResult,
) -> None:
    rejected = {r["url"]: r for r in crawl.rejected()}
    by_lang = {lang: url for url, lang in expected.foreign_urls().items()}
    assamese = rejected[by_lang["as"]]
    assert assamese["reason"] == "language:as"
    assert assamese["detail"].startswith("letters ") and "ৰ/ৱ in " in assamese["detail"]
    assert assamese["outlet_id"] == "songkolon"  # an Assamese page on a Bengali aggregator
    romanised = rejected[by_lang["bn-Latn"]]
    assert romanised["reason"] == "language:bn-Latn"
    assert romanised["detail"].startswith("markers ") and "romanised Bengali" in romanised["detail"]
    items = crawl.items()
    assert {i["language"] for i in items} == {"bn"}
    assert {i["language_method"] for i in items} == {"cld2"}
    assert all(0.5 <= i["language_confidence"] <= 1.0 for i in items)
