"""newsbot.cleaning: the pipelines outside a crawl, clean_file and `python -m newsbot clean`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import newsbot.extract
from newsbot.cleaning import (
    CLEANING_PIPELINES,
    CleaningStats,
    clean_article,
    cleaning_settings,
    pipeline_order,
)
from newsbot.cleaning.command import clean_file, main
from newsbot.extract.guard import ExtractionError
from newsbot.items import Article, related_link

P1 = ("গাজায় যুদ্ধবিরতির আলোচনা নতুন করে শুরু হয়েছে কায়রোতে। মিসর ও কাতারের মধ্যস্থতায় দুই "
      "পক্ষের প্রতিনিধিরা সেখানে বৈঠক করছেন।")
P2 = ("জাতিসংঘের মহাসচিব আন্তোনিও গুতেরেস এক বিবৃতিতে বলেছেন, মানবিক সহায়তা পৌঁছাতে অবিলম্বে "
      "যুদ্ধ থামাতে হবে। তিনি দুই পক্ষকে সংযত থাকার আহ্বান জানান।")
URL = "https://www.prothomalo.com/world/middle-east/k7Yx2mPq9A"
EN = ("Ceasefire talks on Gaza resumed in Cairo on Tuesday, with Egyptian and Qatari mediators "
      "shuttling between the delegations. The United Nations warned that aid deliveries had "
      "almost stopped, and aid agencies said that fuel for hospitals would run out within days "
      "unless the crossings reopened.")


def bn_article(**kw) -> Article:
    fields = {"url": URL, "canonical_url": URL, "outlet_id": "prothomalo", "title": "গাজায় আলোচনা",
              "body": ["আন্তর্জাতিক ডেস্ক", P1, f"{P2} {P2}", "ছবি: রয়টার্স", P1,
                       "আরও পড়ুন", "লেবাননে যুদ্ধবিরতি কার্যকর"],
              "related_links": [related_link("সুদানে দুর্ভিক্ষ", None, "দৈনিক যুগান্তর")]}
    fields.update(kw)
    return Article(**fields)


def test_settings_spread_the_cleaning_pipelines() -> None:
    from newsbot import settings

    for path, priority in CLEANING_PIPELINES.items():
        assert settings.ITEM_PIPELINES[path] == priority
    assert pipeline_order() == sorted(CLEANING_PIPELINES, key=CLEANING_PIPELINES.get)


def test_order_follows_item_pipelines() -> None:
    swapped = {**CLEANING_PIPELINES, "newsbot.pipelines.language.LanguagePipeline": 1}
    order = pipeline_order(cleaning_settings({"ITEM_PIPELINES": swapped}))
    assert order[0] == "newsbot.pipelines.language.LanguagePipeline"
    disabled = {**CLEANING_PIPELINES, "newsbot.pipelines.validate.ValidatePipeline": None}
    assert "newsbot.pipelines.validate.ValidatePipeline" not in pipeline_order(
        cleaning_settings({"ITEM_PIPELINES": disabled}))


def test_clean_article_runs_every_pipeline_and_leaves_input_alone() -> None:
    article = bn_article()
    stats = CleaningStats()
    record, reason = clean_article(article, {"NEWSBOT_TEMPLATES_PATH": ""}, stats)
    assert reason is None
    assert record["body"] == [P1, P2]
    assert record["desk"] == "আন্তর্জাতিক ডেস্ক"
    assert record["related_links"][0]["outlet_id"] == "jugantor"
    assert record["language"] == "bn"
    assert article.body[0] == "আন্তর্জাতিক ডেস্ক" and article.language is None
    got = stats.get_stats()
    assert got["newsbot/boilerplate/removed/caption"] == 1
    assert got["newsbot/duplicates/paragraph"] == 1
    assert got["newsbot/validate/ok"] == 1


def test_dropped_record_is_returned_with_reason() -> None:
    stats = CleaningStats()
    record, reason = clean_article(bn_article(title="Gaza talks resume", body=[EN]), None, stats)
    assert reason == "language:en"
    assert record["language"] == "en"
    assert stats.get_value("newsbot/drop/language:en") == 1
    record, reason = clean_article({**record, "body": ["ছোট খবর।"]})
    assert reason == "too_short"


def test_text_only_skips_validation_and_language() -> None:
    record, reason = clean_article(bn_article(body=["ছবি: এএফপি", "ছোট খবর।"]), text_only=True)
    assert reason is None
    assert record["body"] == ["ছোট খবর।"]
    assert record["language"] is None


def test_clean_file_plain_text_with_url(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(f"গাজায় আলোচনা\n\n{P1}\n\n{P2}\n\nশেয়ার করুন\n", "utf-8")
    record = clean_file(page, url="https://www.prothomalo.com/world/asia/abc1", templates=False)
    assert record["outlet_id"] == "prothomalo"
    assert record["body"] == [P1, P2]
    assert record["dropped"] is None and record["fetched_at"]
    record = clean_file(page, templates=False)
    assert record["url"].startswith("file://") and record["url"].endswith("/page.txt")


def test_clean_file_html_goes_to_the_extractor(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def fake_extract_html(html: bytes, url: str) -> Article:
        calls.append((html, url))
        return bn_article(url=url, canonical_url=url)

    monkeypatch.setattr(newsbot.extract, "extract_html", fake_extract_html)
    page = tmp_path / "saved"
    page.write_bytes(b"\n  <!DOCTYPE html><html><body><p>x</p></body></html>")
    record = clean_file(page, url=URL, templates=False)
    assert calls and calls[0][1] == URL and calls[0][0].lstrip().startswith(b"<!DOCTYPE")
    assert record["body"] == [P1, P2] and record["dropped"] is None


def test_clean_file_extraction_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def rejecting(html: bytes, url: str) -> Article:
        raise ExtractionError("no_article_text", url)

    monkeypatch.setattr(newsbot.extract, "extract_html", rejecting)
    page = tmp_path / "x.html"
    page.write_text("<html></html>", "utf-8")
    record = clean_file(page, url=URL)
    assert record["dropped"] == "no_article_text" and record["url"] == URL


def test_main_prints_json_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    page = tmp_path / "page.txt"
    page.write_text(f"Gaza talks resume\n\n{EN}\n", "utf-8")
    assert main([str(page), "--no-templates"]) == 0
    out = capsys.readouterr().out
    record = json.loads(out)
    assert record["dropped"] == "language:en"
    assert '\n  "title": "Gaza talks resume"' in out  # indent=2
    assert main([str(tmp_path / "missing.txt")]) == 2
    # a page without an article: its reason printed, exit 1 as `extract` gives
    binary = tmp_path / "binary.html"
    binary.write_bytes(bytes(range(256)) * 4)
    capsys.readouterr()
    assert main([str(binary)]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["dropped"] == "binary_content" and "no article" in err
