"""Every crawl-stats key newsbot writes, named once.

Keys are plain strings under ``newsbot/`` (the run summary, the canary, the monitors, the report,
the demo and the README read them by these values); a key with a part that varies (an outlet, a
drop reason) has a small function. A pipeline counts its events under its prefix
(:attr:`newsbot.pipelines.base.CountingPipeline.stats_prefix`), e.g. ``newsbot/validate/ok``.
"""

from __future__ import annotations

#: Every newsbot key starts with this.
PREFIX = "newsbot/"

# -- drops (newsbot.drops): newsbot/drop/<reason> ---------------------------------------------
DROP_PREFIX = PREFIX + "drop/"


def drop(reason: str) -> str:
    """Drops for ``reason``: ``newsbot/drop/<reason>``."""
    return DROP_PREFIX + reason


# -- the spider ---------------------------------------------------------------------------------
PAGES_FEED = PREFIX + "pages/feed"  # feeds and sitemaps read
PAGES_LISTING = PREFIX + "pages/listing"  # section listing pages read
SKIPPED_IGNORED = PREFIX + "skipped/ignored"  # pages whose URL is no article of an outlet
CAPPED_PREFIX = PREFIX + "capped/"


def capped(what: str) -> str:
    """URLs left out by a bound (``sitemap_depth``, ``sitemap_urls``, ``outlet_articles``)."""
    return CAPPED_PREFIX + what


#: Article pages read per profiled outlet (``<prefix><outlet>``) and profile fields that matched
#: nothing on them (``newsbot/profile/miss/<outlet>/<field>``).
PROFILE_PAGES_PREFIX = PREFIX + "profile/pages/"
PROFILE_MISS_PREFIX = PREFIX + "profile/miss/"


def profile_pages(outlet_id: str) -> str:
    """Article pages of ``outlet_id`` read with its profile."""
    return PROFILE_PAGES_PREFIX + outlet_id


def profile_miss(outlet_id: str, field: str) -> str:
    """Pages of ``outlet_id`` on which its profile found no ``field`` (``detect``: no version
    recognised the page)."""
    return f"{PROFILE_MISS_PREFIX}{outlet_id}/{field}"


EXTRACT_TIME = PREFIX + "time/extract"  # seconds spent extracting in the crawl process
EXTRACT_WORKER_TIME = PREFIX + "time/extract_worker"  # CPU seconds of the extraction workers
EXTRACT_WORKERS_PEAK_RSS = PREFIX + "extract_workers/peak_rss_mb"  # largest worker peak RSS

# -- refetch (newsbot.middlewares.refetch) ------------------------------------------------------
REFETCH_PREFIX = PREFIX + "refetch/"
REFETCH_SKIPPED = REFETCH_PREFIX + "skipped"  # delivered pages not fetched again
REFETCH_SKIPPED_PREFIX = REFETCH_PREFIX + "skipped/"  # … per outlet
REFETCH_NOT_MODIFIED_PREFIX = REFETCH_PREFIX + "not_modified/"  # "304 Not Modified" per outlet


def refetch_skipped(outlet_id: str) -> str:
    """Delivered pages of ``outlet_id`` not fetched again."""
    return REFETCH_SKIPPED_PREFIX + outlet_id


def refetch_not_modified(outlet_id: str) -> str:
    """Refetches of ``outlet_id`` answered "304 Not Modified"."""
    return REFETCH_NOT_MODIFIED_PREFIX + outlet_id


# -- item pipelines: newsbot/<pipeline>/<event> -------------------------------------------------
PIPELINE_PREFIX = PREFIX  # a pipeline without a prefix of its own
SOURCE_PREFIX = PREFIX + "source/"
CANONICAL_PREFIX = PREFIX + "canonical/"
NORMALISE_PREFIX = PREFIX + "normalise/"
BOILERPLATE_PREFIX = PREFIX + "boilerplate/"
TITLES_PREFIX = PREFIX + "titles/"
RELATED_OUTLETS_PREFIX = PREFIX + "related_outlets/"
DUPLICATES_PREFIX = PREFIX + "duplicates/"
VALIDATE_PREFIX = PREFIX + "validate/"
LANGUAGE_PREFIX = PREFIX + "language/"
INCREMENTAL_PREFIX = PREFIX + "incremental/"
INCREMENTAL_NEW = INCREMENTAL_PREFIX + "new"
INCREMENTAL_REVISED = INCREMENTAL_PREFIX + "revised"
INCREMENTAL_UNCHANGED = INCREMENTAL_PREFIX + "unchanged"
BOILERPLATE_TEMPLATES_KNOWN = BOILERPLATE_PREFIX + "templates/known"

# -- delivery, rejects, run summary -------------------------------------------------------------
DELIVERY_PREFIX = PREFIX + "delivery/"
DELIVERY_FAILED = DELIVERY_PREFIX + "failed"


def delivery(event: str) -> str:
    """A delivery event: ``stored``, ``failed``, ``recovered``, ``quarantined``, …"""
    return DELIVERY_PREFIX + event


REJECTS_PATH = PREFIX + "rejects/path"  # where this run's rejects feed went
REJECTS_WRITTEN = PREFIX + "rejects/written"  # lines written to it
SUMMARY_EXIT_CODE = PREFIX + "summary/exit_code"

# -- backfill (newsbot.spiders.backfill) --------------------------------------------------------
BACKFILL_FILES_DONE = PREFIX + "backfill/files_done"
BACKFILL_FILES_SKIPPED_DONE = PREFIX + "backfill/files_skipped_done"
BACKFILL_PAGES = PREFIX + "backfill/pages"


def backfill_records(record_type: str) -> str:
    """WARC records read, by type (``response``, ``request``, …)."""
    return f"{PREFIX}backfill/records/{record_type}"


# -- raw-page archive (newsbot.archive.writer) --------------------------------------------------
WARC_FILES = PREFIX + "warc/files"
WARC_ERRORS = PREFIX + "warc/errors"
WARC_RECORDS = PREFIX + "warc/records"
WARC_FAILED = PREFIX + "warc/failed"
WARC_STORED = PREFIX + "warc/stored"


def warc_responses(kind: str) -> str:
    """Responses archived, by kind of page."""
    return f"{PREFIX}warc/responses/{kind}"


# -- a shared run (newsbot.cluster) -------------------------------------------------------------
CLUSTER_RUN_ID = PREFIX + "cluster/run_id"
CLUSTER_WORKER_ID = PREFIX + "cluster/worker_id"
CLUSTER_SEEDED = PREFIX + "cluster/seeded"
CLUSTER_RESEEDED = PREFIX + "cluster/reseeded"
CLUSTER_CLAIMS_RELEASED = PREFIX + "cluster/claims_released"
CLUSTER_REDIS_ERRORS = PREFIX + "cluster/redis_errors"
LIMITER_WAITS = PREFIX + "limiter/waits"
LIMITER_WAIT_SECONDS = PREFIX + "limiter/wait_seconds"
