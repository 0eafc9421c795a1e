"""Scrapy settings for newsbot.

Defaults are polite (robots.txt, AutoThrottle, two requests at a time per domain, an honest
User-Agent) and write UTF-8 JSON Lines under ``feeds/``. Settings named ``NEWSBOT_*`` are the
project's own; the README lists them.
"""

import os

from newsbot import __version__
from newsbot.cleaning import CLEANING_PIPELINES
from newsbot.items import record_fields

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

# Scrapy runs this many of a callback's outputs through the pipelines at once; newsbot's
# callbacks yield at most one article and its pipelines are synchronous, and Scrapy starts this
# many tasks for every callback's output (100 by default): 1 is faster and gives the same feed.
CONCURRENT_ITEMS = 1
# Worker processes that extract article pages (0: in the crawl process). Pays when extraction,
# not the network, limits a crawl and a core is free (backfills, local mirrors).
NEWSBOT_EXTRACT_WORKERS = 0

# -- what to crawl ----------------------------------------------------------------------------
# Outlet ids to crawl (empty: every outlet of the registry with status "listed").
NEWSBOT_OUTLETS: list[str] = []
# How many pages of a section listing to follow.
NEWSBOT_MAX_LISTING_PAGES = 3
# Follow an article's related links to other articles of the crawled outlets (one hop).
NEWSBOT_FOLLOW_RELATED = True
# Dated news sitemaps are read for this many days back from today.
NEWSBOT_SITEMAP_DAYS = 2
# Bounds on what one run may queue, whatever a site serves (beyond them: counted under
# newsbot/capped/<what> and logged once): sitemap indexes followed this deep, article URLs
# taken from one feed or sitemap, article requests per outlet.
NEWSBOT_SITEMAP_MAX_DEPTH = 2
NEWSBOT_MAX_URLS_PER_SITEMAP = 2000
NEWSBOT_MAX_ARTICLES_PER_OUTLET = 3000
# A run that is still crawling after this many seconds closes cleanly (exit code 8).
CLOSESPIDER_TIMEOUT = 3600
# Article URLs from feeds and sitemaps wait in the spider (a string each) and go to the scheduler
# while it holds fewer than this many requests: a sitemap of any size costs little memory.
NEWSBOT_FRONTIER_BATCH = 256

# -- cleaning ---------------------------------------------------------------------------------
# The cleaning pipelines (newsbot.cleaning.CLEANING_PIPELINES), then the incremental filter.
ITEM_PIPELINES = {
    **CLEANING_PIPELINES,
    "newsbot.pipelines.incremental.IncrementalPipeline": 1000,  # last: drops unchanged articles
}
# Languages kept; other articles are dropped with reason language:<code>.
NEWSBOT_LANGUAGES = ["bn"]
# Share of Bengali-script letters from which text is told apart among the Bengali-script
# languages (letters, marker words, pycld2) instead of by langdetect (newsbot.language).
NEWSBOT_LANGUAGE_SCRIPT_SHARE = 0.6
# How much text langdetect reads (it costs about 8 ms per 3,000 characters).
NEWSBOT_LANGDETECT_MAX_CHARS = 1000
NEWSBOT_MIN_BODY_CHARS = 200
# Boilerplate phrase file (empty: the bundled newsbot/data/boilerplate_bn.tsv).
NEWSBOT_BOILERPLATE_PATH = ""
NEWSBOT_PROFILES_DIR = ""  # a folder of profile files replacing the bundled ones per outlet
# Declared canonical URLs a run remembers, to notice one that distinct articles share.
NEWSBOT_CANONICAL_TRACK = 10_000
# A line on at least this share of an outlet's pages (and on this many pages) is template text.
NEWSBOT_TEMPLATE_MIN_SHARE = 0.5
NEWSBOT_TEMPLATE_MIN_PAGES = 3
NEWSBOT_TEMPLATE_MAX_WORDS = 30
NEWSBOT_TEMPLATE_WINDOW = 400
# Learned template lines persist here between runs (empty: neither load nor save).
NEWSBOT_TEMPLATES_PATH = ".newsbot/templates.json"
NEWSBOT_TEMPLATES_LEARN = True
NEWSBOT_TEMPLATES_SAVE_EVERY = 100
NEWSBOT_TEMPLATES_SAVE_INTERVAL = 300
NEWSBOT_DUPLICATE_MIN_SENTENCE_WORDS = 3
# A title part that the titles of this many pages of a host share is the site's name.
NEWSBOT_TITLE_SITE_MIN_PAGES = 3
NEWSBOT_TITLE_SITE_MAX_HOSTS = 1000
# The drop ledger logs each drop in one line; Scrapy's own message would repeat the whole item.
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"

