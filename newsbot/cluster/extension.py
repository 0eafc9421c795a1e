"""The worker's part in a shared run (an extension, enabled by ``NEWSBOT_REDIS_URL``).

* **Heartbeat** every few seconds: extends the leases of the worker's claims in the state store,
  keeps the run's Redis keys alive (``NEWSBOT_CLUSTER_KEY_TTL`` after the last heartbeat) and
  lists the worker under ``newsbot:<spider>:<run>:workers``.
* **Idle close.** A worker with nothing to do stays open while the run's queue has requests or
  some worker pushed or popped one within ``NEWSBOT_CLUSTER_IDLE_CLOSE`` seconds; then it closes
  (finish reason ``finished``). If the run's keys vanished (Redis restarted without its data),
  it seeds the run again (first worker only) and goes on. If Redis stays unreachable for
  ``NEWSBOT_REDIS_OUTAGE_MAX`` seconds, it closes with reason ``redis_unavailable`` (exit code 8:
  what was scraped is delivered; the next run finds the rest).
* **At close** the worker releases its claims that did not reach a feed, so the next run need
  not wait for their leases.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task, threads

from newsbot import conf, statskeys
from newsbot.cluster.config import ClusterConfig
from newsbot.cluster.redisadapter import REDIS_ERRORS, check_redis, redis_client
from newsbot.cluster.seed import claim_seed
from newsbot.delivery.context import DeliveryContext
from newsbot.scrapyadapter import wake_engine
from newsbot.state import store_for_crawler

logger = logging.getLogger(__name__)

HEARTBEAT_MAX_SECONDS = 10.0
POKE_SECONDS = 0.5


class ClusterExtension:
    """Heartbeat, idle close and claim release of a worker (see the module docstring)."""

    def __init__(self, crawler: Crawler, config: ClusterConfig):
        self.crawler = crawler
        self.config = config
        self.client = redis_client(config.redis_url)
        lease = conf.getfloat(crawler.settings, "NEWSBOT_CLAIM_LEASE_SECONDS")
        self.interval = max(0.5, min(HEARTBEAT_MAX_SECONDS, lease / 3))
        self.outage_max = conf.getfloat(crawler.settings, "NEWSBOT_REDIS_OUTAGE_MAX")
        self._outage_since: float | None = None
        self._loop: task.LoopingCall | None = None
        self._left = False
        self._poke: task.LoopingCall | None = None
        self._reseeding = False
        self._reseed_task: asyncio.Future[None] | None = None
        self.spider_name = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterExtension:
        config = ClusterConfig.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured
        ext = cls(crawler, config)
        check_redis(ext.client, config.redis_url)  # before anything starts: exit code 7
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    # -- heartbeat -----------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self.spider_name = spider.name
        stats = self.crawler.stats
        stats.set_value(statskeys.CLUSTER_RUN_ID, self.config.run_id)
        stats.set_value(statskeys.CLUSTER_WORKER_ID, self.config.worker_id)
        logger.info("Worker %s joins run %s", self.config.worker_id, self.config.run_id)
        # a worker that just started counts as activity: it may be about to seed the run
        with contextlib.suppress(*REDIS_ERRORS):
            self.client.set(self.config.key(spider.name, "activity"), b"1",
                            px=max(1000, int(self.config.idle_close * 1000)))
            self.client.sadd(self.config.key(spider.name, "participants"), self.config.worker_id)
        self._loop = task.LoopingCall(self._beat)
        self._loop.start(self.interval, now=True).addErrback(
            lambda f: logger.error("Cluster heartbeat stopped: %s", f.getErrorMessage())
        )
        self._poke = task.LoopingCall(self._wake_if_queued, spider.name)
        self._poke.start(POKE_SECONDS, now=False).addErrback(
            lambda f: logger.error("Cluster queue watch stopped: %s", f.getErrorMessage())
        )

    def _wake_if_queued(self, spider_name: str) -> None:
        """Requests pushed by other workers are taken at once, not at Scrapy's next poll."""
        try:
            queued = self.client.zcard(self.config.key(spider_name, "requests"))
        except REDIS_ERRORS:
            return
        if queued:
            wake_engine(self.crawler)

    def _beat(self) -> Any:
        return threads.deferToThread(self._beat_in_thread).addErrback(
            lambda f: logger.warning("Cluster heartbeat failed: %s", f.getErrorMessage())
        )

    def _beat_in_thread(self) -> None:
        try:
            store_for_crawler(self.crawler).heartbeat()
        finally:
            beat = self.client.time()[0]  # the Redis server's clock, shared by every worker
            with self.client.pipeline() as pipe:
                if not self._left:
                    pipe.hset(self.config.key(self.spider_name, "workers"),
                              self.config.worker_id, str(beat))
                for key in self.config.run_keys(self.spider_name):
                    pipe.expire(key, self.config.key_ttl)
                pipe.execute()

    # -- idle ----------------------------------------------------------------------------------

    def spider_idle(self, spider: Spider) -> None:
        """Keep the worker open while the run is busy (see the module docstring)."""
        try:
            with self.client.pipeline() as pipe:
                pipe.zcard(self.config.key(spider.name, "requests"))
                pipe.exists(self.config.key(spider.name, "activity"))
                pipe.exists(self.config.key(spider.name, "seeded"))
                queued, active, seeded = pipe.execute()
        except REDIS_ERRORS as exc:
            now = time.monotonic()
            self._outage_since = self._outage_since or now
            if now - self._outage_since > self.outage_max:
                logger.error("Redis unreachable for %.0f s (%s); closing this worker",
                             now - self._outage_since, exc)
                raise CloseSpider("redis_unavailable") from None
            raise DontCloseSpider from None
        self._outage_since = None
        if not seeded and not self._reseeding:
            self._reseed(spider)
            raise DontCloseSpider
        if queued or active or self._reseeding:
            raise DontCloseSpider
        logger.info("Run %s idle for %g s; worker %s closes", self.config.run_id,
                    self.config.idle_close, self.config.worker_id)
        self._leave(spider.name)

    def _leave(self, spider_name: str) -> None:
        """No longer one of the run's working workers (the canary's last judge waits for those)."""
        self._left = True  # heartbeats go on (claims), but no longer list this worker
        with contextlib.suppress(*REDIS_ERRORS):
            self.client.hdel(self.config.key(spider_name, "workers"), self.config.worker_id)

    def _reseed(self, spider: Spider) -> None:
        if not claim_seed(self.client, self.config, spider.name):
            return
        logger.warning("The keys of run %s are gone from Redis (restarted?); worker %s seeds "
                       "the run again", self.config.run_id, self.config.worker_id)
        self.crawler.stats.inc_value(statskeys.CLUSTER_RESEEDED)
        self._reseeding = True

        async def feed() -> None:
            try:
                async for request in spider.start():
                    self.crawler.engine.crawl(request)
            finally:
                self._reseeding = False

        self._reseed_task = asyncio.ensure_future(feed())

    # -- close ---------------------------------------------------------------------------------

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        for loop in (self._loop, self._poke):
            if loop is not None and loop.running:
                loop.stop()
        context = DeliveryContext.for_crawler(self.crawler)
        if context.exporter_active:
            # claims become permanent when the feeds are sealed: release the rest only then
            await maybe_deferred_to_future(context.wait_closed())
        try:
            released = store_for_crawler(self.crawler).release_claims()
        except Exception as exc:
            logger.warning("Could not release this worker's claims (%s); they lapse after "
                           "their lease", exc)
        else:
            self.crawler.stats.set_value(statskeys.CLUSTER_CLAIMS_RELEASED, released)
        self._leave(spider.name)
