"""Revisions mean the source changed: an unchanged site re-crawled any number of times emits
nothing, whatever the cleaner learned or was updated with between runs; one real edit emits
exactly one record, one revision higher."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from newsbot.sampleweb import expected
from newsbot.sampleweb.model import load
from newsbot.sampleweb.server import serve
from tests.crawling import SAMPLE_OUTLETS, written_feeds
from tests.s3server import env_for, run, why

# every article page fetched again in full on every run: no window, no schedule, no 304s
REFETCH_ALL = ("-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000",
               "-s", "NEWSBOT_REFETCH_SCHEDULE_HOURS=", "-s", "NEWSBOT_CONDITIONAL_REQUESTS=False")


def feed_records(workdir: Path, before: set[Path]) -> list[dict[str, Any]]:
    """Records of the main feeds written since ``before`` (checked against the schema)."""
    written = [p for p in written_feeds(workdir, before) if not p.name.endswith("rejects.jsonl")]
    return [json.loads(x) for p in written for x in p.read_text(encoding="utf-8").splitlines() if x]


def feeds(workdir: Path) -> set[Path]:
    return set(workdir.rglob("*.jsonl"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("revisions")
    # A phrase file that knows nothing: learning template lines does all the cleaning work.
    empty = workdir / "no-phrases.tsv"
    empty.write_text("# no rules\n", encoding="utf-8")
    no_phrases = ("-s", f"NEWSBOT_BOILERPLATE_PATH={empty}")
    base = load()
    changed = copy.deepcopy(base)
    target = next(a for a in changed.articles.values()
                  if a.outlet == "ittefaq" and a.lang == "bn")
    target.body[1] = target.body[1] + " পরে জানা যায়, নিহতের সংখ্যা আরও বেড়েছে।"
    out: dict[str, Any] = {"target": target.url, "records": []}
    server = serve(web=base)
    try:
        env = env_for(server.base_url)
        for extra in (no_phrases, no_phrases, no_phrases, ()):  # the last: the bundled phrases
            before = feeds(workdir)
            proc = run(workdir, env, SAMPLE_OUTLETS, *REFETCH_ALL, *extra, timeout=240)
            assert proc.returncode == 0, why(proc)
            out["records"].append(feed_records(workdir, before))
    finally:
        server.close()
    server = serve(web=changed)
    try:
        before = feeds(workdir)
        proc = run(workdir, env_for(server.base_url), SAMPLE_OUTLETS, *REFETCH_ALL,
                   *no_phrases, timeout=240)
        assert proc.returncode == 0, why(proc)
        out["edited"] = feed_records(workdir, before)
    finally:
        server.close()
    return out


def test_first_run_delivers_every_article(runs: dict[str, Any]) -> None:
    first = runs["records"][0]
    urls = {a.canonical_url for a in expected.expected_articles() if a.lang == "bn"}
    assert {r["canonical_url"] for r in first} == urls
    assert {r["revision"] for r in first} == {0}


def test_learning_templates_between_runs_makes_no_revision(runs: dict[str, Any]) -> None:
    assert runs["records"][1] == []
    assert runs["records"][2] == []


def test_a_new_phrase_file_makes_no_revision(runs: dict[str, Any]) -> None:
    # The cleaner now removes lines it kept before; the pages did not change.
    assert runs["records"][3] == []


def test_a_real_edit_emits_exactly_one_revision(runs: dict[str, Any]) -> None:
    edited = runs["edited"]
    assert [(r["canonical_url"], r["revision"]) for r in edited] == [(runs["target"], 1)]
    assert any("নিহতের সংখ্যা আরও বেড়েছে" in p for p in edited[0]["body"])
