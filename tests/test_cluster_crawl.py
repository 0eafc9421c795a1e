"""Three ``scrapy crawl bn_world`` workers sharing one run, with a real Redis and a real
PostgreSQL on 127.0.0.1, against the sample web: every article delivered exactly once — also
when a worker is killed (SIGKILL) and the run is done again, when Redis restarts mid-run, and
when PostgreSQL goes away mid-run; PostgreSQL or Redis unreachable at start is exit code 7.
Politeness holds across the workers (the sample web's access log)."""

from __future__ import annotations

import itertools
import random
import re
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbot.sampleweb.server import SampleWebServer, serve
from newsbot.state.postgres import PostgresStateStore
from tests.cluster import Cluster
from tests.crawling import bengali_article_urls
from tests.s3server import (  # noqa: F401  (fixture)
    MotoServer,
    crawl_cmd,
    env_for,
    feed_lines,
    free_port,
    moto,
    wait_for,
)
from tests.services import (  # noqa: F401  (fixtures)
    PostgresServer,
    RedisServer,
    new_postgres,
    new_schema,
    postgres,
    redis_server,
)

OUTLETS = "prothomalo,kalerkantho,ittefaq,bbcbangla"
# Short leases and idle times keep the runs quick; the server's delay imitates the network.
FAST = ["-s", "NEWSBOT_CLAIM_LEASE_SECONDS=3", "-s", "NEWSBOT_CLUSTER_IDLE_CLOSE=2",
        "-s", "DOWNLOAD_DELAY=0", "-s", "NEWSBOT_REDIS_OUTAGE_MAX=30", "-s", "LOG_LEVEL=DEBUG"]


@pytest.fixture(scope="module")
def wanted() -> set[str]:
    return bengali_article_urls(*OUTLETS.split(","))


@pytest.fixture(scope="module")
def slow_web() -> Iterator[SampleWebServer]:
    """The sample web answering each request after 50 ms."""
    with serve(port=0, delay=0.05) as server:
        yield server


def make_cluster(tmp_path: Path, web: SampleWebServer, redis: RedisServer,
                 pg: PostgresServer) -> Cluster:
    return Cluster(tmp_path, web.base_url, redis.url, pg.url, new_schema(), OUTLETS, list(FAST))


def exactly_once(cluster: Cluster, wanted: set[str]) -> None:
    delivered = cluster.delivered()
    assert set(delivered) == wanted, (
        f"missing {sorted(wanted - set(delivered))[:5]}, "
        f"extra {sorted(set(delivered) - wanted)[:5]}"
    )
    assert max(delivered.values()) == 1, [u for u, n in delivered.items() if n > 1]


def test_three_workers_share_the_run_and_the_politeness(
    tmp_path: Path, postgres: PostgresServer, wanted: set[str],  # noqa: F811
) -> None:
    # each answer takes 0.4 s; one request per host every 0.25 s and two at a time, for all
    # three workers together (each alone would allow two at a time: six together)
    # Redis with a password, as it must be in production: never in a log or summary
    redis = RedisServer(password="redis-pw-4711").start()
    try:
        with serve(port=0, delay=0.4) as web:
            cluster = make_cluster(tmp_path, web, redis, postgres)
            codes = cluster.run("shared", 3, "-s", "DOWNLOAD_DELAY=0.25",
                                "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2")
            times = list(web.access_times)
    finally:
        redis.stop()
    written = [p.read_text(encoding="utf-8", errors="replace")
               for p in tmp_path.rglob("*") if p.is_file()]
    assert written and not any("redis-pw-4711" in text for text in written)
    assert codes == {"w0": 0, "w1": 0, "w2": 0}, cluster.why(codes)
    exactly_once(cluster, wanted)
    # every worker did part of the work; only one seeded the run
    scraped = {w: cluster.summaries(w)[-1]["items"]["scraped"] for w in codes}
    assert all(n > 0 for n in scraped.values()), scraped
    assert sum(scraped.values()) == len(wanted)
    seeded = [w for w in codes if cluster.summaries(w)[-1]["stats"].get("newsbot/cluster/seeded")]
    assert len(seeded) == 1
    # the template lines the workers learned are in the shared store, not in their folders
    store = PostgresStateStore(postgres.url, schema=cluster.schema)
    learned = store.load_templates("bn_world")
    store.close()
    assert learned and learned["outlets"]
    assert not list(tmp_path.rglob("templates.json"))

    busiest = 0
    for host, spans in by_host(times).items():
        # 0.25 s apart at the shared limiter; a loaded machine delays some requests on their
        # way to the server, so single gaps may shrink, but not the typical one
        assert_spaced(host, spans, 0.25)
        for a, _ in spans:
            overlapping = sum(1 for s, e in spans if s <= a < e)
            busiest = max(busiest, overlapping)
            assert overlapping <= 2, (host, overlapping)
    assert busiest == 2  # the limit was reached, so it was the limiter that held it


