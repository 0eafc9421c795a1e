"""The one module that relies on scrapy-redis beyond its documented interfaces: the scheduler
and duplicate filter a worker runs (``SCHEDULER``, ``DUPEFILTER_CLASS``), built on scrapy-redis
0.9.1's ``Scheduler`` and ``RFPDupeFilter`` and their attributes ``server``, ``queue`` and ``df``.
``tests/test_cluster_units.py`` checks those assumptions and fails loudly on another version
(Scrapy's own private hooks are in :mod:`newsbot.scrapyadapter`).

What newsbot adds to them:

* keys of the run (``newsbot:<spider>:<run>:requests`` / ``:dupefilter``), always persistent
  (a closing worker never deletes the shared queue), expiring with the run's other keys;
* an activity mark (``:activity``, expiring after ``NEWSBOT_CLUSTER_IDLE_CLOSE`` seconds) set
  whenever a worker pushes or pops a request, so workers close only when the whole run is idle;
* Redis outages ride out: a request that cannot be pushed is kept in the worker and pushed when
  Redis answers again; a pop that fails yields nothing for now;
* compact duplicate-filter entries (20-byte SHA-1 digests instead of 40 hex characters).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import deque
from typing import Any

import redis
import scrapy_redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.python import to_unicode
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from w3lib.url import canonicalize_url

from newsbot import statskeys
from newsbot.cluster import serializer
from newsbot.cluster.config import ClusterConfig
from newsbot.services import ServiceUnavailable, redact_url

logger = logging.getLogger(__name__)

#: The scrapy-redis release this module was written and tested against.
SCRAPY_REDIS_VERSION = "0.9.1"
REDIS_ERRORS = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)
QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"


def redis_client(url: str) -> redis.Redis:
    """A client with short time-outs (a worker must notice an outage, not hang on it)."""
    return redis.Redis.from_url(
        url, socket_timeout=10, socket_connect_timeout=5, health_check_interval=15
    )


def check_redis(client: redis.Redis, url: str) -> None:
    """Raise :class:`ServiceUnavailable` (redacted URL) unless Redis answers."""
    try:
        client.ping()
    except redis.AuthenticationError as exc:
        raise ServiceUnavailable(f"Redis {redact_url(url)} refused us: {exc}") from None
    except redis.RedisError as exc:
        raise ServiceUnavailable(f"Redis {redact_url(url)} is unreachable: {exc}") from None


class CompactDupeFilter(RFPDupeFilter):
    """scrapy-redis's duplicate filter storing raw 20-byte digests (about half the memory)."""

    def request_fingerprint(self, request: Request) -> bytes:  # type: ignore[override]
        data = {
            "method": to_unicode(request.method),
            "url": canonicalize_url(request.url),
            "body": (request.body or b"").hex(),
        }
        return hashlib.sha1(json.dumps(data, sort_keys=True).encode()).digest()

    def request_seen(self, request: Request) -> bool:
        return self.server.sadd(self.key, self.request_fingerprint(request)) == 0

    @classmethod
    def from_spider(cls, spider: Any) -> CompactDupeFilter:
        """The run's duplicate filter (``newsbot:<spider>:<run>:dupefilter``)."""
        config = ClusterConfig.from_settings(spider.settings)
        debug = spider.settings.getbool("DUPEFILTER_DEBUG")
        return cls(redis_client(config.redis_url), key=config.key(spider.name, "dupefilter"),
                   debug=debug)


class ClusterScheduler(Scheduler):
    """scrapy-redis's scheduler on the run's keys, riding out Redis outages (see the module)."""

    def __init__(self, server: redis.Redis, config: ClusterConfig, **kwargs: Any):
        super().__init__(server, persist=True, **kwargs)
        self.config = config
        self._unpushed: deque[Request] = deque()
        self._activity_key = ""
        self._activity_ms = max(1000, int(config.idle_close * 1000))
        self._down = False

    @classmethod
    def for_run(cls, config: ClusterConfig) -> ClusterScheduler:
        """The scheduler of the run ``config`` names (Redis checked: ServiceUnavailable)."""
        server = redis_client(config.redis_url)
        check_redis(server, config.redis_url)
        return cls(
            server,
            config,
            queue_key=config.key("%(spider)s", "requests"),
            queue_cls=QUEUE_CLASS,
            dupefilter_key=config.key("%(spider)s", "dupefilter"),
            dupefilter_cls="newsbot.cluster.redisadapter.CompactDupeFilter",
            serializer=serializer,
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClusterScheduler:
        instance = cls.for_run(ClusterConfig.from_settings(crawler.settings))
        instance.stats = crawler.stats
        return instance

    def open(self, spider: Any) -> None:
        super().open(spider)
        self._activity_key = self.config.key(spider.name, "activity")

    # -- outages -------------------------------------------------------------------------------

    def _lost(self, exc: BaseException) -> None:
        if not self._down:
            logger.warning("Redis %s is not answering (%s); requests are kept in this worker "
                           "until it is back", redact_url(self.config.redis_url), exc)
            self._down = True
        if self.stats:
            self.stats.inc_value(statskeys.CLUSTER_REDIS_ERRORS)

    def _back(self) -> None:
        if self._down:
            logger.info("Redis %s answers again", redact_url(self.config.redis_url))
            self._down = False

    def _touch(self) -> None:
        self.server.set(self._activity_key, b"1", px=self._activity_ms)

    def _push(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.queue.push(request)
        self._touch()
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def _flush_unpushed(self) -> None:
        while self._unpushed:
            self._push(self._unpushed[0])
            self._unpushed.popleft()

    # -- the scheduler interface ---------------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        try:
            self._flush_unpushed()
            pushed = self._push(request)
        except REDIS_ERRORS as exc:
            self._lost(exc)
            self._unpushed.append(request)
            return True
        self._back()
        return pushed

    def next_request(self) -> Request | None:
        try:
            self._flush_unpushed()
            request = self.queue.pop(0)
            if request is not None:
                self._touch()
        except REDIS_ERRORS as exc:
            self._lost(exc)
            return None
        self._back()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self._unpushed:
            return True
        try:
            return len(self.queue) > 0
        except REDIS_ERRORS as exc:
            self._lost(exc)
            return False

    def run_active(self) -> bool:
        """Whether some worker pushed or popped a request within the idle-close time."""
        return bool(self.server.exists(self._activity_key))

    def close(self, reason: str) -> None:
        """Never flush: other workers may still be using the run's queue."""
        if self._unpushed:
            logger.error("%d request(s) could not be pushed to Redis before closing; the next "
                         "run discovers them again", len(self._unpushed))


def installed_version() -> str:
    """The installed scrapy-redis version."""
    return str(getattr(scrapy_redis, "__version__", "unknown"))

