"""Archive while crawling: ``NEWSBOT_WARC_ENABLED=1`` writes every response the spider got into
gzip WARC files delivered like feeds (locally beside the feed, or to S3 under ``warc/``), and
``python -m newsbot reextract`` over them reproduces the live feed."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsbot.archive.records import iter_entries
from newsbot.exitcodes import ExitCode
from newsbot.registry import load_registry
from newsbot.sampleweb import SampleWebServer
from tests.crawling import CrawlResult, crawl_env, run_crawl
from tests.s3server import (
    MotoServer,
    deliver,
    env_for,
    free_port,
    moto,  # noqa: F401  (fixture)
    run,
    spool_manifests,
    why,
)

OUTLET = "prothomalo"


@pytest.fixture(scope="module")
def archived(web: SampleWebServer, tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    """A full crawl of the sample web with the archive on and small WARC files."""
    env = crawl_env(web.base_url, NEWSBOT_WARC_ENABLED="1", NEWSBOT_WARC_MAX_MB="0.15")
    result = run_crawl(tmp_path_factory.mktemp("archived"), web.base_url, env=env)
    assert result.returncode == 0, result.log[-3000:]
    return result


def warc_files(workdir: Path) -> list[Path]:
    return sorted(workdir.rglob("*.warc.gz"))


def read(path_or_bytes: Path | bytes) -> list[Any]:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    return list(iter_entries(io.BytesIO(data)))


def test_warc_files_are_rotated_and_stored_beside_the_feed(archived: CrawlResult) -> None:
    (feed,) = archived.feeds
    files = warc_files(archived.workdir)
    assert len(files) >= 3  # 0.15 MB each: rotated
    stem = feed.name.removesuffix(".jsonl")
    assert [f.name for f in files] == [f"{stem}-{n:05d}.warc.gz" for n in range(1, len(files) + 1)]
    assert {f.parent for f in files} == {feed.parent}
    assert spool_manifests(archived.workdir) == []
    summary = json.loads((archived.workdir / ".newsbot" / "last-run.json").read_text())
    stored = [f for f in summary["delivery"]["feeds"] if f["uri"].endswith(".warc.gz")]
    assert len(stored) == len(files) and {f["status"] for f in stored} == {"stored"}
    assert summary["exit_code"] == 0


def test_every_response_of_the_spider_is_archived_with_time_and_outlet(
    archived: CrawlResult,
) -> None:
    summary = json.loads((archived.workdir / ".newsbot" / "last-run.json").read_text())
    stats = summary["stats"]
    entries = [e for f in warc_files(archived.workdir) for e in read(f)]
    responses = [e for e in entries if e.kind == "capture"]
    requests = [e for e in entries if e.record_type == "request"]
    spider_responses = stats["response_received_count"] - stats["robotstxt/response_count"]
    assert len(responses) == len(requests) == spider_responses
    assert not [e for e in entries if e.kind == "drop"]
    kinds = {e.capture.kind for e in responses}
    assert {"article", "listing", "feed", "sitemap"} <= kinds
    registry = load_registry()
    started = summary["started_at"]
    for entry in responses:
        capture = entry.capture
        assert capture.outlet_id == registry.by_url(capture.url).id
        assert capture.date is not None and capture.date.isoformat() >= started
    # every article of the feed has its raw page in the archive
    archived_urls = {e.capture.url for e in responses}
    for item in archived.items():
        assert item["url"] in archived_urls


def run_reextract(workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = crawl_env("http://127.0.0.1:9")  # nothing is fetched
    return subprocess.run([sys.executable, "-m", "newsbot", "reextract", *args], cwd=workdir,
                          env=env, capture_output=True, text=True, timeout=300)


def test_reextract_reproduces_the_live_feed(archived: CrawlResult) -> None:
    files = [str(f) for f in warc_files(archived.workdir)]
    out = archived.workdir / "re" / "again.jsonl"
    proc = run_reextract(archived.workdir, *files, "-o", str(out), "-j", "2")
    assert proc.returncode == ExitCode.OK, proc.stderr[-3000:]
    live = {r["canonical_url"]: r for r in archived.items()}
    again = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    by_url = {r["canonical_url"]: r for r in again}
    assert len(by_url) == len(again)  # one record per canonical URL
    assert set(by_url) == set(live)
    for url, record in live.items():
        assert (by_url[url]["title"], by_url[url]["body"]) == (record["title"], record["body"])
        assert by_url[url]["outlet_id"] == record["outlet_id"]
        assert set(by_url[url]) == set(record)  # the feed's schema
    # the rejects feed sits beside the output; every page read is an item or a drop
    rejects = [json.loads(x) for x in (out.parent / "again.rejects.jsonl").read_text().splitlines()]
    summary = json.loads((out.parent / "again.summary.json").read_text())
    assert summary["pages"] == summary["items"] + summary["dropped"] == len(again) + len(rejects)
    assert summary["drops"]["not_article"] >= 1  # listings, feeds, sitemaps
    assert "reextract:" in proc.stderr and "pages/s" in proc.stderr


def test_reextract_output_order_is_stable(archived: CrawlResult) -> None:
    files = [str(f) for f in warc_files(archived.workdir)]
    one = archived.workdir / "order" / "one.jsonl"
    two = archived.workdir / "order" / "two.jsonl"
    assert run_reextract(archived.workdir, *files, "-o", str(one), "-j", "1").returncode == 0
    assert run_reextract(archived.workdir, *files, "-o", str(two), "-j", "2").returncode == 0
    urls_one = [json.loads(x)["canonical_url"] for x in one.read_text().splitlines()]
    urls_two = [json.loads(x)["canonical_url"] for x in two.read_text().splitlines()]
    assert urls_one == urls_two and urls_one


def test_reextract_refuses_a_missing_file(tmp_path: Path) -> None:
    proc = run_reextract(tmp_path, str(tmp_path / "nope.warc.gz"))
    assert proc.returncode == ExitCode.USAGE
    assert "no such file" in proc.stderr


def test_warc_files_go_to_s3_under_warc(
    tmp_path: Path, web: Any, moto: MotoServer  # noqa: F811
) -> None:
    bucket = moto.new_bucket()
    env = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET=bucket, NEWSBOT_S3_PREFIX="world",
                                           NEWSBOT_WARC_ENABLED="1"))
    proc = run(tmp_path, env, OUTLET)
    assert proc.returncode == ExitCode.OK, why(proc)
    objects = moto.objects(bucket)
    warcs = [k for k in objects if k.endswith(".warc.gz")]
    assert len(warcs) == 1 and warcs[0].startswith("world/warc/bn_world/"), warcs
    (feed,) = [k for k in objects if k.endswith(".jsonl")]
    summaries = [k for k in objects if k.endswith(".summary.json")]
    assert summaries == [feed.replace(".jsonl", ".summary.json")]
    captures = [e.capture for e in read(objects[warcs[0]]) if e.kind == "capture"]
    assert captures and {c.outlet_id for c in captures} == {OUTLET}
    assert list((tmp_path / ".newsbot" / "spool").iterdir()) == []


def test_unstored_warc_stays_in_the_spool_until_delivered_once(
    tmp_path: Path, web: Any
) -> None:
    server = MotoServer(free_port())
    bucket = "newsbot-warc-later"
    env = env_for(web.base_url, **server.env(NEWSBOT_S3_BUCKET=bucket, NEWSBOT_WARC_ENABLED="1"))
    proc = run(tmp_path, env, OUTLET, "-s", "NEWSBOT_S3_MAX_ATTEMPTS=1",
               "-s", "NEWSBOT_S3_CONNECT_TIMEOUT=2")
    assert proc.returncode == ExitCode.DELIVERY_FAILED, why(proc)
    sealed = [m for m in spool_manifests(tmp_path) if m["sealed"]]
    assert sorted(m["format"] for m in sealed) == ["jsonlines", "warc"]
    server.start()
    try:
        server.client().create_bucket(Bucket=bucket)
        done = deliver(tmp_path, env)
        assert done.returncode == ExitCode.OK, why(done)
        assert deliver(tmp_path, env).returncode == ExitCode.OK
        objects = server.objects(bucket)
        warcs = [k for k in objects if k.endswith(".warc.gz")]
        assert len(warcs) == 1 and spool_manifests(tmp_path) == []
        assert [e for e in read(objects[warcs[0]]) if e.kind == "capture"]
    finally:
        server.stop()


def test_reextract_shows_a_progress_bar_on_a_terminal(archived: CrawlResult) -> None:
    import fcntl
    import os
    import pty
    import struct
    import termios

    files = [str(f) for f in warc_files(archived.workdir)]
    out = archived.workdir / "tty" / "x.jsonl"
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "newsbot", "reextract", *files, "-o", str(out), "-j", "1"],
            cwd=archived.workdir, env=crawl_env("http://127.0.0.1:9"), stdout=subprocess.PIPE,
            stderr=follower, timeout=300)
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert proc.returncode == 0
    assert b"reextract: 100%" in shown and b"\r" in shown, shown[:2000]  # tqdm redraws
    # and none when the output is not a terminal
    piped = run_reextract(archived.workdir, *files, "-o", str(out), "-j", "1")
    assert "100%" not in piped.stderr
