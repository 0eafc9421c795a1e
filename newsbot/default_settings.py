"""The default of every ``NEWSBOT_*`` setting, in one place (like Scrapy's own
``scrapy.settings.default_settings``).

``newsbot.settings`` takes them (``from newsbot.default_settings import *``), so a crawl's settings
hold them; components read a setting through :mod:`newsbot.conf`, which falls back to the value
here when a settings object does not carry it (a bare ``Settings()``, a CLI command, a test
crawler). The README lists every setting.

A few settings stay out of the project settings (:data:`NOT_IN_PROJECT_SETTINGS`): they are read as
"the setting, else the environment variable of the same name, else the default here"
(:func:`newsbot.services.setting_or_env`), or an add-on sets them at add-on priority, which a
project setting would override.
"""

from __future__ import annotations

# -- politeness -------------------------------------------------------------------------------
# Who runs the crawl: a page or mailto: URL that site owners can reach; shown in the User-Agent
# (the environment variable of the same name overrides it, see newsbot.settings).
NEWSBOT_CONTACT_URL = "mailto:newsbot-operator@localhost"

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
# Article URLs from feeds and sitemaps wait in the spider (a string each) and go to the scheduler
# while it holds fewer than this many requests: a sitemap of any size costs little memory.
NEWSBOT_FRONTIER_BATCH = 256
# Worker processes that extract article pages (0: in the crawl process). Pays when extraction,
# not the network, limits a crawl and a core is free (backfills, local mirrors).
NEWSBOT_EXTRACT_WORKERS = 0

# -- cleaning ---------------------------------------------------------------------------------
# Languages kept; other articles are dropped with reason language:<code>.
NEWSBOT_LANGUAGES = ["bn"]
# Share of Bengali-script letters from which text is told apart among the Bengali-script
# languages (letters, marker words, pycld2) instead of by langdetect (newsbot.language).
NEWSBOT_LANGUAGE_SCRIPT_SHARE = 0.6
# How much text langdetect reads (it costs about 8 ms per 3,000 characters).
NEWSBOT_LANGDETECT_MAX_CHARS = 1000
# Articles with a shorter body are dropped (too_short).
NEWSBOT_MIN_BODY_CHARS = 200
# Boilerplate phrase file (empty: the bundled newsbot/vocabulary/boilerplate_bn.tsv).
NEWSBOT_BOILERPLATE_PATH = ""
# A folder of profile files replacing the bundled ones per outlet (empty: the bundled ones).
NEWSBOT_PROFILES_DIR = ""
# Declared canonical URLs a run remembers, to notice one that distinct articles share.
NEWSBOT_CANONICAL_TRACK = 10_000
# A line on at least this share of an outlet's pages (and on this many pages) is template text;
# longer lines never are; after this many pages of an outlet its counts are halved.
NEWSBOT_TEMPLATE_MIN_SHARE = 0.5
NEWSBOT_TEMPLATE_MIN_PAGES = 3
NEWSBOT_TEMPLATE_MAX_WORDS = 30
NEWSBOT_TEMPLATE_WINDOW = 400
# Learned template lines persist here between runs (empty: neither load nor save).
NEWSBOT_TEMPLATES_PATH = ".newsbot/templates.json"
# Learn template lines from this run's pages (off: only apply the saved ones).
NEWSBOT_TEMPLATES_LEARN = True
# Save learned template lines every this many pages or seconds, whichever comes first.
NEWSBOT_TEMPLATES_SAVE_EVERY = 100
NEWSBOT_TEMPLATES_SAVE_INTERVAL = 300
# A sentence this short ("না।", "হ্যাঁ।") may be repeated on purpose; it is left alone.
NEWSBOT_DUPLICATE_MIN_SENTENCE_WORDS = 3
# A title part that the titles of this many pages of a host share is the site's name (removed);
# at most this many hosts are remembered (the least recently seen forgotten first).
NEWSBOT_TITLE_SITE_MIN_PAGES = 3
NEWSBOT_TITLE_SITE_MAX_HOSTS = 1000

