"""A state store that was emptied, deleted, lost its ``-wal`` file or is corrupt is detected
(exit code 9, a clear message, nothing crawled), and ``python -m newsbot state rebuild``
rebuilds it from the stored feeds and the spool: never a silent re-delivery of everything."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from newsbot.exitcodes import ExitCode
from newsbot.state import FeedRecord, SQLiteStateStore
from newsbot.stateguard import StateBroken, verify
from tests.crawling import bengali_article_urls
from tests.s3server import (
    REPO,
    MotoServer,
    deliver,
    env_for,
    feed_lines,
    free_port,
    local_feed_records,
    moto,  # noqa: F401  (fixture)
    run,
    spool_manifests,
    why,
)

OUTLET = "prothomalo"
AGAIN = ["-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000"]


def rebuild(workdir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsbot", "state", "rebuild"], cwd=workdir,
                          env=env, capture_output=True, text=True, timeout=120)


def state_file(workdir: Path) -> Path:
    return workdir / ".newsbot" / "state.sqlite3"


def first_run(workdir: Path, env: dict[str, str]) -> int:
    proc = run(workdir, env, OUTLET)
    assert proc.returncode == ExitCode.OK, why(proc)
    records = local_feed_records(workdir)
    assert {r["canonical_url"] for r in records} == bengali_article_urls(OUTLET)
    return len(records)


def assert_refused(proc: subprocess.CompletedProcess[str], words: str) -> None:
    assert proc.returncode == ExitCode.STATE_BROKEN, why(proc)
    assert words in proc.stderr and "python -m newsbot state rebuild" in proc.stderr
    assert "Traceback" not in proc.stderr


def assert_rebuilt_and_nothing_sent_twice(workdir: Path, env: dict[str, str], n: int) -> None:
    fixed = rebuild(workdir, env)
    assert fixed.returncode == ExitCode.OK, why(fixed)
    assert f"{n} article record(s) from 1 stored feed(s)" in fixed.stderr
    nxt = run(workdir, env, OUTLET, *AGAIN)
    assert nxt.returncode == ExitCode.OK, why(nxt)
    counts = Counter(r["canonical_url"] for r in local_feed_records(workdir))
    assert len(counts) == n and max(counts.values()) == 1


def lose_deleted(path: Path) -> None:
    path.unlink()


def lose_emptied(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize("lose", [lose_deleted, lose_emptied], ids=["deleted", "emptied"])
def test_deleted_or_emptied_store_is_detected_and_rebuilt(
    tmp_path: Path, web: Any, lose: Any
) -> None:
    env = env_for(web.base_url)
    n = first_run(tmp_path, env)
    lose(state_file(tmp_path))
    proc = run(tmp_path, env, OUTLET, *AGAIN)
    assert_refused(proc, "emptied, deleted or replaced")
    assert len(local_feed_records(tmp_path)) == n  # nothing crawled, nothing re-sent
    assert_refused(deliver(tmp_path, env), "emptied, deleted or replaced")
    assert_rebuilt_and_nothing_sent_twice(tmp_path, env, n)


def test_store_that_lost_its_wal_is_detected(tmp_path: Path, web: Any) -> None:
    env = env_for(web.base_url)
    n = first_run(tmp_path, env)
    # A process records a delivery and dies before SQLite checkpoints the WAL (as a killed
    # run does); then the -wal file is lost.
    script = (
        "import os; from scrapy.settings import Settings; "
        "from newsbot.state import SQLiteStateStore, FeedRecord; "
        "from newsbot.stateguard import write_marker; "
        "s = SQLiteStateStore('.newsbot/state.sqlite3'); "
        "s.mark_delivered('e', [FeedRecord('https://www.prothomalo.com/x', 'f')], target='t',"
        " when=None); write_marker(Settings(), s); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", script], cwd=tmp_path, check=True, timeout=60,
                   env={**env, "PYTHONPATH": str(REPO)})
    wal = Path(f"{state_file(tmp_path)}-wal")
    assert wal.exists()
    wal.unlink()
    Path(f"{state_file(tmp_path)}-shm").unlink(missing_ok=True)
    proc = run(tmp_path, env, OUTLET, *AGAIN)
    assert_refused(proc, "has lost deliveries")
    assert_rebuilt_and_nothing_sent_twice(tmp_path, env, n)


def test_corrupt_store_gives_a_clear_exit_code(tmp_path: Path, web: Any) -> None:
    env = env_for(web.base_url)
    n = first_run(tmp_path, env)
    state_file(tmp_path).write_bytes(b"this is not a database\x00" * 512)
    assert_refused(deliver(tmp_path, env), "cannot be read")
    assert_refused(run(tmp_path, env, OUTLET, *AGAIN), "cannot be read")
    assert_rebuilt_and_nothing_sent_twice(tmp_path, env, n)
    assert list(state_file(tmp_path).parent.glob("state.sqlite3.broken-*"))  # kept aside


def test_spool_written_for_another_store_is_detected(tmp_path: Path) -> None:
    store = SQLiteStateStore(tmp_path / "state.sqlite3")
    settings = Settings({"NEWSBOT_STATE_PATH": str(tmp_path / "state.sqlite3")})
    store_id, _ = store.delivery_mark()
    verify(store, settings, {store_id})
    with pytest.raises(StateBroken, match="feeds waiting in the spool"):
        verify(store, settings, {"another-store"})
    store.mark_delivered("e", [FeedRecord("https://a.example/1", "f")], target="t", when=None)
    assert store.delivery_mark() == (store_id, 1)


def test_rebuild_reads_s3_feeds_and_the_spool(
    tmp_path: Path, web: Any, moto: MotoServer  # noqa: F811
) -> None:
    bucket = moto.new_bucket()
    env = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET=bucket, NEWSBOT_S3_PREFIX="bn"))
    assert run(tmp_path, env, OUTLET).returncode == ExitCode.OK
    down = {**env, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}"}
    spooled = run(tmp_path, down, "jugantor", "-s", "NEWSBOT_S3_MAX_ATTEMPTS=1")
    assert spooled.returncode == ExitCode.DELIVERY_FAILED, why(spooled)
    assert len(spool_manifests(tmp_path)) == 1

    state_file(tmp_path).unlink()
    assert_refused(run(tmp_path, env, OUTLET), "emptied, deleted or replaced")
    fixed = rebuild(tmp_path, env)
    assert fixed.returncode == ExitCode.OK, why(fixed)
    n = len(bengali_article_urls(OUTLET))
    assert f"{n} article record(s) from 1 stored feed(s); 1 spooled feed(s) pending" in fixed.stderr

    nxt = run(tmp_path, env, f"{OUTLET},jugantor", *AGAIN)
    assert nxt.returncode == ExitCode.OK, why(nxt)
    counts = Counter(
        r["canonical_url"] for key, data in moto.objects(bucket).items()
        if key.endswith(".jsonl") for r in feed_lines(data)
    )
    assert set(counts) == bengali_article_urls(OUTLET, "jugantor") and max(counts.values()) == 1
