"""A run killed with SIGKILL: the next run delivers every article that was not delivered, and
nothing delivered is delivered twice.

Three moments: mid-crawl (nothing stored yet), between batches (some batches stored), and after
the feed was sealed but while it was being uploaded (the S3 endpoint hangs)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.crawling import bengali_article_urls
from tests.s3server import (
    MotoServer,
    SilentEndpoint,
    env_for,
    feed_lines,
    kill,
    local_feed_records,
    moto,  # noqa: F401  (fixture)
    run,
    spool_manifests,
    start,
    wait_for,
    why,
)

OUTLETS = "prothomalo,kalerkantho"
# Slow the crawl down so that it can be killed in the middle.
SLOW = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.1",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1", "-s", "LOG_LEVEL=DEBUG"]


@pytest.fixture(scope="module")
def wanted() -> set[str]:
    return bengali_article_urls(*OUTLETS.split(","))


def scraped(workdir: Path) -> int:
    log = (workdir / "crawl.log").read_text(encoding="utf-8", errors="replace")
    return log.count("Scraped from <200")


def test_killed_mid_crawl(tmp_path: Path, web: Any, wanted: set[str]) -> None:
    env = env_for(web.base_url)
    proc = start(tmp_path, env, OUTLETS, *SLOW)
    wait_for(lambda: scraped(tmp_path) >= 4, what="four scraped items")
    kill(proc)
    # nothing half-written where feeds are delivered; the unfinished feed is in the spool
    assert local_feed_records(tmp_path) == []
    assert [m["sealed"] for m in spool_manifests(tmp_path)] == [False]

    done = run(tmp_path, env, OUTLETS)
    assert done.returncode == 0, why(done)
    urls = Counter(r["canonical_url"] for r in local_feed_records(tmp_path))
    assert set(urls) == wanted
    assert max(urls.values()) == 1
    assert spool_manifests(tmp_path) == []
    assert "Discarded the unfinished feed" in done.stderr


def test_killed_between_batches(tmp_path: Path, web: Any, wanted: set[str]) -> None:
    feeds = {"feeds/%(name)s/%(date)s/%(stamp)s-%(batch)s.jsonl": {
        "format": "jsonlines", "encoding": "utf-8", "batch_item_count": 3,
        "item_classes": ["newsbot.items.Article"],
    }}
    env = env_for(web.base_url)
    args = [*SLOW, "-s", f"FEEDS={json.dumps(feeds)}"]
    proc = start(tmp_path, env, OUTLETS, *args)
    wait_for(lambda: len(local_feed_records(tmp_path)) >= 6, what="two stored batches")
    kill(proc)
    first = local_feed_records(tmp_path)
    assert 6 <= len(first) < len(wanted)

    done = run(tmp_path, env, OUTLETS, "-s", f"FEEDS={json.dumps(feeds)}")
    assert done.returncode == 0, why(done)
    urls = Counter(r["canonical_url"] for r in local_feed_records(tmp_path))
    assert set(urls) == wanted
    assert max(urls.values()) == 1
    names = [p.name for p in (tmp_path / "feeds").rglob("*.jsonl") if "rejects" not in p.name]
    assert all(re.fullmatch(r"\d{8}T\d{6}Z-\d{5}\.jsonl", n) for n in names), names


def test_killed_while_uploading(
    tmp_path: Path, web: Any, wanted: set[str], moto: MotoServer  # noqa: F811
) -> None:
    hung = SilentEndpoint()
    bucket = moto.new_bucket()
    try:
        env = env_for(web.base_url, **moto.env(
            AWS_ENDPOINT_URL=hung.endpoint, NEWSBOT_S3_BUCKET=bucket,
        ))
        proc = start(tmp_path, env, OUTLETS, "-s", "NEWSBOT_S3_READ_TIMEOUT=60")
        wait_for(lambda: any(m["sealed"] for m in spool_manifests(tmp_path)), what="sealed feed")
        wait_for(lambda: hung.conns, what="upload attempt")
        kill(proc)
    finally:
        hung.close()
    (manifest,) = spool_manifests(tmp_path)
    assert manifest["sealed"] and manifest["items"] == len(wanted)

    env = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET=bucket))
    done = run(tmp_path, env, OUTLETS)
    assert done.returncode == 0, why(done)
    records = [
        r for key, data in moto.objects(bucket).items() if key.endswith(".jsonl")
        for r in feed_lines(data)
    ]
    urls = Counter(r["canonical_url"] for r in records)
    assert set(urls) == wanted
    assert max(urls.values()) == 1
    assert spool_manifests(tmp_path) == []
