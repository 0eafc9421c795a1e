"""Scale-out parts one by one, against a real Redis (and moto's S3 server): the private
scrapy-redis hooks newsbot relies on (fails loudly on an upgrade), requests as JSON,
secret-free service names, run names, the add-on, the shared limiter, the seed command,
conditional S3 uploads and the canary of a shared run."""

from __future__ import annotations

import asyncio
import inspect
import itertools
import subprocess
import sys
import time
from pathlib import Path

import pytest
import scrapy_redis
from scrapy import Request
from scrapy.http import TextResponse
from scrapy.settings import Settings
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from newsbot.cluster import serializer
from newsbot.cluster.addon import EXTENSION, LIMITER, SCHEDULER, ClusterAddon
from newsbot.cluster.canary import merge_outlets
from newsbot.cluster.config import ClusterConfig, run_slot
from newsbot.cluster.limiter import SharedLimiterMiddleware, limit_key
from newsbot.cluster.redisadapter import SCRAPY_REDIS_VERSION
from newsbot.delivery.errors import DeliveryError
from newsbot.delivery.spool import Spool
from newsbot.delivery.targets import S3Config, S3Target
from newsbot.services import redact_url
from newsbot.state import OutletRun
from tests.crawling import REPO, crawl_env
from tests.s3server import MotoServer, moto  # noqa: F401  (fixture)
from tests.services import RedisServer, redis_server  # noqa: F401  (fixture)

# -- the private hooks (upgrade guard) ----------------------------------------------------------


def test_scrapy_redis_is_the_version_the_adapter_was_written_for() -> None:
    assert scrapy_redis.__version__ == SCRAPY_REDIS_VERSION, (
        "scrapy-redis changed: check newsbot/cluster/redisadapter.py against the new release"
    )
    init = inspect.signature(Scheduler.__init__).parameters
    for name in ("server", "persist", "queue_key", "queue_cls", "dupefilter_key",
                 "dupefilter_cls", "serializer"):
        assert name in init, name
    source = inspect.getsource(Scheduler.open)
    assert "self.queue =" in source and "self.df" in source
    assert "self.server" in inspect.getsource(RFPDupeFilter.__init__)


# -- small parts --------------------------------------------------------------------------------


def test_requests_travel_as_json_not_pickle() -> None:
    request = Request("https://www.prothomalo.com/world", headers={"X-A": "b"}, body=b"\x00\xff",
                      meta={"newsbot_kind": "listing", "newsbot_hops": 0}, priority=3)
    data = serializer.dumps(request.to_dict())
    assert data.startswith(b"{") and b"prothomalo" in data
    back = request_from_dict(serializer.loads(data))
    assert (back.url, back.body, back.priority) == (request.url, b"\x00\xff", 3)
    assert back.headers.get("X-A") == b"b" and back.meta["newsbot_kind"] == "listing"
    with pytest.raises(TypeError):
        serializer.dumps({"meta": {"x": object()}})


def test_service_urls_are_shown_without_secrets() -> None:
    assert redact_url("redis://:pw@10.0.0.5:6379/0") == "redis://:***@10.0.0.5:6379/0"
    assert redact_url("postgresql://u:pw@db/news") == "postgresql://u:***@db/news"
    assert redact_url("postgresql://u@db/news?password=pw") == "postgresql://u@db/news?***"
    assert redact_url("redis://127.0.0.1:6379") == "redis://127.0.0.1:6379"


def test_run_ids_follow_the_timer_slot() -> None:
    from datetime import UTC, datetime

    assert run_slot(datetime(2026, 12, 7, 20, 44, 59, tzinfo=UTC), 30) == "20261207T2030Z"
    assert run_slot(datetime(2026, 12, 7, 20, 0, 1, tzinfo=UTC), 30) == "20261207T2000Z"
    assert run_slot(datetime(2026, 12, 7, 23, 59, tzinfo=UTC), 60) == "20261207T2300Z"


def test_addon_does_nothing_without_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSBOT_REDIS_URL", raising=False)
    settings = Settings()
    settings.setmodule("newsbot.settings", priority="project")
    before = dict(settings.copy_to_dict())
    ClusterAddon().update_settings(settings)
    assert dict(settings.copy_to_dict()) == before


def test_addon_makes_a_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_REDIS_URL", "redis://127.0.0.1:1/0")
    settings = Settings()
    settings.setmodule("newsbot.settings", priority="project")
    settings.set("DOWNLOAD_DELAY", 0.7, priority="cmdline")
    ClusterAddon().update_settings(settings)
    assert settings["SCHEDULER"] == SCHEDULER and settings.getbool("SCHEDULER_PERSIST")
    assert EXTENSION in settings.getdict("EXTENSIONS")
    assert LIMITER in settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert settings.getfloat("NEWSBOT_SHARED_DOWNLOAD_DELAY") == 0.7
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.0  # the shared limiter spaces requests
    assert not settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings["NEWSBOT_RUN_ID"] and settings["NEWSBOT_WORKER_ID"]
    assert settings.getbool("NEWSBOT_S3_CONDITIONAL_PUT")


def test_canary_of_a_shared_run_sums_the_shares() -> None:
    merged = merge_outlets([
        OutletRun("a", found=4, parsed=4, coverage={"title": 1.0, "authors": 0.5}),
        OutletRun("a", found=6, parsed=2, coverage={"title": 1.0, "authors": 0.0}),
        OutletRun("b", found=1, parsed=0, coverage={"title": None}),
    ])
    assert (merged["a"].found, merged["a"].parsed) == (10, 6)
    assert merged["a"].coverage["title"] == 1.0
    assert merged["a"].coverage["authors"] == round(2 / 6, 4)
    assert merged["b"].coverage["title"] is None


