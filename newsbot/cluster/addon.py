"""The settings a worker of a shared run crawls with (a Scrapy add-on; does nothing unless
``NEWSBOT_REDIS_URL`` is set, as a setting or in the environment).

* the run id is fixed once (``NEWSBOT_RUN_ID``), and the worker id (``NEWSBOT_WORKER_ID``);
* scheduler and duplicate filter: :mod:`newsbot.cluster.redisadapter` (scrapy-redis);
* start points through :class:`~newsbot.cluster.seed.SeedOnceMiddleware` (once per run);
* :class:`~newsbot.cluster.extension.ClusterExtension` (heartbeat, idle close, claims);
* politeness moves from Scrapy's per-process delay and AutoThrottle to the shared limiter
  (:mod:`newsbot.cluster.limiter`): ``DOWNLOAD_DELAY`` and ``CONCURRENT_REQUESTS_PER_DOMAIN`` then
  hold for all workers together;
* S3 uploads are conditional (``If-None-Match: *``) and S3 keys carry the run and the worker.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

from newsbot import conf
from newsbot.cluster.config import ClusterConfig

SCHEDULER = "newsbot.cluster.redisadapter.ClusterScheduler"
DUPEFILTER = "newsbot.cluster.redisadapter.CompactDupeFilter"
SEED_MIDDLEWARE = "newsbot.cluster.seed.SeedOnceMiddleware"
LIMITER = "newsbot.cluster.limiter.SharedLimiterMiddleware"
EXTENSION = "newsbot.cluster.extension.ClusterExtension"


def _add(settings: BaseSettings, name: str, component: str, order: int) -> None:
    components = settings.getdict(name)
    components.setdefault(component, order)
    settings.set(name, components, priority=max(settings.getpriority(name) or 0, 15))


class ClusterAddon:
    """Makes the crawl a worker of a shared run when ``NEWSBOT_REDIS_URL`` is set."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Switch the crawl to the shared queue, state and politeness (see the module)."""
        config = ClusterConfig.from_settings(settings)
        if not config.enabled:
            return
        fixed = {
            "NEWSBOT_RUN_ID": config.run_id,
            "NEWSBOT_WORKER_ID": config.worker_id,
            "SCHEDULER": SCHEDULER,
            "DUPEFILTER_CLASS": DUPEFILTER,
            "SCHEDULER_PERSIST": True,
            "NEWSBOT_S3_CONDITIONAL_PUT": True,
        }
        if conf.get(settings, "NEWSBOT_SHARED_DOWNLOAD_DELAY") is None:
            fixed["NEWSBOT_SHARED_DOWNLOAD_DELAY"] = settings.getfloat("DOWNLOAD_DELAY")
        if conf.get(settings, "NEWSBOT_SHARED_CONCURRENCY") is None:
            fixed["NEWSBOT_SHARED_CONCURRENCY"] = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        fixed["DOWNLOAD_DELAY"] = 0.0
        fixed["AUTOTHROTTLE_ENABLED"] = False
        for name, value in fixed.items():
            settings.set(name, value, priority="cmdline")
        _add(settings, "SPIDER_MIDDLEWARES", SEED_MIDDLEWARE, 10)
        _add(settings, "DOWNLOADER_MIDDLEWARES", LIMITER, 950)
        _add(settings, "EXTENSIONS", EXTENSION, 400)
