"""Feed URI parameters (setting ``FEED_URI_PARAMS = "newsbot.delivery.uri.feed_uri_params"``).

Besides Scrapy's own (``%(name)s``, ``%(time)s``, ``%(batch_id)d``, ``%(batch_time)s``), feed URIs
can use, all in UTC and all fixed at the start of the run (every feed and every batch of a run
share them):

=============== ====================== =======================================
placeholder     example                note
=============== ====================== =======================================
``%(year)s``    ``2026``
``%(month)s``   ``11``
``%(day)s``     ``29``
``%(date)s``    ``2026-11-29``
``%(stamp)s``   ``20261129T194120Z``   run start, safe in file names and S3 keys
``%(batch)s``   ``00001``              batch number, zero-padded (1 without batching)
``%(spider)s``  ``bn_world``           same as ``%(name)s``
``%(run)s``     ``20261129T1930Z``     run id of a shared run (``local`` alone)
``%(worker)s``  ``crawler1``           worker id of a shared run (``local`` alone)
=============== ====================== =======================================

Local default: ``feeds/%(name)s/%(date)s/%(stamp)s.jsonl``; S3:
``s3://BUCKET/PREFIX/%(name)s/%(year)s/%(month)s/%(day)s/%(stamp)s[-%(batch)s].jsonl[.gz]``.
"""

from __future__ import annotations

import re
import weakref
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler

from newsbot import clock, conf

#: The placeholders that make each batch's URI distinct.
BATCH_PLACEHOLDER = re.compile(r"%\((?:batch_time|batch_id|batch)\)")

_RUN_STARTS: weakref.WeakKeyDictionary[Crawler, datetime] = weakref.WeakKeyDictionary()


def run_started(crawler: Crawler | None) -> datetime:
    """The UTC time this crawler's run started, to the second (fixed on first use)."""
    if crawler is None:
        return clock.now()
    started = _RUN_STARTS.get(crawler)
    if started is None:
        started = clock.now()
        _RUN_STARTS[crawler] = started
    return started


def stamp_of(moment: datetime) -> str:
    """``20261129T194120Z`` for a UTC moment."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def run_id(crawler: Crawler, spider_name: str) -> str:
    """``bn_world-20261129T194120Z``: the run's id in the state store and the run summary (a
    worker of a shared run, ``NEWSBOT_RUN_ID``, has the shared run's id)."""
    shared = conf.get(crawler.settings, "NEWSBOT_RUN_ID")
    return f"{spider_name}-{shared or stamp_of(run_started(crawler))}"


def time_params(moment: datetime, batch_id: int = 1) -> dict[str, Any]:
    """The newsbot placeholders for a run started at ``moment``."""
    moment = moment.astimezone(UTC)
    return {
        "year": f"{moment.year:04d}",
        "month": f"{moment.month:02d}",
        "day": f"{moment.day:02d}",
        "date": moment.strftime("%Y-%m-%d"),
        "stamp": stamp_of(moment),
        "batch": f"{int(batch_id):05d}",
    }


def cluster_params(settings: Any) -> dict[str, str]:
    """``run`` and ``worker`` of a shared run (both ``local`` when the crawl runs alone)."""
    if not settings or not conf.get(settings, "NEWSBOT_RUN_ID"):
        return {"run": "local", "worker": "local"}
    return {"run": str(conf.get(settings, "NEWSBOT_RUN_ID")),
            "worker": str(conf.get(settings, "NEWSBOT_WORKER_ID") or "local")}


def uri_params_for(crawler: Crawler, spider: Spider | None = None, batch_id: int = 1) -> dict:
    """Feed URI parameters for the crawler's run, outside the feed exporter (e.g. files written
    beside the feed)."""
    name = spider.name if spider is not None else getattr(crawler.spidercls, "name", "")
    params: dict[str, Any] = {"name": name, "spider": name, "batch_id": batch_id}
    params.update(time_params(run_started(crawler), batch_id))
    params["time"] = run_started(crawler).isoformat().replace(":", "-")
    params.update(cluster_params(crawler.settings))
    return params


def feed_uri_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """``FEED_URI_PARAMS`` hook: Scrapy's parameters plus newsbot's (see the module doc)."""
    crawler = getattr(spider, "crawler", None)
    out = dict(params)
    batch_id = int(params.get("batch_id") or 1)
    out.update(time_params(run_started(crawler), batch_id))
    out["spider"] = spider.name
    out.update(cluster_params(crawler.settings if crawler is not None else None))
    return out


def has_batch_placeholder(uri_template: str) -> bool:
    """Whether ``uri_template`` names each batch differently."""
    return bool(BATCH_PLACEHOLDER.search(uri_template))
