"""No loss when delivery fails: refused connection, missing bucket, wrong credentials, a hung
endpoint, and the server stopping mid-run. Each time the run logs one clear error, exits with
DELIVERY_FAILED, keeps the feed in the spool, and the next run or ``python -m newsbot deliver``
stores it exactly once."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from newsbot.exitcodes import ExitCode
from tests.crawling import bengali_article_urls
from tests.s3server import (
    MotoServer,
    SilentEndpoint,
    deliver,
    env_for,
    feed_lines,
    free_port,
    moto,  # noqa: F401  (fixture)
    run,
    spool_manifests,
    start,
    wait_for,
    why,
)

OUTLET = "prothomalo"
FAST_FAIL = ["-s", "NEWSBOT_S3_MAX_ATTEMPTS=1", "-s", "NEWSBOT_S3_CONNECT_TIMEOUT=2"]


@pytest.fixture(scope="module")
def wanted() -> set[str]:
    return bengali_article_urls(OUTLET)


def error_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if "] ERROR:" in line]


def delivered(server: MotoServer, bucket: str) -> Counter[str]:
    """canonical_url -> how many feed lines in the bucket hold it."""
    objects = server.objects(bucket)
    return Counter(
        r["canonical_url"]
        for key, data in objects.items()
        if key.endswith((".jsonl", ".jsonl.gz"))
        for r in feed_lines(data)
    )


def assert_failed_once(proc: Any, reason: str) -> dict[str, Any]:
    assert proc.returncode == ExitCode.DELIVERY_FAILED, why(proc)
    (line,) = error_lines(proc.stderr)
    assert "Feed delivery failed" in line and reason in line, line
    assert "python -m newsbot deliver" in line
    return line


def sealed_in_spool(workdir: Path) -> list[dict[str, Any]]:
    return [m for m in spool_manifests(workdir) if m["sealed"]]


def test_refused_connection_then_deliver_command(
    tmp_path: Path, web: Any, wanted: set[str]
) -> None:
    port = free_port()
    server = MotoServer(port)
    bucket = "newsbot-refused"
    env = env_for(web.base_url, **server.env(NEWSBOT_S3_BUCKET=bucket))
    proc = run(tmp_path, env, OUTLET, *FAST_FAIL)
    assert_failed_once(proc, f"cannot connect to S3 endpoint http://127.0.0.1:{port}")
    (entry,) = sealed_in_spool(tmp_path)
    assert entry["items"] == len(wanted)
    summary = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())
    assert summary["exit_code"] == ExitCode.DELIVERY_FAILED
    assert summary["delivery"]["failed"] and summary["delivery"]["spool_pending"] == 1
    assert summary["delivery"]["feeds"][0]["status"] == "spooled"

    server.start()
    try:
        server.client().create_bucket(Bucket=bucket)
        done = deliver(tmp_path, env)
        assert done.returncode == ExitCode.OK, why(done)
        urls = delivered(server, bucket)
        assert set(urls) == wanted and max(urls.values()) == 1
        assert spool_manifests(tmp_path) == []
        # again: nothing left to do, nothing uploaded twice
        assert deliver(tmp_path, env).returncode == ExitCode.OK
        # and the next crawl does not emit them again
        nxt = run(tmp_path, env, OUTLET, "-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000",
              "-s", "NEWSBOT_REFETCH_SCHEDULE_HOURS=", "-s", "NEWSBOT_CONDITIONAL_REQUESTS=False")
        assert nxt.returncode == ExitCode.OK, why(nxt)
        urls = delivered(server, bucket)
        assert set(urls) == wanted and max(urls.values()) == 1
    finally:
        server.stop()


def test_missing_bucket_then_next_run_delivers_spool_first(
    tmp_path: Path, web: Any, wanted: set[str], moto: MotoServer  # noqa: F811
) -> None:
    bucket = "newsbot-not-yet-there"
    env = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET=bucket))
    proc = run(tmp_path, env, OUTLET)
    assert_failed_once(proc, f"S3 bucket '{bucket}' does not exist")
    assert len(sealed_in_spool(tmp_path)) == 1

    moto.client().create_bucket(Bucket=bucket)
    nxt = run(tmp_path, env, OUTLET, "-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000",
              "-s", "NEWSBOT_REFETCH_SCHEDULE_HOURS=", "-s", "NEWSBOT_CONDITIONAL_REQUESTS=False",
              "-s", "LOG_LEVEL=DEBUG")
    assert nxt.returncode == ExitCode.OK, why(nxt)
    log = nxt.stderr
    assert log.index("Stored 1 of 1 spooled feed file(s)") < log.index("Crawled (200)")
    urls = delivered(moto, bucket)
    assert set(urls) == wanted and max(urls.values()) == 1
    summary = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text())
    origins = [(f["origin"], f["status"]) for f in summary["delivery"]["feeds"]]
    assert origins[0] == ("spool", "stored")
    assert summary["items"]["unchanged"] == len(wanted)


def test_wrong_credentials(tmp_path: Path, web: Any, wanted: set[str]) -> None:
    server = MotoServer(auth=True).start()
    try:
        bucket = server.new_bucket()
        good = env_for(web.base_url, **server.env(NEWSBOT_S3_BUCKET=bucket))
        bad = {**good, "AWS_SECRET_ACCESS_KEY": "not-the-right-secret-42"}
        proc = run(tmp_path, bad, OUTLET, *FAST_FAIL)
        assert_failed_once(proc, "refused the credentials")
        assert "not-the-right-secret-42" not in proc.stderr
        assert server.secret_key not in proc.stderr
        done = deliver(tmp_path, good)
        assert done.returncode == ExitCode.OK, why(done)
        urls = delivered(server, bucket)
        assert set(urls) == wanted and max(urls.values()) == 1
    finally:
        server.stop()


def test_hung_endpoint_times_out(tmp_path: Path, web: Any, moto: MotoServer) -> None:  # noqa: F811
    hung = SilentEndpoint()
    try:
        env = env_for(web.base_url, **moto.env(
            AWS_ENDPOINT_URL=hung.endpoint, NEWSBOT_S3_BUCKET="newsbot-hung",
        ))
        began = time.monotonic()
        proc = run(tmp_path, env, OUTLET, "-s", "NEWSBOT_S3_READ_TIMEOUT=1",
                   "-s", "NEWSBOT_S3_MAX_ATTEMPTS=2")
        took = time.monotonic() - began
    finally:
        hung.close()
    assert_failed_once(proc, f"S3 endpoint {hung.endpoint} did not answer within 1 s (after 2")
    assert len(hung.conns) >= 2  # retried
    assert took < 60
    assert len(sealed_in_spool(tmp_path)) == 1


def test_server_stops_mid_run(tmp_path: Path, web: Any, wanted: set[str]) -> None:
    server = MotoServer().start()
    bucket = server.new_bucket()
    env = env_for(web.base_url, **server.env(
        NEWSBOT_S3_BUCKET=bucket, NEWSBOT_S3_BATCH_ITEMS="3", NEWSBOT_S3_GZIP="1",
    ))
    slow = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0.1",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    try:
        proc = start(tmp_path, env, OUTLET, *slow, *FAST_FAIL)
        wait_for(lambda: server.objects(bucket), what="first batch in the bucket")
        # Freeze the crawl, let an upload in flight land, note what the bucket holds, then
        # stop the server (its data goes with it) and let the crawl go on.
        proc.send_signal(signal.SIGSTOP)
        time.sleep(0.5)
        before = server.objects(bucket)
        server.stop()
        proc.send_signal(signal.SIGCONT)
        proc.wait(timeout=120)
        log = (tmp_path / "crawl.log").read_text(encoding="utf-8")
        assert proc.returncode == ExitCode.DELIVERY_FAILED, log[-3000:]
        (line,) = error_lines(log)
        assert "cannot connect to S3 endpoint" in line
        assert sealed_in_spool(tmp_path)

        server.start()  # a fresh, empty server on the same port
        server.client().create_bucket(Bucket=bucket)
        done = deliver(tmp_path, env)
        assert done.returncode == ExitCode.OK, why(done)
        after = {k: v for k, v in server.objects(bucket).items() if k.endswith(".jsonl.gz")}
        assert not set(before) & set(after)
        urls = Counter(
            r["canonical_url"] for data in [*before.values(), *after.values()]
            for r in feed_lines(data)
        )
        assert set(urls) == wanted and max(urls.values()) == 1
        assert spool_manifests(tmp_path) == []
    finally:
        server.stop()
