"""Incremental runs end to end: ``scrapy crawl`` three times in one working directory against
the sample web, with one article's text changed between the first and second run."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from newsbot import clock
from newsbot.sampleweb import expected
from newsbot.sampleweb.model import load
from newsbot.sampleweb.server import serve
from newsbot.state import SQLiteStateStore, parse_time
from tests.s3server import env_for, local_feed_records, run, why

OUTLET = "prothomalo"


def summary(workdir: Path) -> dict[str, Any]:
    return json.loads((workdir / ".newsbot" / "last-run.json").read_text(encoding="utf-8"))


def new_records(workdir: Path, before: set[Path]) -> list[dict[str, Any]]:
    paths = {p for p in feed_paths(workdir) if not p.name.endswith("rejects.jsonl")}
    records = []
    for path in sorted(paths - before):
        records += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    return records


def feed_paths(workdir: Path) -> set[Path]:
    return set((workdir / "feeds").rglob("*.jsonl"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("incremental")
    base = load()
    wanted = [
        a for a in expected.expected_articles(base) if a.lang == "bn" and a.outlet_id == OUTLET
    ]
    changed = copy.deepcopy(base)
    target = next(a for a in changed.articles.values() if a.url == wanted[0].url)
    target.body = [*target.body[:-1], target.body[-1] + " সংশোধনী: তথ্যটি হালনাগাদ করা হয়েছে।"]
    out: dict[str, Any] = {"workdir": workdir, "wanted": wanted, "changed_url": wanted[0].url}

    server = serve(web=base)
    try:
        proc = run(workdir, env_for(server.base_url), OUTLET)
        out["run1"] = (proc, local_feed_records(workdir), summary(workdir))
    finally:
        server.close()

    server = serve(web=changed)
    try:
        before = feed_paths(workdir)
        # a window wider than the sample web's age, no schedule, no conditional requests: every
        # article page is fetched again in full
        proc = run(workdir, env_for(server.base_url), OUTLET,
                   "-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000",
                   "-s", "NEWSBOT_REFETCH_SCHEDULE_HOURS=",
                   "-s", "NEWSBOT_CONDITIONAL_REQUESTS=False")
        out["run2"] = (proc, new_records(workdir, before), summary(workdir))
        before = feed_paths(workdir)
        proc = run(workdir, env_for(server.base_url), OUTLET)  # default 48 h window
        out["run3"] = (proc, new_records(workdir, before), summary(workdir))
    finally:
        server.close()
    return out


def test_first_run_emits_every_article_as_revision_zero(runs: dict[str, Any]) -> None:
    proc, records, summ = runs["run1"]
    assert proc.returncode == 0, why(proc)
    assert sorted(r["canonical_url"] for r in records) == sorted(
        a.canonical_url for a in runs["wanted"]
    )
    assert {r["revision"] for r in records} == {0}
    assert summ["items"]["new"] == len(runs["wanted"])


def test_second_run_emits_only_the_changed_article_as_a_revision(runs: dict[str, Any]) -> None:
    proc, records, summ = runs["run2"]
    assert proc.returncode == 0, why(proc)
    assert [(r["canonical_url"], r["revision"]) for r in records] == [(runs["changed_url"], 1)]
    assert "সংশোধনী" in records[0]["body"][-1]
    assert summ["items"]["unchanged"] == len(runs["wanted"]) - 1
    assert summ["drops"]["unchanged"] == len(runs["wanted"]) - 1
    assert summ["items"]["refetch_skipped"] == 0


def test_state_keeps_fingerprints_and_times(runs: dict[str, Any]) -> None:
    store = SQLiteStateStore(runs["workdir"] / ".newsbot" / "state.sqlite3")
    try:
        delivered = store.delivered_urls()
        assert set(delivered) == {a.canonical_url for a in runs["wanted"]}
        assert delivered[runs["changed_url"]].revision == 1
        state = store.lookup(runs["changed_url"])
        assert state.first_seen is not None and state.last_seen >= state.first_seen
        assert state.fingerprint == delivered[runs["changed_url"]].fingerprint
    finally:
        store.close()


def test_old_delivered_articles_are_not_refetched_listings_are(runs: dict[str, Any]) -> None:
    proc, records, summ = runs["run3"]
    assert proc.returncode == 0, why(proc)
    assert records == []
    now = clock.now()
    old = [
        a for a in runs["wanted"]
        if now - (parse_time(a.published) or now) >= timedelta(hours=48)
    ]
    stats = summ["stats"]
    assert stats.get("newsbot/refetch/skipped", 0) == len(old)
    assert stats.get(f"newsbot/refetch/skipped/{OUTLET}", 0) == len(old)
    # young articles were fetched again and found unchanged
    assert summ["items"]["unchanged"] == len(runs["wanted"]) - len(old)
    # listing pages and feeds are fetched on every run
    first = runs["run1"][2]["stats"]
    assert stats["newsbot/pages/listing"] == first["newsbot/pages/listing"] > 0
    assert stats.get("newsbot/pages/feed", 0) == first.get("newsbot/pages/feed", 0)
    # the canary counts skipped articles as found
    assert summ["canary"]["outlets"][OUTLET]["found"] >= len(runs["wanted"])
