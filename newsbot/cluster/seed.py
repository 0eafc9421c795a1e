"""Start points pushed into the run's queue once per run.

The first worker of a run to set ``newsbot:<spider>:<run>:seeded`` (``SET NX``) feeds the
spider's start points into the shared queue; the others take requests from the queue. If Redis
loses the run's keys (a restart without persistence), the first worker to notice seeds the run
again; what was delivered or claimed meanwhile is not emitted twice (the state store says so).

``python -m newsbot seed [-a outlets=…] [-s NAME=VALUE]`` seeds a run from outside, before or
while its workers start (they then only take requests).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from typing import Any

import redis
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsbot import statskeys
from newsbot.cluster.config import ClusterConfig
from newsbot.cluster.redisadapter import ClusterScheduler, check_redis, redis_client
from newsbot.delivery.cli import project_settings
from newsbot.exitcodes import ExitCode
from newsbot.services import ServiceUnavailable, redact_url

logger = logging.getLogger(__name__)


def claim_seed(client: redis.Redis, config: ClusterConfig, spider: str) -> bool:
    """Whether this worker is the one to seed the run (``SET NX`` on the run's seed mark)."""
    return bool(
        client.set(config.key(spider, "seeded"), config.worker_id, nx=True, ex=config.key_ttl)
    )


class SeedOnceMiddleware:
    """Spider middleware: lets the spider's start requests through in the worker that seeds
    the run, and none in the others."""

    def __init__(self, crawler: Crawler, config: ClusterConfig):
        self.crawler = crawler
        self.config = config
        self.client = redis_client(config.redis_url)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SeedOnceMiddleware:
        config = ClusterConfig.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured
        return cls(crawler, config)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """The start requests if this worker seeds the run; nothing otherwise."""
        spider = self.crawler.spider
        name = spider.name if spider is not None else "spider"
        if not claim_seed(self.client, self.config, name):
            holder = self.client.get(self.config.key(name, "seeded"))
            logger.info(
                "Run %s was seeded by %s; worker %s takes requests from the shared queue",
                self.config.run_id,
                (holder or b"?").decode("utf-8", "replace"),
                self.config.worker_id,
            )
            return
        logger.info("Worker %s seeds run %s", self.config.worker_id, self.config.run_id)
        self.crawler.stats.set_value(statskeys.CLUSTER_SEEDED, 1)
        async for item in start:
            yield item


# -- python -m newsbot seed -----------------------------------------------------------------------


async def _start_requests(spider: Any) -> list[Any]:
    return [request async for request in spider.start()]


def seed(settings: Any, spider_args: dict[str, str]) -> int:
    """Push the spider's start requests into the run's queue (once); returns the exit code."""
    from newsbot.spiders.bn_world import BnWorldSpider

    config = ClusterConfig.from_settings(settings)
    if not config.enabled:
        logger.error("NEWSBOT_REDIS_URL is not set: there is no shared run to seed")
        return ExitCode.CONFIG_ERROR
    client = redis_client(config.redis_url)
    try:
        check_redis(client, config.redis_url)
    except ServiceUnavailable as exc:
        logger.error("%s", exc)
        return ExitCode.CONFIG_ERROR
    settings.set("NEWSBOT_RUN_ID", config.run_id, priority="cmdline")
    crawler = Crawler(BnWorldSpider, settings)
    spider = BnWorldSpider.from_crawler(crawler, **spider_args)
    if not claim_seed(client, config, spider.name):
        print(f"run {config.run_id} is already seeded; nothing pushed")
        return ExitCode.OK
    scheduler = ClusterScheduler.for_run(config)
    scheduler.open(spider)
    pushed = sum(1 for r in asyncio.run(_start_requests(spider)) if scheduler.enqueue_request(r))
    where = redact_url(config.redis_url)
    print(f"run {config.run_id}: {pushed} start request(s) pushed to {where}")
    return ExitCode.OK


def main(argv: list[str] | None = None) -> int:
    """``python -m newsbot seed [-a NAME=VALUE] [-s NAME=VALUE]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m newsbot seed",
        description="Push the start points of a shared run into its Redis queue (once per run).",
    )
    parser.add_argument("-a", dest="spargs", action="append", default=[], metavar="NAME=VALUE",
                        help="spider argument (e.g. outlets=prothomalo,ittefaq)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a setting (e.g. NEWSBOT_RUN_ID=backfill-1)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    settings = project_settings(args.set)
    spargs = {}
    for item in args.spargs:
        name, sep, value = item.partition("=")
        if not sep:
            parser.error(f"bad -a value {item!r}: use -a NAME=VALUE")
        spargs[name] = value
    return seed(settings, spargs)
