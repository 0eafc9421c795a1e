"""Scrapy settings for newsbot.

Defaults are polite (robots.txt, AutoThrottle, two requests at a time per domain, an honest
User-Agent) and write UTF-8 JSON Lines under ``feeds/``. Settings named ``NEWSBOT_*`` are the
project's own; the README lists them.
"""

import os

from newsbot import __version__
from newsbot.cleaning import CLEANING_PIPELINES

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.spiders"]
NEWSPIDER_MODULE = "newsbot.spiders"

# -- politeness -------------------------------------------------------------------------------
# Who runs the crawl: a page or mailto: URL that site owners can reach; shown in the User-Agent.
NEWSBOT_CONTACT_URL = os.environ.get("NEWSBOT_CONTACT_URL", "mailto:newsbot-operator@localhost")
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

# -- what to crawl ----------------------------------------------------------------------------
# Outlet ids to crawl (empty: every outlet of the registry with status "listed").
NEWSBOT_OUTLETS: list[str] = []
# How many pages of a section listing to follow.
NEWSBOT_MAX_LISTING_PAGES = 3
# Follow an article's related links to other articles of the crawled outlets (one hop).
NEWSBOT_FOLLOW_RELATED = True
# Dated news sitemaps are read for this many days back from today.
NEWSBOT_SITEMAP_DAYS = 2

# -- cleaning ---------------------------------------------------------------------------------
ITEM_PIPELINES = {**CLEANING_PIPELINES}
# The drop ledger logs each drop in one line; Scrapy's own message would repeat the whole item.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

# -- feeds ------------------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
FEED_STORE_EMPTY = True
FEED_URI_PARAMS = "newsbot.delivery.uri.feed_uri_params"
FEEDS = {
    "feeds/%(name)s/%(date)s/%(stamp)s.jsonl": {
        "format": "jsonlines",
        "encoding": "utf-8",
        "item_classes": ["newsbot.items.Article"],
    },
}
# Dropped pages and items, one JSON line each, beside the main feed.
NEWSBOT_REJECTS_ENABLED = True
NEWSBOT_REJECTS_URI = "feeds/%(name)s/%(date)s/%(stamp)s.rejects.jsonl"
NEWSBOT_REJECTS_SKIP: list[str] = []

EXTENSIONS = {
    "newsbot.extensions.ledger.DropLedger": 100,
}

# -- the bundled sample web (demo and tests only) ----------------------------------------------
# With NEWSBOT_SAMPLE_WEB=http://127.0.0.1:PORT in the environment, every request goes to the
# local sample-web server under its original URL and Host, so the crawl runs offline unchanged.
NEWSBOT_SAMPLE_WEB = os.environ.get("NEWSBOT_SAMPLE_WEB", "")
if NEWSBOT_SAMPLE_WEB:
    DOWNLOAD_HANDLERS = {
        "http": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
        "https": "newsbot.sampleweb.handler.SampleWebDownloadHandler",
    }
    # The sample web is on this machine: no need to space requests out.
    DOWNLOAD_DELAY = 0.0
    AUTOTHROTTLE_START_DELAY = 0.0

LOG_LEVEL = "INFO"

# == delivery, incremental state, scheduling (newsbot.delivery, newsbot.state) ================
# Feeds are written to the spool and leave it only when stored (local rename or S3 upload);
# articles count as delivered only then. See README "Running on a schedule".
COMMANDS_MODULE = "newsbot.commands"  # `scrapy crawl`: run lock + exit codes (newsbot.exitcodes)
FEED_STORAGES = {
    "": "newsbot.delivery.storage.SpoolFileFeedStorage",  # plain paths such as feeds/...
    "file": "newsbot.delivery.storage.SpoolFileFeedStorage",
    "s3": "newsbot.delivery.storage.SpoolS3FeedStorage",
}
EXTENSIONS = {
    **globals().get("EXTENSIONS", {}),
    "scrapy.extensions.feedexport.FeedExporter": None,
    "newsbot.delivery.exporter.DeliveryFeedExporter": 0,
    "newsbot.extensions.canary.CanaryExtension": 500,
    "newsbot.extensions.summary.SummaryExtension": 510,
}
ITEM_PIPELINES = {
    **globals().get("ITEM_PIPELINES", {}),
    "newsbot.pipelines.incremental.IncrementalPipeline": 1000,  # last: drops unchanged articles
}
DOWNLOADER_MIDDLEWARES = {
    **globals().get("DOWNLOADER_MIDDLEWARES", {}),
    "newsbot.middlewares.refetch.RefetchMiddleware": 50,
}
ADDONS = {
    **globals().get("ADDONS", {}),
    "newsbot.delivery.addon.DeliveryAddon": 0,  # S3 feed from NEWSBOT_S3_BUCKET (env or -s)
}
NEWSBOT_STATE_PATH = ".newsbot/state.sqlite3"
NEWSBOT_STATE_BACKEND = "newsbot.state.SQLiteStateStore"
NEWSBOT_SPOOL_DIR = ".newsbot/spool"
NEWSBOT_LOCK_PATH = ".newsbot/run.lock"
NEWSBOT_SUMMARY_DIR = ".newsbot/summaries"  # summaries of runs without a local feed
NEWSBOT_LAST_RUN_PATH = ".newsbot/last-run.json"  # copy of the latest run summary
NEWSBOT_INCREMENTAL = True
NEWSBOT_REFETCH_WINDOW_HOURS = 48
# S3: bucket/prefix/gzip/batch from these settings or the same-named environment variables;
# credentials from the environment only (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
NEWSBOT_S3_CONNECT_TIMEOUT = 10
NEWSBOT_S3_READ_TIMEOUT = 30
NEWSBOT_S3_MAX_ATTEMPTS = 3
NEWSBOT_CANARY_ENABLED = True
NEWSBOT_CANARY_MAX_DROP = 0.5  # share of an outlet's field coverage that may be lost
NEWSBOT_CANARY_MIN_ARTICLES = 3
NEWSBOT_CANARY_HISTORY = 5
NEWSBOT_CANARY_ACCEPT: list[str] = []
# == end of delivery block =====================================================================
