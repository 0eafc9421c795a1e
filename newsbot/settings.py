"""Scrapy settings for newsbot.

Defaults are polite (robots.txt, AutoThrottle, two requests at a time per domain, an honest
User-Agent) and write UTF-8 JSON Lines under ``feeds/``. Settings named ``NEWSBOT_*`` are the
project's own: their defaults live in ``newsbot.default_settings`` (taken in below), and the
README lists them.
"""

import os

from newsbot import __version__, default_settings
from newsbot.cleaning import CLEANING_PIPELINES
from newsbot.default_settings import *  # noqa: F403  (every NEWSBOT_* default)
from newsbot.items import record_fields

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.spiders"]
NEWSPIDER_MODULE = "newsbot.spiders"

# -- politeness -------------------------------------------------------------------------------
# Who runs the crawl: a page or mailto: URL that site owners can reach; shown in the User-Agent.
NEWSBOT_CONTACT_URL = os.environ.get("NEWSBOT_CONTACT_URL", default_settings.NEWSBOT_CONTACT_URL)
USER_AGENT = f"newsbot/{__version__} (Bengali news corpus crawler; +{{contact}})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# -- fetching ---------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
RETRY_TIMES = 2
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Scrapy runs this many of a callback's outputs through the pipelines at once; newsbot's
# callbacks yield at most one article and its pipelines are synchronous, and Scrapy starts this
# many tasks for every callback's output (100 by default): 1 is faster and gives the same feed.
CONCURRENT_ITEMS = 1

# -- what to crawl (NEWSBOT_OUTLETS, NEWSBOT_MAX_LISTING_PAGES, … in newsbot.default_settings) ---
# A run that is still crawling after this many seconds closes cleanly (exit code 8).
CLOSESPIDER_TIMEOUT = 3600

# -- cleaning ---------------------------------------------------------------------------------
# The cleaning pipelines (newsbot.cleaning.CLEANING_PIPELINES), then the incremental filter.
ITEM_PIPELINES = {
    **CLEANING_PIPELINES,
    "newsbot.pipelines.incremental.IncrementalPipeline": 1000,  # last: drops unchanged articles
}
# The drop ledger logs each drop in one line; Scrapy's own message would repeat the whole item.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

# -- incremental runs (state store, refetch window: newsbot.default_settings) -----------------
DOWNLOADER_MIDDLEWARES = {
    "newsbot.middlewares.refetch.RefetchMiddleware": 50,
    # a decompression bomb and a redirect loop become drops (too_large, redirect_loop)
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "newsbot.middlewares.limits.SizeLimitedCompressionMiddleware": 590,
    "newsbot.middlewares.limits.RedirectLoopMiddleware": 650,
}

# -- feeds and delivery -----------------------------------------------------------------------
# Feeds are written to the spool and leave it only once stored (local rename or S3 upload);
# articles count as delivered only then. See the README, "Running on a schedule".
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = record_fields()  # the record's fields, in order; internal ones left out
FEED_STORE_EMPTY = True
FEED_URI_PARAMS = "newsbot.delivery.uri.feed_uri_params"
FEEDS = {
    "feeds/%(name)s/%(date)s/%(stamp)s.jsonl": {
        "format": "jsonlines",
        "encoding": "utf-8",
        "item_classes": ["newsbot.items.Article"],
    },
}
FEED_STORAGES = {
    "": "newsbot.delivery.storage.SpoolFileFeedStorage",  # plain paths such as feeds/...
    "file": "newsbot.delivery.storage.SpoolFileFeedStorage",
    "s3": "newsbot.delivery.storage.SpoolS3FeedStorage",
}
# S3: bucket, prefix, gzip and batch size from NEWSBOT_S3_* settings or the same-named
# environment variables; credentials from the environment only (AWS_ACCESS_KEY_ID, …).
ADDONS = {
    "newsbot.delivery.addon.DeliveryAddon": 0,
    # NEWSBOT_REDIS_URL (env or -s): this crawl is a worker of a shared run; see "Scaling out".
    "newsbot.cluster.addon.ClusterAddon": 10,
    # Alerts (spidermon) only when a channel is configured; see the README, "Alerts".
    "newsbot.monitoring.addon.MonitoringAddon": 20,
}

# -- runs: lock, exit codes, summary, canary --------------------------------------------------
# `scrapy crawl` takes a run lock and exits with a code that says what happened
# (newsbot.exitcodes).
COMMANDS_MODULE = "newsbot.commands"
# Raw pages: NEWSBOT_WARC_ENABLED=1 (setting or environment) archives every response the spider
# gets in gzip WARC files, rotated at NEWSBOT_WARC_MAX_MB, delivered like feeds
# (newsbot.archive.writer).
EXTENSIONS = {
    "newsbot.archive.writer.WarcArchive": -10,
    "scrapy.extensions.feedexport.FeedExporter": None,
    "newsbot.delivery.exporter.DeliveryFeedExporter": 0,
    "newsbot.extensions.ledger.DropLedger": 100,
    "newsbot.extensions.canary.CanaryExtension": 500,
    "newsbot.extensions.summary.SummaryExtension": 510,
}

LOG_LEVEL = "INFO"