# -- incremental runs -------------------------------------------------------------------------
# Per canonical URL: content fingerprint, first/last seen, delivery state; per outlet: run history.
NEWSBOT_STATE_PATH = ".newsbot/state.sqlite3"
NEWSBOT_STATE_BACKEND = "newsbot.state.SQLiteStateStore"
# The store's id and delivery count, kept outside it to notice a store that was emptied,
# deleted or rolled back (newsbot.stateguard); empty: beside the SQLite file.
NEWSBOT_STATE_MARKER_PATH = ""
# Skip articles already delivered unchanged, and pages not due for a refetch.
NEWSBOT_INCREMENTAL = True
# Article pages already delivered are fetched again only while younger than this,
NEWSBOT_REFETCH_WINDOW_HOURS = 48
# and then only when one of these points (hours after publication) passed since the last fetch
# (empty: on every run inside the window),
NEWSBOT_REFETCH_SCHEDULE_HOURS = [1, 6, 24, 48]
# with If-None-Match / If-Modified-Since from the stored validators (304 = unchanged).
NEWSBOT_CONDITIONAL_REQUESTS = True

# -- feeds and delivery -----------------------------------------------------------------------
# Sealed feeds wait here until stored (local rename or S3 upload).
NEWSBOT_SPOOL_DIR = ".newsbot/spool"
# S3 (feeds and WARC files): bucket, key prefix, gzip, a new object every N articles (0: one per
# run), keep the local feed as well; setting or environment.
NEWSBOT_S3_BUCKET = ""
NEWSBOT_S3_PREFIX = ""
NEWSBOT_S3_GZIP = False
NEWSBOT_S3_BATCH_ITEMS = 0
NEWSBOT_S3_KEEP_LOCAL = False
# How long an unreachable S3 endpoint can hold a run: seconds, seconds, attempts.
NEWSBOT_S3_CONNECT_TIMEOUT = 10
NEWSBOT_S3_READ_TIMEOUT = 30
NEWSBOT_S3_MAX_ATTEMPTS = 3
# botocore's addressing style ("auto", "path" or "virtual").
NEWSBOT_S3_ADDRESSING_STYLE = "auto"
# Upload with If-None-Match: * (never overwrite an object); a worker of a shared run sets it.
NEWSBOT_S3_CONDITIONAL_PUT = False
# Dropped pages and items, one JSON line each, beside the main feed.
NEWSBOT_REJECTS_ENABLED = True
NEWSBOT_REJECTS_URI = "feeds/%(name)s/%(date)s/%(stamp)s.rejects.jsonl"
# Counted but not written: an unchanged article was delivered by an earlier run.
NEWSBOT_REJECTS_SKIP = ["unchanged"]

# -- runs: lock, exit codes, summary, canary --------------------------------------------------
NEWSBOT_LOCK_PATH = ".newsbot/run.lock"
# A run holding the lock longer than this (seconds) is frozen or hung: reported, exit code 10.
NEWSBOT_LOCK_STALE_AFTER = 7200
NEWSBOT_SUMMARY_DIR = ".newsbot/summaries"  # summaries of runs without a local feed
NEWSBOT_LAST_RUN_PATH = ".newsbot/last-run.json"  # copy of the latest run summary
NEWSBOT_CANARY_ENABLED = True
NEWSBOT_CANARY_MAX_DROP = 0.5  # share of an outlet's field coverage that may be lost
NEWSBOT_CANARY_MIN_ARTICLES = 3
NEWSBOT_CANARY_HISTORY = 5  # earlier runs of an outlet compared with
NEWSBOT_CANARY_ACCEPT: list[str] = []  # outlets whose change is deliberate (this run only)
NEWSBOT_CANARY_STALE_HOURS = 48  # an outlet with nothing new for this long is reported; 0: never
# An outlet whose profile misses one of these fields ("detect": no version recognised the page)
# on more than this share of its pages trips the canary (a redesign).
NEWSBOT_CANARY_PROFILE_FIELDS = ["detect", "title", "body"]
NEWSBOT_CANARY_PROFILE_MISS_SHARE = 0.5

