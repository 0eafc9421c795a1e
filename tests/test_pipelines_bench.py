"""The pipeline benchmark runs and reports every stage (no timing is asserted)."""

from __future__ import annotations

from bench.bench_pipelines import main, seed_articles


def test_bench_reports_each_stage_and_the_langdetect_ratio() -> None:
    lines: list[str] = []
    assert main(["--rounds", "1", "--source", "seed"], out=lines.append) == 0
    report = "\n".join(lines)
    for stage in ("NormalisePipeline", "BoilerplatePipeline", "DuplicateLinesPipeline",
                  "RelatedOutletsPipeline", "ValidatePipeline", "LanguagePipeline",
                  "whole chain", "langdetect alone, uncapped", "chain / langdetect alone"):
        assert stage in report
    assert "language:en" in report  # the English copies take the langdetect path


def test_dressed_articles_carry_boilerplate() -> None:
    article = seed_articles(1)[0]
    assert article.body[0] == "আন্তর্জাতিক ডেস্ক"
    assert "এই বিভাগের আরও খবর" in article.body and "শেয়ার করুন" in article.body
    assert len(article.related_links) == 7  # six links, one of them twice
