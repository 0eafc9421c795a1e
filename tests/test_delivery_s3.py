"""S3 delivery end to end: ``scrapy crawl`` uploading to a real S3-compatible server
(``moto_server`` on 127.0.0.1), read back with boto3."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsbot.exitcodes import ExitCode
from tests.crawling import bengali_article_urls
from tests.s3server import (
    MotoServer,
    env_for,
    feed_lines,
    local_feed_records,
    moto,  # noqa: F401  (fixture)
    run,
    why,
)

OUTLET = "prothomalo"
KEY = r"world/bn_world/\d{4}/\d\d/\d\d/\d{8}T\d{6}Z"


@pytest.fixture(scope="module")
def wanted() -> set[str]:
    return bengali_article_urls(OUTLET)


def test_feed_lands_in_the_bucket_under_a_clean_key(
    tmp_path: Path, web: Any, wanted: set[str], moto: MotoServer  # noqa: F811
) -> None:
    bucket = moto.new_bucket()
    env = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET=bucket, NEWSBOT_S3_PREFIX="world"))
    proc = run(tmp_path, env, OUTLET, "-s", "LOG_LEVEL=DEBUG")
    assert proc.returncode == ExitCode.OK, why(proc)
    objects = moto.objects(bucket)
    feeds = {k: v for k, v in objects.items() if k.endswith(".jsonl")}
    (key,) = feeds
    assert re.fullmatch(KEY + r"\.jsonl", key), key
    records = feed_lines(feeds[key])
    assert {r["canonical_url"] for r in records} == wanted and len(records) == len(wanted)
    assert "অ" in feeds[key].decode("utf-8")  # UTF-8, not \u escapes
    # the summary sits beside the feed, and locally
    summary = json.loads(objects[key.replace(".jsonl", ".summary.json")])
    assert summary["exit_code"] == 0
    assert summary["delivery"]["feeds"][0]["uri"] == f"s3://{bucket}/{key}"
    assert summary["delivery"]["feeds"][0]["status"] == "stored"
    assert local_feed_records(tmp_path) == []  # S3 replaces the local feed
    local = list((tmp_path / ".newsbot" / "summaries").rglob("*.summary.json"))
    assert len(local) == 1 and json.loads(local[0].read_text())["exit_code"] == 0
    # credentials never reach the log
    assert moto.secret_key not in proc.stderr and moto.access_key not in proc.stderr
    assert (tmp_path / ".newsbot" / "spool").is_dir()
    assert list((tmp_path / ".newsbot" / "spool").iterdir()) == []


def test_gzip_and_batches(
    tmp_path: Path, web: Any, wanted: set[str], moto: MotoServer  # noqa: F811
) -> None:
    bucket = moto.new_bucket()
    env = env_for(web.base_url, **moto.env(
        NEWSBOT_S3_BUCKET=bucket, NEWSBOT_S3_PREFIX="world",
        NEWSBOT_S3_GZIP="1", NEWSBOT_S3_BATCH_ITEMS="4",
    ))
    proc = run(tmp_path, env, OUTLET)
    assert proc.returncode == ExitCode.OK, why(proc)
    feeds = {k: v for k, v in moto.objects(bucket).items() if k.endswith(".jsonl.gz")}
    assert len(feeds) == -(-len(wanted) // 4)
    stamps = set()
    for n, key in enumerate(sorted(feeds), start=1):
        match = re.fullmatch(f"({KEY})-(\\d{{5}})\\.jsonl\\.gz", key)
        assert match, key
        stamps.add(match.group(1))
        assert int(match.group(2)) == n
        assert feeds[key][:2] == b"\x1f\x8b"
    assert len(stamps) == 1  # one run, one stamp; batches numbered
    urls = Counter(r["canonical_url"] for data in feeds.values() for r in feed_lines(data))
    assert set(urls) == wanted and max(urls.values()) == 1


def test_batches_without_placeholder_fail_loudly_before_crawling(tmp_path: Path, web: Any) -> None:
    feeds = {"feeds/%(name)s/%(stamp)s.jsonl": {"format": "jsonlines", "batch_item_count": 3}}
    proc = run(tmp_path, env_for(web.base_url), OUTLET, "-s", f"FEEDS={json.dumps(feeds)}")
    assert proc.returncode == ExitCode.CONFIG_ERROR
    assert "batch placeholder" in proc.stderr
    assert "Crawled (200)" not in proc.stderr and "Spider opened" not in proc.stderr
    assert not (tmp_path / "feeds").exists()


def test_credentials_in_settings_are_refused(
    tmp_path: Path, web: Any, moto: MotoServer  # noqa: F811
) -> None:
    env = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET="whatever"))
    secret = "Zz9-settings-secret-Zz9"
    proc = run(tmp_path, env, OUTLET, "-s", f"AWS_SECRET_ACCESS_KEY={secret}")
    assert proc.returncode == ExitCode.CONFIG_ERROR
    assert "must come from the environment" in proc.stderr
    assert secret not in proc.stderr