def by_host(times: list[tuple[str, str, float, float]], skip_robots: bool = False
            ) -> dict[str, list[tuple[float, float]]]:
    """(arrival, end) of the requests the sample web saw, per host, in order."""
    hosts: dict[str, list[tuple[float, float]]] = {}
    for host, target, arrived, ended in times:
        if not (skip_robots and target == "/robots.txt"):
            hosts.setdefault(host, []).append((arrived, ended))
    return {host: sorted(spans) for host, spans in hosts.items()}


def assert_spaced(host: str, spans: list[tuple[float, float]], delay: float) -> None:
    """Requests to ``host`` started ``delay`` apart (machine jitter allowed on single gaps)."""
    starts = [a for a, _ in spans]
    gaps = sorted(b - a for a, b in itertools.pairwise(starts))
    if gaps:
        assert gaps[0] >= delay * 0.5, (host, gaps[:5])
        assert gaps[len(gaps) // 10] >= delay * 0.8, (host, gaps[:5])


def test_robots_crawl_delay_holds_across_workers(
    tmp_path: Path, redis_server: RedisServer, postgres: PostgresServer,  # noqa: F811
) -> None:
    outlets = "ittefaq,jugantor"
    with serve(port=0, crawl_delay=0.4) as web:  # every robots.txt asks for 0.4 s
        cluster = make_cluster(tmp_path, web, redis_server, postgres)
        cluster.outlets = outlets
        codes = cluster.run("crawl-delay", 3)  # DOWNLOAD_DELAY=0: only robots.txt spaces them
        times = list(web.access_times)
    assert set(codes.values()) == {0}, cluster.why(codes)
    exactly_once(cluster, bengali_article_urls(*outlets.split(",")))
    hosts = by_host(times, skip_robots=True)  # robots.txt itself is read before the delay is known
    assert sum(len(spans) for spans in hosts.values()) >= 20
    for host, spans in hosts.items():
        assert_spaced(host, spans, 0.4)


def test_killed_worker_then_rerun_delivers_everything_once(
    tmp_path: Path, slow_web: SampleWebServer, redis_server: RedisServer,  # noqa: F811
    postgres: PostgresServer, wanted: set[str],  # noqa: F811
) -> None:
    cluster = make_cluster(tmp_path, slow_web, redis_server, postgres)
    cluster.start("run1", 3)
    try:
        # a random worker, at a random moment: among those that scraped the random number of
        # items first (one worker alone may not get that many before the others finish)
        threshold = random.randint(1, 6)
        workers = ["w0", "w1", "w2"]
        ready = wait_for(lambda: [w for w in workers if cluster.scraped(w) >= threshold],
                         timeout=120, what=f"a worker scraping {threshold} items")
        victim = random.choice(ready)
        cluster.procs[victim].kill()
        codes = cluster.wait()
    finally:
        cluster.stop()
    assert codes[victim] == -9
    first = cluster.delivered()
    assert max(first.values()) == 1
    assert len(first) < len(wanted)  # the dead worker's articles are missing so far

    time.sleep(3.5)  # the dead worker's claims lapse (NEWSBOT_CLAIM_LEASE_SECONDS=3)
    # (its canary is off: the run before it lost a worker, so its figures are no baseline)
    codes = cluster.run("run2", 3, "-s", "NEWSBOT_CANARY_ENABLED=False")
    assert set(codes.values()) == {0}, cluster.why(codes)
    exactly_once(cluster, wanted)


def test_redis_restarted_mid_run(
    tmp_path: Path, slow_web: SampleWebServer, redis_server: RedisServer,  # noqa: F811
    postgres: PostgresServer, wanted: set[str],  # noqa: F811
) -> None:
    cluster = make_cluster(tmp_path, slow_web, redis_server, postgres)
    cluster.start("restart", 3)
    try:
        wait_for(lambda: sum(cluster.scraped(w) for w in ("w0", "w1", "w2")) >= 8,
                 timeout=120, what="eight scraped items")
        redis_server.restart()  # without persistence: queue, filter and seed mark are gone
        codes = cluster.wait()
    finally:
        cluster.stop()
    assert set(codes.values()) == {0}, cluster.why(codes)
    # the run noticed, seeded itself again and finished: everything delivered, once
    exactly_once(cluster, wanted)
    reseeded = [w for w in codes if "seeds the run again" in cluster.log(w)]
    assert len(reseeded) == 1


def test_postgres_unreachable_at_start_is_exit_7(
    tmp_path: Path, redis_server: RedisServer  # noqa: F811
) -> None:
    url = f"postgresql://newsbot:pg-secret@127.0.0.1:{free_port()}/newsbot"
    with serve(port=0) as web:
        env = env_for(web.base_url, NEWSBOT_REDIS_URL=redis_server.url, NEWSBOT_STATE_URL=url)
        done = subprocess.run(crawl_cmd(OUTLETS), cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)
        assert web.access_log == []  # nothing crawled
    assert done.returncode == 7, done.stderr[-2000:]
    assert "PostgreSQL state store postgresql://newsbot:***@127.0.0.1" in done.stderr
    assert "is unreachable" in done.stderr
    assert "pg-secret" not in done.stderr


def test_redis_unreachable_at_start_is_exit_7(tmp_path: Path) -> None:
    url = f"redis://:redis-secret@127.0.0.1:{free_port()}/0"
    with serve(port=0) as web:
        env = env_for(web.base_url, NEWSBOT_REDIS_URL=url)
        done = subprocess.run(crawl_cmd(OUTLETS), cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)
        assert web.access_log == []
    assert done.returncode == 7, done.stderr[-2000:]
    assert "Redis redis://:***@127.0.0.1" in done.stderr and "unreachable" in done.stderr
    assert "redis-secret" not in done.stderr


def test_postgres_down_mid_run_loses_nothing(
    tmp_path: Path, slow_web: SampleWebServer, redis_server: RedisServer,  # noqa: F811
    wanted: set[str],
) -> None:
    pg = new_postgres()  # its own server: this test stops it
    try:
        cluster = make_cluster(tmp_path, slow_web, redis_server, pg)
        cluster.start("pgdown", 3)
        try:
            wait_for(lambda: sum(cluster.scraped(w) for w in ("w0", "w1", "w2")) >= 6,
                     timeout=120, what="six scraped items")
            pg.stop()
            time.sleep(2)
            pg.start()
            codes = cluster.wait()
        finally:
            cluster.stop()
        # articles that met the outage were not emitted, and the workers that lost them say
        # so: never exit 0 ...
        hit = [w for w in codes if "] ERROR:" in cluster.log(w)]
        assert hit, "the outage went unnoticed"
        assert all(codes[w] != 0 for w in hit), cluster.why(codes)
        assert max(cluster.delivered().values(), default=1) == 1
        time.sleep(3.5)  # claims of articles lost with the outage lapse
        # ... and the next run delivers them, and nothing twice. (Its canary is off: the run
        # before it met an outage, so its coverage figures are no baseline to judge by.)
        again = cluster.run("pgdown-2", 3, "-s", "NEWSBOT_CANARY_ENABLED=False")
        assert set(again.values()) == {0}, cluster.why(again)
        exactly_once(cluster, wanted)
    finally:
        pg.remove()


def test_workers_deliver_to_s3_under_their_own_keys(
    tmp_path: Path, slow_web: SampleWebServer, redis_server: RedisServer,  # noqa: F811
    postgres: PostgresServer, moto: MotoServer,  # noqa: F811
) -> None:
    outlets = "ittefaq,jugantor"
    bucket = moto.new_bucket()
    cluster = make_cluster(tmp_path, slow_web, redis_server, postgres)
    cluster.outlets = outlets
    codes = cluster.run("s3run", 2, **moto.env(NEWSBOT_S3_BUCKET=bucket,
                                               NEWSBOT_S3_PREFIX="corpus"))
    assert set(codes.values()) == {0}, cluster.why(codes)
    feeds = {k: v for k, v in moto.objects(bucket).items() if k.endswith(".jsonl")}
    # corpus/bn_world/YYYY/MM/DD/<run>/<worker>/<stamp>.jsonl: workers never share a key
    workers = set()
    for key in feeds:
        pattern = r"corpus/bn_world/\d{4}/\d\d/\d\d/s3run/(w\d)/\d{8}T\d{6}Z\.jsonl"
        match = re.fullmatch(pattern, key)
        assert match, key
        workers.add(match.group(1))
    assert workers == {"w0", "w1"}
    urls = Counter(r["canonical_url"] for data in feeds.values() for r in feed_lines(data))
    assert set(urls) == bengali_article_urls(*outlets.split(",")) and max(urls.values()) == 1
