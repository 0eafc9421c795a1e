"""Operator faults around delivery: a misspelled bucket, a spool that cannot be written, a
forced shutdown, credentials in the endpoint URL, a damaged spool entry. Each ends with a clear
exit code; nothing stays stuck, nothing is lost or delivered twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsbot.delivery.targets import redact_url
from newsbot.exitcodes import ExitCode
from tests.crawling import bengali_article_urls
from tests.s3server import (
    MotoServer,
    SilentEndpoint,
    crawl_cmd,
    deliver,
    env_for,
    feed_lines,
    local_feed_records,
    moto,  # noqa: F401  (fixture)
    run,
    spool_manifests,
    start,
    wait_for,
    why,
)

OUTLET = "prothomalo"
OTHER = "jugantor"


def last_run(workdir: Path) -> dict[str, Any]:
    return json.loads((workdir / ".newsbot" / "last-run.json").read_text(encoding="utf-8"))


def in_bucket(server: MotoServer, bucket: str) -> Counter[str]:
    """canonical_url -> how many feed lines in the bucket hold it."""
    return Counter(
        r["canonical_url"]
        for key, data in server.objects(bucket).items()
        if key.endswith((".jsonl", ".jsonl.gz"))
        for r in feed_lines(data)
    )


def test_spooled_feed_follows_the_corrected_bucket(
    tmp_path: Path, web: Any, moto: MotoServer  # noqa: F811
) -> None:
    right = moto.new_bucket()
    wrong = right + "-typo"
    proc = run(tmp_path, env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET=wrong)), OUTLET)
    assert proc.returncode == ExitCode.DELIVERY_FAILED, why(proc)
    (entry,) = spool_manifests(tmp_path)
    assert entry["sealed"] and entry["s3_key"] and wrong in entry["uri"]

    fixed = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET=right))
    done = deliver(tmp_path, fixed)
    assert done.returncode == ExitCode.OK, why(done)
    assert f"s3://{right}/{entry['s3_key']}" in done.stderr  # said where it went
    urls = in_bucket(moto, right)
    assert set(urls) == bengali_article_urls(OUTLET) and max(urls.values()) == 1
    assert len(urls) == entry["items"]
    assert spool_manifests(tmp_path) == []
    # the next run knows they were delivered
    nxt = run(tmp_path, fixed, OUTLET, "-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000")
    assert nxt.returncode == ExitCode.OK, why(nxt)
    assert max(in_bucket(moto, right).values()) == 1


def test_spool_that_cannot_be_written_fails_the_run(tmp_path: Path, web: Any) -> None:
    spool = tmp_path / ".newsbot" / "spool"
    spool.parent.mkdir(parents=True)
    spool.write_text("a file where the spool directory should be\n")
    proc = run(tmp_path, env_for(web.base_url), OUTLET)
    assert proc.returncode == ExitCode.DELIVERY_FAILED, why(proc)
    assert f"the spool {Path('.newsbot/spool')} cannot be written" in proc.stderr
    summary = last_run(tmp_path)
    assert summary["exit_code"] == ExitCode.DELIVERY_FAILED and summary["delivery"]["failed"]
    assert summary["finish_reason"] == "spool_unwritable"
    assert summary["items"]["scraped"] == 0 and local_feed_records(tmp_path) == []

    spool.unlink()
    again = run(tmp_path, env_for(web.base_url), OUTLET)
    assert again.returncode == ExitCode.OK, why(again)
    records = local_feed_records(tmp_path)
    assert {r["canonical_url"] for r in records} == bengali_article_urls(OUTLET)


def test_read_only_spool_fails_the_run(tmp_path: Path, web: Any) -> None:
    spool = tmp_path / ".newsbot" / "spool"
    spool.mkdir(parents=True)
    spool.chmod(0o555)
    # root ignores permissions: run the crawl without the capability that lets it
    no_override = (["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]
                   if os.geteuid() == 0 else [])
    try:
        proc = subprocess.run([*no_override, *crawl_cmd(OUTLET)], cwd=tmp_path,
                              env=env_for(web.base_url), capture_output=True, text=True,
                              timeout=120)
    finally:
        spool.chmod(0o755)
    assert proc.returncode == ExitCode.DELIVERY_FAILED, why(proc)
    assert "cannot be written (Permission denied)" in proc.stderr
    assert last_run(tmp_path)["delivery"]["failed"] and local_feed_records(tmp_path) == []


def test_full_spool_fails_the_run(tmp_path: Path, web: Any) -> None:
    spool = tmp_path / ".newsbot" / "spool"
    spool.mkdir(parents=True)
    # the start-up check writes here: /dev/full answers every write with ENOSPC
    (spool / ".write-probe").symlink_to("/dev/full")
    proc = run(tmp_path, env_for(web.base_url), OUTLET)
    assert proc.returncode == ExitCode.DELIVERY_FAILED, why(proc)
    assert "cannot be written (No space left on device)" in proc.stderr
    assert last_run(tmp_path)["delivery"]["failed"] and local_feed_records(tmp_path) == []


class DiskFillsUp:
    """Test helper (a spider middleware run inside the crawl): after the first article page,
    the spool's feed file behaves as on a full disk (its descriptor now points at /dev/full,
    which answers every write with ENOSPC)."""

    def __init__(self) -> None:
        self.filled = False

    def _fill(self, response: Any) -> None:
        # the feed file is opened with the first item: swap it once it is open
        if self.filled or response.meta.get("newsbot_kind") != "article":
            return
        full = os.open("/dev/full", os.O_WRONLY)
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if "/spool/" in target and target.endswith(".data"):
                os.dup2(full, int(fd))
                self.filled = True
        os.close(full)

    def process_spider_output(self, response: Any, result: Any) -> Any:
        yield from result
        self._fill(response)

    async def process_spider_output_async(self, response: Any, result: Any) -> Any:
        async for item in result:
            yield item
        self._fill(response)


def test_spool_filling_up_mid_run_fails_the_run(tmp_path: Path, web: Any) -> None:
    mw = json.dumps({f"{__name__}.DiskFillsUp": 1})
    proc = run(tmp_path, env_for(web.base_url), OUTLET, "-s", f"SPIDER_MIDDLEWARES={mw}",
               "-s", "CONCURRENT_REQUESTS=1")
    assert proc.returncode == ExitCode.DELIVERY_FAILED, why(proc)
    assert "could not write the feed in the spool: No space left on device" in proc.stderr
    assert "The spool cannot take the feed" in proc.stderr
    summary = last_run(tmp_path)
    assert summary["delivery"]["failed"] and local_feed_records(tmp_path) == []
    assert not any(m["sealed"] for m in spool_manifests(tmp_path))  # never stored half

    again = run(tmp_path, env_for(web.base_url), OUTLET)
    assert again.returncode == ExitCode.OK, why(again)
    counts = Counter(r["canonical_url"] for r in local_feed_records(tmp_path))
    assert set(counts) == bengali_article_urls(OUTLET) and max(counts.values()) == 1


def test_second_sigterm_is_never_exit_0(
    tmp_path: Path, web: Any, moto: MotoServer  # noqa: F811
) -> None:
    bucket = moto.new_bucket()
    hung = SilentEndpoint()  # the feed's upload at close hangs: the close is slow
    try:
        env = env_for(web.base_url, **moto.env(
            NEWSBOT_S3_BUCKET=bucket, AWS_ENDPOINT_URL=hung.endpoint))
        proc = start(tmp_path, env, OUTLET, "-s", "NEWSBOT_S3_READ_TIMEOUT=4",
                     "-s", "NEWSBOT_S3_MAX_ATTEMPTS=1", "-s", "CLOSESPIDER_ITEMCOUNT=3")
        log = tmp_path / "crawl.log"
        wait_for(lambda: hung.conns, what="the upload at close")
        proc.send_signal(signal.SIGTERM)
        wait_for(lambda: "shutting down gracefully" in log.read_text(), what="first SIGTERM")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        hung.close()
    text = log.read_text(encoding="utf-8")
    assert proc.returncode == ExitCode.INTERRUPTED, text[-3000:]
    assert "The crawl was stopped before it could finish (forced_shutdown)" in text
    summary = last_run(tmp_path)
    assert summary["finish_reason"] == "forced_shutdown"
    assert summary["exit_code"] == ExitCode.INTERRUPTED and "interrupted" in summary["problems"]

    # nothing stuck: the sealed feed is stored once by `deliver`, the rest by the next run
    fixed = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET=bucket))
    assert deliver(tmp_path, fixed).returncode == ExitCode.OK
    nxt = run(tmp_path, fixed, OUTLET, "-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000")
    assert nxt.returncode == ExitCode.OK, why(nxt)
    urls = in_bucket(moto, bucket)
    assert set(urls) == bengali_article_urls(OUTLET) and max(urls.values()) == 1


SECRET = "wJalrXUtnFEMI-endpoint-secret-0042"


@pytest.mark.parametrize("endpoint", [
    f"http://AKIAENDPOINTUSER:{SECRET}@127.0.0.1:9",
    f"AKIAENDPOINTUSER:{SECRET}@127.0.0.1:9",
    f"http://127.0.0.1:9/?X-Amz-Credential=AKIA&X-Amz-Signature={SECRET}",
])
def test_credentials_in_the_endpoint_url_are_refused(
    tmp_path: Path, web: Any, endpoint: str
) -> None:
    env = env_for(web.base_url, NEWSBOT_S3_BUCKET="newsbot-x", AWS_ENDPOINT_URL=endpoint,
                  AWS_ACCESS_KEY_ID="AKIAX", AWS_SECRET_ACCESS_KEY="x")
    proc = run(tmp_path, env, OUTLET)
    assert proc.returncode == ExitCode.CONFIG_ERROR, why(proc)
    assert "AWS_ENDPOINT_URL must not carry credentials" in proc.stderr
    done = deliver(tmp_path, env)
    assert done.returncode == ExitCode.CONFIG_ERROR, why(done)
    # also when given as a setting (Scrapy would log it among the overridden settings)
    as_setting = run(tmp_path, {k: v for k, v in env.items() if k != "AWS_ENDPOINT_URL"},
                     OUTLET, "-s", f"AWS_ENDPOINT_URL={endpoint}")
    assert as_setting.returncode == ExitCode.CONFIG_ERROR, why(as_setting)
    for text in (proc.stderr, done.stderr, as_setting.stderr):
        assert SECRET not in text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_redact_url() -> None:
    assert redact_url("https://u:p@s3.example:9000/x?a=b") == "https://***@s3.example:9000/x?***"
    assert redact_url("http://127.0.0.1:9000") == "http://127.0.0.1:9000"
    assert redact_url("user:secret@s3.example:9000") == "***@s3.example:9000"
    assert redact_url("http://h/p@x") == "http://h/p@x"


def test_damaged_spool_entry_is_quarantined_and_reemitted(
    tmp_path: Path, web: Any, moto: MotoServer  # noqa: F811
) -> None:
    bucket = moto.new_bucket() + "-later"
    env = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET=bucket))
    first = run(tmp_path, env, OUTLET)
    assert first.returncode == ExitCode.DELIVERY_FAILED, why(first)
    second = run(tmp_path, env, OTHER)
    assert second.returncode == ExitCode.DELIVERY_FAILED, why(second)
    damaged, healthy = sorted(spool_manifests(tmp_path), key=lambda m: m["id"])
    assert damaged["items"] and healthy["items"]
    data = tmp_path / ".newsbot" / "spool" / f"{damaged['id']}.data"
    raw = bytearray(data.read_bytes())
    raw[len(raw) // 2] ^= 0x20  # one flipped bit: still parses, no longer what was sealed
    data.write_bytes(bytes(raw))

    moto.client().create_bucket(Bucket=bucket)
    done = deliver(tmp_path, env)
    assert done.returncode == ExitCode.DELIVERY_FAILED, why(done)
    assert "is damaged" in done.stderr and "quarantine" in done.stderr
    quarantine = tmp_path / ".newsbot" / "spool" / "quarantine"
    assert (quarantine / f"{damaged['id']}.data").exists()
    assert spool_manifests(tmp_path) == []  # nothing blocks: the healthy one was stored
    assert set(in_bucket(moto, bucket)) == bengali_article_urls(OTHER)
    assert deliver(tmp_path, env).returncode == ExitCode.OK

    # the damaged feed's articles are emitted again by the next run, once
    nxt = run(tmp_path, env, f"{OUTLET},{OTHER}", "-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000")
    assert nxt.returncode == ExitCode.OK, why(nxt)
    urls = in_bucket(moto, bucket)
    assert set(urls) == bengali_article_urls(OUTLET, OTHER) and max(urls.values()) == 1