# -- the shared limiter, two workers on one Redis -----------------------------------------------


def limiter(url: str, worker: str, **settings: object) -> SharedLimiterMiddleware:
    crawler = get_crawler(settings_dict={
        "NEWSBOT_REDIS_URL": url, "NEWSBOT_RUN_ID": "r", "NEWSBOT_WORKER_ID": worker,
        "USER_AGENT": "newsbot/0.1.0 (test)", **settings,
    })
    return SharedLimiterMiddleware.from_crawler(crawler)


def test_limiter_holds_rate_and_concurrency_across_workers(
    redis_server: RedisServer,  # noqa: F811
) -> None:
    workers = [limiter(redis_server.url, f"w{i}", NEWSBOT_SHARED_DOWNLOAD_DELAY=0.15,
                       NEWSBOT_SHARED_CONCURRENCY=2) for i in range(2)]
    events: list[tuple[float, int]] = []

    async def fetch(mw: SharedLimiterMiddleware, n: int) -> None:
        request = Request(f"https://www.ittefaq.com.bd/{n}")
        await mw.process_request(request)
        events.append((time.monotonic(), +1))
        await asyncio.sleep(0.5)  # a slow answer
        events.append((time.monotonic(), -1))
        mw.process_response(request, TextResponse(request.url, body=b"x"))

    async def main() -> None:
        await asyncio.gather(*(fetch(workers[n % 2], n) for n in range(6)))

    asyncio.run(main())
    starts = sorted(t for t, kind in events if kind == +1)
    assert all(b - a >= 0.14 for a, b in itertools.pairwise(starts)), starts
    running = peak = 0
    for _, kind in sorted(events, key=lambda e: (e[0], e[1])):
        running += kind
        peak = max(peak, running)
    assert peak == 2
    # slots were given back
    assert redis_server.client().zcard(limit_key("www.ittefaq.com.bd", "active")) == 0


def test_robots_crawl_delay_is_shared(redis_server: RedisServer) -> None:  # noqa: F811
    a = limiter(redis_server.url, "w0", NEWSBOT_SHARED_DOWNLOAD_DELAY=0.1)
    b = limiter(redis_server.url, "w1", NEWSBOT_SHARED_DOWNLOAD_DELAY=0.1)
    host = "www.jugantor.com"
    assert b.delay_for(host) == 0.1
    robots = Request(f"https://{host}/robots.txt")
    body = b"User-agent: *\nDisallow: /search\nCrawl-delay: 0.6\n"
    a.process_response(robots, TextResponse(robots.url, body=body))
    b._crawl_delays.clear()  # as a worker that has not read robots.txt yet
    assert b.delay_for(host) == 0.6


# -- python -m newsbot seed ---------------------------------------------------------------------


def test_seed_command_pushes_once(tmp_path: Path, redis_server: RedisServer) -> None:  # noqa: F811
    env = crawl_env("http://127.0.0.1:9", NEWSBOT_REDIS_URL=redis_server.url,
                    NEWSBOT_RUN_ID="backfill")
    cmd = [sys.executable, "-m", "newsbot", "seed", "-a", "outlets=prothomalo,ittefaq"]
    first = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
    assert first.returncode == 0, first.stderr[-2000:]
    key = ClusterConfig("x", "backfill", "w").key("bn_world", "requests")
    queued = redis_server.client().zcard(key)
    assert queued > 0 and f"{queued} start request(s) pushed" in first.stdout
    again = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=120)
    assert again.returncode == 0 and "already seeded" in again.stdout
    assert redis_server.client().zcard(key) == queued
    assert str(REPO) not in first.stdout


# -- conditional S3 uploads ---------------------------------------------------------------------


def test_conditional_put_never_overwrites(
    tmp_path: Path, moto: MotoServer, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    for name, value in moto.env().items():
        monkeypatch.setenv(name, value)
    bucket = moto.new_bucket()
    config = S3Config(endpoint_url=moto.endpoint, conditional=True)
    spool = Spool(tmp_path / "spool")
    uri = f"s3://{bucket}/bn_world/r/w0/20261207T200000Z.jsonl"

    def sealed(data: bytes):  # type: ignore[no-untyped-def]
        entry = spool.create(uri)
        entry.data_path.write_bytes(data)
        spool.seal([entry])
        return entry

    first = sealed(b'{"canonical_url": "https://a.example/1"}\n')
    S3Target(uri, config).store(first)
    S3Target(uri, config).store(first)  # a re-upload of the same batch: no second copy, no error
    other = sealed(b'{"canonical_url": "https://a.example/2"}\n')
    with pytest.raises(DeliveryError, match="already exists with other content"):
        S3Target(uri, config).store(other)
    assert moto.objects(bucket) == {uri.split(bucket + "/")[1]: first.data_path.read_bytes()}


def test_only_the_last_worker_of_a_run_judges_the_canary(
    redis_server: RedisServer,  # noqa: F811
) -> None:
    from newsbot.cluster.canary import ALIVE_SECONDS, others_working

    settings = Settings({"NEWSBOT_REDIS_URL": redis_server.url, "NEWSBOT_RUN_ID": "r",
                         "NEWSBOT_WORKER_ID": "w0"})
    client = redis_server.client()
    now = client.time()[0]
    key = ClusterConfig("x", "r", "w").key("bn_world", "workers")
    client.hset(key, mapping={"w0": now, "w1": now - 2, "w2": now - ALIVE_SECONDS - 5})
    assert others_working(settings, "bn_world") == ["w1"]  # w2 is gone, w0 is itself
    client.hdel(key, "w1")
    assert others_working(settings, "bn_world") == []
