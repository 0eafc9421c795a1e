"""Crawl-stats keys are named in ``newsbot.statskeys`` only, with the values the run summary,
the canary, the monitors, the report and the README read."""

from __future__ import annotations

import ast
from pathlib import Path

from newsbot import statskeys
from newsbot.pipelines.base import CountingPipeline
from newsbot.pipelines.validate import ValidatePipeline
from tests.crawling import REPO

PACKAGE = REPO / "newsbot"


def is_product_token(node: ast.JoinedStr) -> bool:
    """``f"newsbot/{__version__} …"``: the User-Agent and WARC ``software`` token, no stats key."""
    return (len(node.values) > 1 and isinstance(node.values[1], ast.FormattedValue)
            and ast.unparse(node.values[1].value) == "__version__")


def stats_key_literals(source: str, where: str) -> list[str]:
    """Strings of ``source`` that spell out a ``newsbot/…`` stats key."""
    tree = ast.parse(source, filename=where)
    in_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
                   for part in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and node.values \
                and isinstance(node.values[0], ast.Constant) \
                and str(node.values[0].value).startswith("newsbot/") \
                and not is_product_token(node):
            found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value.startswith("newsbot/") and id(node) not in in_fstrings:
            found.append(f"{where}:{node.lineno}: {node.value!r}")
    return found


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_scan_finds_a_stats_key_literal() -> None:
    # statskeys builds every key from PREFIX, the one literal
    hits = stats_key_literals(read(PACKAGE / "statskeys.py"), "statskeys.py")
    assert [hit.split(": ", 1)[1] for hit in hits] == ["'newsbot/'"]
    code = 'stats.inc_value("newsbot/pages/feed")\nx = f"newsbot/capped/{what}"\n' \
           'ua = f"newsbot/{__version__} (crawler)"\n'
    assert sorted(hit.split(": ", 1)[1] for hit in stats_key_literals(code, "sample.py")) == [
        "'newsbot/pages/feed'", "f'newsbot/capped/{what}'"]


def test_no_stats_key_is_spelt_out_outside_statskeys() -> None:
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) if path.name != "statskeys.py"
             for hit in stats_key_literals(read(path), str(path.relative_to(REPO)))]
    assert found == []


def test_keys_keep_their_values() -> None:
    assert statskeys.drop("language:en") == "newsbot/drop/language:en"
    assert statskeys.profile_pages("prothomalo") == "newsbot/profile/pages/prothomalo"
    assert statskeys.profile_miss("prothomalo", "title") == "newsbot/profile/miss/prothomalo/title"
    assert statskeys.capped("sitemap_depth") == "newsbot/capped/sitemap_depth"
    assert statskeys.refetch_skipped("ittefaq") == "newsbot/refetch/skipped/ittefaq"
    assert statskeys.refetch_not_modified("ittefaq") == "newsbot/refetch/not_modified/ittefaq"
    assert statskeys.delivery("stored") == "newsbot/delivery/stored"
    assert statskeys.backfill_records("response") == "newsbot/backfill/records/response"
    assert statskeys.warc_responses("article") == "newsbot/warc/responses/article"
    assert statskeys.INCREMENTAL_NEW == "newsbot/incremental/new"
    assert statskeys.SUMMARY_EXIT_CODE == "newsbot/summary/exit_code"
    assert statskeys.REJECTS_PATH == "newsbot/rejects/path"
    assert statskeys.EXTRACT_WORKERS_PEAK_RSS == "newsbot/extract_workers/peak_rss_mb"


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count


def test_pipelines_count_under_their_prefix() -> None:
    stats = _Stats()
    pipe = ValidatePipeline({}, stats)
    pipe.process_item({"url": "https://example.com/a", "canonical_url": "https://example.com/a",
                       "title": "শিরোনাম", "body": ["অনুচ্ছেদ " * 60]})
    assert stats.values == {"newsbot/validate/ok": 1}
    assert ValidatePipeline.stats_prefix == statskeys.VALIDATE_PREFIX
    assert CountingPipeline.stats_prefix == statskeys.PREFIX
