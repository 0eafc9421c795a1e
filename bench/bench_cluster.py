"""Scaling out, measured: ``python -m bench.bench_cluster`` (``make bench-cluster``).

1. Articles per second for 1, 2 and 3 workers of one shared run over the same sample web, whose
   every answer waits ``--delay`` seconds (as over a network, so the crawl waits on I/O, not on
   the CPU). Each worker may have ``--concurrency`` requests in flight; politeness is shared
   (two requests at a time per host for all workers together), so more workers help until the
   sites' limit is reached, not beyond. Fresh Redis keys and a fresh state schema per run, so
   every run delivers every article. Two figures: over the crawl itself (first to last request
   the sample web saw) and over the whole command (process start-up included).
2. Redis memory per 100,000 URLs in a run's duplicate filter: newsbot's (20-byte digests) and
   scrapy-redis's own (40 hexadecimal characters), side by side.

Needs ``redis-server`` and PostgreSQL (Debian packages); starts both on free 127.0.0.1 ports in
a temporary folder and removes it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

from scrapy import Request

from newsbot.cluster.redisadapter import CompactDupeFilter
from newsbot.localservices import PostgresServer, RedisServer
from newsbot.sampleweb.server import serve
from tests.cluster import Cluster
from tests.crawling import SAMPLE_OUTLETS, bengali_article_urls

URLS = 100_000


def crawl(base: Path, workers: int, delay: float, concurrency: int, redis: RedisServer,
          postgres: PostgresServer) -> dict[str, float]:
    """One shared run of ``workers`` workers; its figures."""
    with serve(port=0, delay=delay) as web:
        cluster = Cluster(base / f"{workers}-workers", web.base_url, redis.url, postgres.url,
                          f"b_{uuid.uuid4().hex[:8]}", SAMPLE_OUTLETS,
                          ["-s", f"CONCURRENT_REQUESTS={concurrency}",
                           "-s", "NEWSBOT_CLUSTER_IDLE_CLOSE=2", "-s", "DOWNLOAD_DELAY=0"])
        started = time.monotonic()
        codes = cluster.run(f"bench-{workers}", workers)
        wall = time.monotonic() - started
        times = list(web.access_times)
    if set(codes.values()) != {0}:
        raise SystemExit(cluster.why(codes))
    delivered = cluster.delivered()
    wanted = bengali_article_urls(*SAMPLE_OUTLETS.split(","))
    if set(delivered) != wanted or max(delivered.values()) != 1:
        twice = sorted(u for u, n in delivered.items() if n > 1)
        raise SystemExit(f"{workers} workers: not every article exactly once: missing "
                         f"{sorted(wanted - set(delivered))}, extra "
                         f"{sorted(set(delivered) - wanted)}, twice {twice}")
    span = max(end for *_, end in times) - min(start for _, _, start, _ in times)
    return {"articles": len(delivered), "requests": len(times), "crawl_s": span,
            "wall_s": wall}


def dupefilter_bytes(redis: RedisServer, compact: bool) -> int:
    """Redis memory taken by a duplicate filter holding ``URLS`` request fingerprints."""
    client = redis.client()
    client.flushall()
    before = int(client.info("memory")["used_memory"])
    key = "newsbot:bn_world:bench:dupefilter"
    dupefilter = CompactDupeFilter(client, key)
    batch = []
    for n in range(URLS):
        request = Request(f"https://www.prothomalo.com/world/asia/{n:08d}-{uuid.uuid4().hex}")
        fp = dupefilter.request_fingerprint(request)
        batch.append(fp if compact else fp.hex())
        if len(batch) == 1000:
            client.sadd(key, *batch)
            batch = []
    after = int(client.info("memory")["used_memory"])
    assert client.scard(key) == URLS
    client.delete(key)
    return after - before


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_cluster", description=__doc__)
    parser.add_argument("--delay", type=float, default=0.3, help="seconds per answer")
    parser.add_argument("--concurrency", type=int, default=4,
                        help="requests in flight per worker (CONCURRENT_REQUESTS)")
    parser.add_argument("--workers", default="1,2,3")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        base = Path(tmp)
        base.chmod(0o755)  # PostgreSQL runs as an unprivileged user when we are root
        redis = RedisServer().start()
        postgres = PostgresServer(base / "postgres")
        try:
            postgres.init().start()
            print(f"Sample web of 11 outlets, {args.delay:g} s per answer; "
                  f"CONCURRENT_REQUESTS={args.concurrency} per worker, politeness shared "
                  "(2 requests at a time per host for all workers)")
            print(f"{'workers':>7} {'articles':>8} {'requests':>8} {'crawl s':>8} "
                  f"{'articles/s':>10} {'wall s':>7} {'articles/s (wall)':>17}")
            for workers in (int(w) for w in args.workers.split(",")):
                f = crawl(base, workers, args.delay, args.concurrency, redis, postgres)
                print(f"{workers:>7} {f['articles']:>8.0f} {f['requests']:>8.0f} "
                      f"{f['crawl_s']:>8.1f} {f['articles'] / f['crawl_s']:>10.2f} "
                      f"{f['wall_s']:>7.1f} {f['articles'] / f['wall_s']:>17.2f}", flush=True)
            compact = dupefilter_bytes(redis, compact=True)
            stock = dupefilter_bytes(redis, compact=False)
            print(f"\nRedis memory per {URLS:,} seen URLs (duplicate filter of one run):")
            print(f"  newsbot (20-byte digests)        {compact / 1e6:6.1f} MB"
                  f"  ({compact / URLS:.0f} bytes per URL)")
            print(f"  scrapy-redis (40 hex characters) {stock / 1e6:6.1f} MB"
                  f"  ({stock / URLS:.0f} bytes per URL)")
        finally:
            redis.stop()
            postgres.remove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