# -- alerts (newsbot.monitoring) ----------------------------------------------------------------
# The spidermon suite's drop-rate check: share of pages and items dropped; drops for these reasons
# count as fine; judged from this many pages and items on.
NEWSBOT_MONITOR_MAX_DROP_RATE = 0.5
NEWSBOT_MONITOR_DROP_RATE_IGNORE = ["unchanged", "duplicate_url"]
NEWSBOT_MONITOR_DROP_RATE_MIN = 20
# Run the monitor suite even without an alert channel (results in the log).
NEWSBOT_MONITORING_ENABLED = False
# POST a JSON alert here (environment only: a setting that carries it stops the run).
NEWSBOT_ALERT_WEBHOOK_URL = ""
NEWSBOT_ALERT_WEBHOOK_TIMEOUT = 10.0  # seconds
# The spidermon actions of the configured channels (set by newsbot.monitoring.addon).
NEWSBOT_ALERT_ACTIONS: list[str] = []

# -- raw pages (newsbot.archive) --------------------------------------------------------------
# Archive every response the spider gets in gzip WARC files, rotated at this size (MB), written
# here (empty: beside the feed, or under warc/ on S3); setting or environment.
NEWSBOT_WARC_ENABLED = False
NEWSBOT_WARC_MAX_MB = 1000.0
NEWSBOT_WARC_URI = ""
# Where the backfill reads CC-NEWS from (https://data.commoncrawl.org/ or s3://commoncrawl/).
NEWSBOT_CCNEWS_BASE = "https://data.commoncrawl.org/"
# Reading s3:// archives: unsigned (off: the environment's credentials), endpoint (empty:
# AWS), region.
NEWSBOT_ARCHIVE_S3_ANONYMOUS = True
NEWSBOT_ARCHIVE_S3_ENDPOINT = ""
NEWSBOT_ARCHIVE_S3_REGION = "us-east-1"

# -- scaling out (newsbot.cluster, newsbot.state.postgres) ------------------------------------
# Redis of the shared crawl (set: this crawl is a worker) and PostgreSQL of the shared state;
# setting or environment.
NEWSBOT_REDIS_URL = ""
NEWSBOT_STATE_URL = ""
NEWSBOT_STATE_SCHEMA = "newsbot"
# The run a worker joins (empty: the start of the current slot of this many minutes) and the
# worker's name (empty: host + hash of the working directory); setting or environment.
NEWSBOT_RUN_ID = ""
NEWSBOT_RUN_SLOT_MINUTES = 30
NEWSBOT_WORKER_ID = ""
# Seconds the run must be idle before a worker closes; seconds a run's keys live after its last
# heartbeat; lease of an article claim; how long a worker waits for Redis to come back.
NEWSBOT_CLUSTER_IDLE_CLOSE = 30.0
NEWSBOT_CLUSTER_KEY_TTL = 6 * 3600
NEWSBOT_CLAIM_LEASE_SECONDS = 120.0
NEWSBOT_REDIS_OUTAGE_MAX = 120.0
# Politeness shared by all workers (None: DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN).
NEWSBOT_SHARED_DOWNLOAD_DELAY: float | None = None
NEWSBOT_SHARED_CONCURRENCY: int | None = None

# -- the bundled sample web (demo and tests only) ----------------------------------------------
# http://127.0.0.1:PORT of a local sample-web server: every request goes there under its
# original URL and Host (the environment variable of the same name sets it, see
# newsbot.settings).
NEWSBOT_SAMPLE_WEB = ""

#: Left out of the project settings: read from the setting, else the environment, else the default
#: above; or set by an add-on at add-on priority.
NOT_IN_PROJECT_SETTINGS = frozenset({
    "NEWSBOT_S3_BUCKET", "NEWSBOT_S3_PREFIX", "NEWSBOT_S3_GZIP", "NEWSBOT_S3_BATCH_ITEMS",
    "NEWSBOT_S3_KEEP_LOCAL", "NEWSBOT_WARC_ENABLED", "NEWSBOT_WARC_MAX_MB", "NEWSBOT_WARC_URI",
    "NEWSBOT_REDIS_URL", "NEWSBOT_STATE_URL", "NEWSBOT_STATE_SCHEMA", "NEWSBOT_RUN_ID",
    "NEWSBOT_WORKER_ID", "NEWSBOT_ALERT_WEBHOOK_URL", "NEWSBOT_ALERT_ACTIONS",
})

#: What ``from newsbot.default_settings import *`` gives the project settings.
__all__ = [
    name for name in tuple(globals())
    if name.startswith("NEWSBOT_") and name not in NOT_IN_PROJECT_SETTINGS
]