# -- incremental runs -------------------------------------------------------------------------
# Per canonical URL: content fingerprint, first/last seen, delivery state; per outlet: run history.
NEWSBOT_STATE_PATH = ".newsbot/state.sqlite3"
NEWSBOT_STATE_BACKEND = "newsbot.state.SQLiteStateStore"
# The store's id and delivery count, kept outside it to notice a store that was emptied,
# deleted or rolled back (newsbot.stateguard); empty: beside the SQLite file.
NEWSBOT_STATE_MARKER_PATH = ""
NEWSBOT_INCREMENTAL = True
# Article pages already delivered are fetched again only while younger than this,
NEWSBOT_REFETCH_WINDOW_HOURS = 48
# and then only when one of these points (hours after publication) passed since the last fetch
# (empty: on every run inside the window),
NEWSBOT_REFETCH_SCHEDULE_HOURS = [1, 6, 24, 48]
# with If-None-Match / If-Modified-Since from the stored validators (304 = unchanged).
NEWSBOT_CONDITIONAL_REQUESTS = True
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
NEWSBOT_SPOOL_DIR = ".newsbot/spool"
# S3: bucket, prefix, gzip and batch size from NEWSBOT_S3_* settings or the same-named
# environment variables; credentials from the environment only (AWS_ACCESS_KEY_ID, …).
ADDONS = {
    "newsbot.delivery.addon.DeliveryAddon": 0,
    # NEWSBOT_REDIS_URL (env or -s): this crawl is a worker of a shared run; see "Scaling out".
    "newsbot.cluster.addon.ClusterAddon": 10,
    # Alerts (spidermon) only when a channel is configured; see the README, "Alerts".
    "newsbot.monitoring.addon.MonitoringAddon": 20,
}
NEWSBOT_S3_CONNECT_TIMEOUT = 10
NEWSBOT_S3_READ_TIMEOUT = 30
NEWSBOT_S3_MAX_ATTEMPTS = 3
# Dropped pages and items, one JSON line each, beside the main feed.
NEWSBOT_REJECTS_ENABLED = True
NEWSBOT_REJECTS_URI = "feeds/%(name)s/%(date)s/%(stamp)s.rejects.jsonl"
# Counted but not written: an unchanged article was delivered by an earlier run.
NEWSBOT_REJECTS_SKIP = ["unchanged"]

# -- runs: lock, exit codes, summary, canary --------------------------------------------------
# `scrapy crawl` takes a run lock and exits with a code that says what happened
# (newsbot.exitcodes).
COMMANDS_MODULE = "newsbot.commands"
NEWSBOT_LOCK_PATH = ".newsbot/run.lock"
# A run holding the lock longer than this (seconds) is frozen or hung: reported, exit code 10.
NEWSBOT_LOCK_STALE_AFTER = 7200
NEWSBOT_SUMMARY_DIR = ".newsbot/summaries"  # summaries of runs without a local feed
NEWSBOT_LAST_RUN_PATH = ".newsbot/last-run.json"  # copy of the latest run summary
NEWSBOT_CANARY_ENABLED = True
NEWSBOT_CANARY_MAX_DROP = 0.5  # share of an outlet's field coverage that may be lost
NEWSBOT_CANARY_MIN_ARTICLES = 3
NEWSBOT_CANARY_HISTORY = 5
NEWSBOT_CANARY_ACCEPT: list[str] = []
NEWSBOT_CANARY_STALE_HOURS = 48  # an outlet with nothing new for this long is reported; 0: never
# Alerts: the spidermon suite's drop-rate check (share of pages and items dropped; drops for
# these reasons count as fine; judged from this many pages and items on).
NEWSBOT_MONITOR_MAX_DROP_RATE = 0.5
NEWSBOT_MONITOR_DROP_RATE_IGNORE = ["unchanged", "duplicate_url"]
NEWSBOT_MONITOR_DROP_RATE_MIN = 20
NEWSBOT_ALERT_WEBHOOK_TIMEOUT = 10.0  # seconds; the URL itself comes from the environment only
# An outlet whose profile misses one of these fields ("detect": no version recognised the page)
# on more than this share of its pages trips the canary (a redesign).
NEWSBOT_CANARY_PROFILE_FIELDS = ["detect", "title", "body"]
NEWSBOT_CANARY_PROFILE_MISS_SHARE = 0.5
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
