"""Politeness shared by every worker: per-host request rate and concurrency held in Redis.

A downloader middleware (enabled by ``NEWSBOT_REDIS_URL``). Before a request goes out it takes
a slot for the request's host in Redis, atomically (one Lua script, timed by the Redis server's
clock): at most ``NEWSBOT_SHARED_CONCURRENCY`` requests to one host at a time across all
workers (default: ``CONCURRENT_REQUESTS_PER_DOMAIN``), and one request started per
``NEWSBOT_SHARED_DOWNLOAD_DELAY`` seconds (default: ``DOWNLOAD_DELAY``), or per the host's
robots.txt ``Crawl-delay`` when that is longer. The slot is given back when the response (or
error) arrives; a slot of a killed worker expires after ``DOWNLOAD_TIMEOUT`` plus a margin.

Crawl-delay: robots.txt responses pass through this middleware (Scrapy's robots.txt middleware
downloads them through the same chain); the delay they ask of newsbot's User-Agent is kept in
Redis for every worker. Keys: ``newsbot:limit:<host>:active`` (sorted set of slots),
``:next`` (earliest start of the next request), ``:crawl-delay``; all expire on their own.

Stats: ``newsbot/limiter/waits``, ``newsbot/limiter/wait_seconds``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from urllib.parse import urlsplit

from protego import Protego
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from newsbot import conf, statskeys
from newsbot.cluster.config import KEY_ROOT, ClusterConfig
from newsbot.cluster.redisadapter import REDIS_ERRORS, redis_client
from newsbot.services import ServiceUnavailable, redact_url

logger = logging.getLogger(__name__)

_META = "newsbot_limiter_slot"
_CRAWL_DELAY_TTL = 24 * 3600
_CACHE_SECONDS = 30.0

# KEYS: active slots, next start. ARGV: token, concurrency, delay ms, slot lease ms.
# Returns 0 when the slot is taken, else milliseconds to wait before asking again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 25
end
local next_at = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < next_at then
  return next_at - now
end
local lease = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
local delay = tonumber(ARGV[3])
if delay > 0 then
  redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000)
end
return 0
"""


def limit_key(host: str, name: str) -> str:
    """``newsbot:limit:<host>:<name>`` (shared by every run)."""
    return f"{KEY_ROOT}:limit:{host}:{name}"


class SharedLimiterMiddleware:
    """Per-host rate and concurrency across workers (see the module docstring)."""

    def __init__(self, crawler: Crawler, config: ClusterConfig):
        settings = crawler.settings
        self.crawler = crawler
        self.config = config
        self.client = redis_client(config.redis_url)
        # unset (None): the per-process politeness settings hold for the run as a whole
        delay = conf.get(settings, "NEWSBOT_SHARED_DOWNLOAD_DELAY")
        concurrency = conf.get(settings, "NEWSBOT_SHARED_CONCURRENCY")
        self.delay = float(settings.getfloat("DOWNLOAD_DELAY") if delay is None else delay)
        self.concurrency = max(1, int(
            settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") if concurrency is None
            else concurrency
        ))
        self.lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 30) * 1000)
        self.outage_max = conf.getfloat(settings, "NEWSBOT_REDIS_OUTAGE_MAX")
        self.user_agent = str(settings.get("USER_AGENT") or "newsbot")
        self._script = self.client.register_script(_ACQUIRE)
        self._crawl_delays: dict[str, tuple[float, float]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedLimiterMiddleware:
        config = ClusterConfig.from_settings(crawler.settings)
        if not config.enabled:
            raise NotConfigured
        return cls(crawler, config)

    # -- delays --------------------------------------------------------------------------------

    def crawl_delay(self, host: str) -> float:
        """The host's robots.txt Crawl-delay as known to the run (0 when none)."""
        cached = self._crawl_delays.get(host)
        now = time.monotonic()
        if cached is not None and now - cached[1] < _CACHE_SECONDS:
            return cached[0]
        raw = self.client.get(limit_key(host, "crawl-delay"))
        value = float(raw) if raw else 0.0
        self._crawl_delays[host] = (value, now)
        return value

    def delay_for(self, host: str) -> float:
        """Seconds between two request starts to ``host``."""
        return max(self.delay, self.crawl_delay(host))

    # -- slots ---------------------------------------------------------------------------------

    async def process_request(self, request: Request) -> None:
        """Wait for a shared slot for the request's host."""
        host = urlsplit(request.url).hostname or ""
        if not host:
            return
        token = f"{self.config.worker_id}:{secrets.token_hex(6)}"
        waited = 0.0
        outage = 0.0
        while True:
            try:
                delay_ms = int(self.delay_for(host) * 1000)
                wait_ms = int(self._script(
                    keys=[limit_key(host, "active"), limit_key(host, "next")],
                    args=[token, self.concurrency, delay_ms, self.lease_ms],
                ))
            except REDIS_ERRORS as exc:
                outage += 0.5
                if outage > self.outage_max:
                    raise ServiceUnavailable(
                        f"Redis {redact_url(self.config.redis_url)} unreachable for the shared "
                        f"limiter: {exc}"
                    ) from None
                await asyncio.sleep(0.5)
                continue
            if wait_ms <= 0:
                break
            waited += wait_ms / 1000
            await asyncio.sleep(min(wait_ms, 1000) / 1000)
        request.meta[_META] = (host, token)
        if waited:
            stats = self.crawler.stats
            stats.inc_value(statskeys.LIMITER_WAITS)
            stats.inc_value(statskeys.LIMITER_WAIT_SECONDS, round(waited, 3))

    def _release(self, request: Request) -> None:
        slot = request.meta.pop(_META, None)
        if slot is None:
            return
        host, token = slot
        with contextlib.suppress(*REDIS_ERRORS):  # else the slot expires by itself
            self.client.zrem(limit_key(host, "active"), token)

    def process_response(self, request: Request, response: Response) -> Response:
        """Give the slot back; learn the Crawl-delay from a robots.txt response."""
        self._release(request)
        if urlsplit(request.url).path == "/robots.txt" and response.status == 200:
            self._learn_crawl_delay(request, response)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        """Give the slot back."""
        self._release(request)

    def _learn_crawl_delay(self, request: Request, response: Response) -> None:
        host = urlsplit(request.url).hostname or ""
        try:
            text = response.body.decode("utf-8", "replace")
            delay = Protego.parse(text).crawl_delay(self.user_agent)
        except Exception:  # an unreadable robots.txt asks for nothing
            return
        if not delay:
            return
        try:
            self.client.set(limit_key(host, "crawl-delay"), float(delay), ex=_CRAWL_DELAY_TTL)
        except REDIS_ERRORS:
            return
        self._crawl_delays[host] = (float(delay), time.monotonic())
        logger.info("robots.txt of %s asks for a Crawl-delay of %g s (shared by all workers)",
                    host, float(delay))
