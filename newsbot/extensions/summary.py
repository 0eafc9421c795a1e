"""Run summary: one JSON file per run for monitoring, and the run's exit code.

Written when the spider closes, after every feed was stored (or failed), to
``<feed stem>.summary.json`` beside the run's first local feed (e.g.
``feeds/bn_world/2026-11-29/20261129T194120Z.summary.json``); a run without a local feed writes
it under ``NEWSBOT_SUMMARY_DIR`` (default ``.newsbot/summaries``) as
``<spider>/<date>/<stamp>.summary.json``. A copy always goes to ``NEWSBOT_LAST_RUN_PATH``
(default ``.newsbot/last-run.json``), a fixed path for monitoring. With S3 delivery a copy is
also uploaded beside the run's first stored S3 feed.

Content (all times UTC)::

    spider, run_id (``<spider>-<stamp>``, as in the state store's run history),
    started_at, finished_at, duration_seconds, finish_reason,
    exit_code, exit_status, problems: [names of the exit codes that applied],
    items: {scraped, dropped, new, revised},
    outlets: {<outlet_id>: {scraped, new, revised, dropped: {reason: n}, refetch_skipped}},
    drops: {reason: n}            # from stats newsbot/drop/<reason>
    delivery: {feeds: [{uri, status, origin, items, error, spool_entry}], failed,
               spool_pending, discarded_unfinished},
    errors: {callback_errors, spider_exceptions: {type: n}, log_errors},
    canary: {evaluated, tripped, alerts: [...], outlets: {...}},
    stats: {every crawl stat}

The exit code (see :mod:`newsbot.exitcodes`) is also stored as the stat
``newsbot/summary/exit_code``; the ``crawl`` command exits with it.
"""

from __future__ import annotations

import json
import logging
import re
import time
import weakref
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import apply_uri_params
from scrapy.logformatter import ITEMERRORMSG, SPIDERERRORMSG
from scrapy.utils.defer import maybe_deferred_to_future

from newsbot import clock, conf, statskeys
from newsbot.delivery.context import DeliveryContext
from newsbot.delivery.targets import FileTarget, S3Target, make_target
from newsbot.delivery.uri import run_id, run_started, uri_params_for
from newsbot.exitcodes import DESCRIPTIONS, ExitCode, pick
from newsbot.extensions.canary import CanaryExtension
from newsbot.fileio import write_atomic

logger = logging.getLogger(__name__)

#: ``finish_reason`` of a run whose shutdown was forced (second SIGTERM/SIGINT).
FORCED_SHUTDOWN = "forced_shutdown"
WARC_SUFFIX = ".warc.gz"  # raw-page archives are delivered too; the summary goes beside the feed
_CALLBACK_LOGGERS = ("newsbot.spiders", "newsbot.pipelines", "newsbot.extract")

_RESULTS: weakref.WeakKeyDictionary[Crawler, dict[str, Any]] = weakref.WeakKeyDictionary()


def summary_of(crawler: Crawler) -> dict[str, Any] | None:
    """The summary the crawler's run produced (None if the extension did not run)."""
    return _RESULTS.get(crawler)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def exit_code_from_stats(stats: dict[str, Any], reason: str | None) -> ExitCode:
    """The exit code judged from crawl stats alone (used when the summary extension is off)."""
    problems = set()
    if stats.get(statskeys.DELIVERY_FAILED):
        problems.add(ExitCode.DELIVERY_FAILED)
    if any(k.startswith("feedexport/failed_count/") for k in stats):
        problems.add(ExitCode.DELIVERY_FAILED)
    if stats.get("spider_exceptions/count"):
        problems.add(ExitCode.SPIDER_ERRORS)
    if reason != "finished":  # None: the run never finished (a forced shutdown)
        problems.add(ExitCode.INTERRUPTED)
    return pick(problems)


class CallbackErrorCounter(logging.Handler):
    """Counts ERROR log records that come from spider callbacks and item processing."""

    def __init__(self, spider_name: str):
        super().__init__(level=logging.ERROR)
        self.spider_name = spider_name
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        name = record.name
        if name == "scrapy.core.scraper":
            if record.msg in (SPIDERERRORMSG, ITEMERRORMSG):
                self.count += 1
        elif name == self.spider_name or name.startswith(
            (self.spider_name + ".", *_CALLBACK_LOGGERS)
        ):
            self.count += 1


def feed_stem(path_or_key: str, batched: bool) -> str:
    """``.../20261129T194120Z`` for ``.../20261129T194120Z.jsonl.gz`` (and ``-00001`` dropped
    from batched names)."""
    head, _, name = path_or_key.rpartition("/")
    stem = name.split(".", 1)[0]
    if batched:
        stem = re.sub(r"[-_.]0*1$", "", stem)
    return f"{head}/{stem}" if head else stem


class SummaryExtension:
    """Builds, writes and logs the run summary; decides the exit code."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.settings = crawler.settings
        self.started = clock.now()
        self._started_mono = time.monotonic()  # durations from the monotonic clock
        self.outlets: dict[str, dict[str, Any]] = defaultdict(
            lambda: {"scraped": 0, "new": 0, "revised": 0, "dropped": Counter()}
        )
        self.counter: CallbackErrorCounter | None = None
        self.summary: dict[str, Any] | None = None
        self.path: Path | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SummaryExtension:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        return ext

    # -- counting --------------------------------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        self.started = clock.now()
        self._started_mono = time.monotonic()  # durations from the monotonic clock
        run_started(self.crawler)
        self.counter = CallbackErrorCounter(spider.name)
        logging.getLogger().addHandler(self.counter)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        adapter = ItemAdapter(item)
        entry = self.outlets[adapter.get("outlet_id") or "unknown"]
        entry["scraped"] += 1
        entry["revised" if adapter.get("revision") else "new"] += 1

    def item_dropped(self, item: Any, spider: Spider, exception: BaseException) -> None:
        outlet = ItemAdapter(item).get("outlet_id") or "unknown"
        self.outlets[outlet]["dropped"][getattr(exception, "reason", None) or "other"] += 1

    # -- closing ---------------------------------------------------------------------------------

    @staticmethod
    def of(crawler: Crawler) -> SummaryExtension | None:
        """The crawler's summary extension, if enabled."""
        try:
            return crawler.get_extension(SummaryExtension)
        except RuntimeError:  # the extensions are not built yet
            return None

    def write_unfinished(self, reason: str = FORCED_SHUTDOWN) -> dict[str, Any] | None:
        """Write a summary for a run that ended before its spider closed (a second SIGTERM
        or SIGINT forces the shutdown): never exit 0, and say so in ``last-run.json``. Feeds
        not sealed stay unfinished in the spool; the next run discards them and emits their
        articles again."""
        spider = self.crawler.spider
        if spider is None or self.summary is not None:
            return self.summary
        if self.counter is not None:
            logging.getLogger().removeHandler(self.counter)
        context = DeliveryContext.for_crawler(self.crawler)
        summary = self.build(spider, reason, context, None)
        self.crawler.stats.set_value(statskeys.SUMMARY_EXIT_CODE, summary["exit_code"])
        self.summary = summary
        _RESULTS[self.crawler] = summary
        logger.error(
            "The crawl was stopped before it could finish (%s); unfinished feeds stay in the "
            "spool and their articles are emitted again by the next run", reason,
        )
        self.write(spider, summary, context)
        return summary

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        context = DeliveryContext.for_crawler(self.crawler)
        if context.exporter_active:
            await maybe_deferred_to_future(context.wait_closed())
        if self.counter is not None:
            logging.getLogger().removeHandler(self.counter)
        canary_ext = CanaryExtension.of(self.crawler)
        canary = canary_ext.evaluate(reason) if canary_ext else None
        summary = self.build(spider, reason, context, canary.to_dict() if canary else None)
        if canary_ext is not None:
            canary_ext.set_exit_code(summary["exit_code"])
        self.crawler.stats.set_value(statskeys.SUMMARY_EXIT_CODE, summary["exit_code"])
        self.summary = summary
        _RESULTS[self.crawler] = summary
        self.write(spider, summary, context)

    def build(
        self,
        spider: Spider,
        reason: str,
        context: DeliveryContext,
        canary: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """The summary dict (see the module docstring)."""
        stats = self.crawler.stats.get_stats()
        finished = clock.now()
        cut = len(statskeys.DROP_PREFIX)
        drops = {k[cut:]: v for k, v in stats.items() if k.startswith(statskeys.DROP_PREFIX)}
        exceptions = {
            k.split("/", 1)[1]: v
            for k, v in stats.items()
            if k.startswith("spider_exceptions/") and k != "spider_exceptions/count"
        }
        callback_errors = max(
            self.counter.count if self.counter else 0, int(stats.get("spider_exceptions/count", 0))
        )
        skipped_prefix = statskeys.REFETCH_SKIPPED_PREFIX
        outlets: dict[str, Any] = {}
        for outlet_id, entry in self.outlets.items():
            outlets[outlet_id] = {**entry, "dropped": dict(entry["dropped"])}
        for key, value in stats.items():
            if key.startswith(skipped_prefix):
                outlet_id = key[len(skipped_prefix) :]
                outlets.setdefault(
                    outlet_id, {"scraped": 0, "new": 0, "revised": 0, "dropped": {}}
                )["refetch_skipped"] = value
        for entry in outlets.values():
            entry.setdefault("refetch_skipped", 0)

        problems: list[ExitCode] = []
        if context.failed:
            problems.append(ExitCode.DELIVERY_FAILED)
        if callback_errors:
            problems.append(ExitCode.SPIDER_ERRORS)
        if reason != "finished":
            problems.append(ExitCode.INTERRUPTED)
        if canary and canary.get("tripped"):
            problems.append(ExitCode.CANARY_TRIPPED)
        code = pick(problems)
        feeds = [r.to_dict() for r in context.results]
        return {
            "spider": spider.name,
            "run_id": run_id(self.crawler, spider.name),
            "started_at": self.started.isoformat(timespec="seconds"),
            "finished_at": finished.isoformat(timespec="seconds"),
            "duration_seconds": round(time.monotonic() - self._started_mono, 3),
            "finish_reason": reason,
            "exit_code": int(code),
            "exit_status": code.name.lower(),
            "exit_meaning": DESCRIPTIONS[code],
            "problems": [p.name.lower() for p in problems],
            "items": {
                "scraped": int(stats.get("item_scraped_count", 0)),
                "dropped": int(stats.get("item_dropped_count", 0)),
                "new": int(stats.get(statskeys.INCREMENTAL_NEW, 0)),
                "revised": int(stats.get(statskeys.INCREMENTAL_REVISED, 0)),
                "unchanged": int(stats.get(statskeys.INCREMENTAL_UNCHANGED, 0)),
                "refetch_skipped": int(stats.get(statskeys.REFETCH_SKIPPED, 0)),
            },
            "outlets": dict(sorted(outlets.items())),
            "drops": dict(sorted(drops.items())),
            "delivery": {
                "feeds": feeds,
                "failed": context.failed,
                "stored": sum(1 for f in feeds if f["status"] == "stored"),
                "spool_pending": context.pending_count(),
                "spool_dir": str(context.spool.dir),
                "discarded_unfinished": list(context.discarded),
            },
            "errors": {
                "callback_errors": callback_errors,
                "spider_exceptions": exceptions,
                "log_errors": int(stats.get("log_count/ERROR", 0)),
            },
            "canary": canary,
            "stats": _jsonable(stats),
        }

    # -- writing ---------------------------------------------------------------------------------

    def _local_feeds(self, spider: Spider) -> list[tuple[str, bool]]:
        """(path, batched) of the run's local feeds, first batch."""
        params = uri_params_for(self.crawler, spider)
        params["batch_time"] = params["time"]
        default_batch = self.settings.getint("FEED_EXPORT_BATCH_ITEM_COUNT")
        local = []
        for template, options in self.settings.getdict("FEEDS").items():
            try:
                target = make_target(apply_uri_params(str(template), params))
            except Exception:
                continue
            if isinstance(target, FileTarget):
                batched = bool((options or {}).get("batch_item_count", default_batch))
                local.append((str(target.path), batched))
        return local

    def summary_path(self, spider: Spider) -> Path:
        """Where this run's summary goes."""
        local = self._local_feeds(spider)
        if local:
            path, batched = local[0]
            return Path(feed_stem(path, batched) + ".summary.json")
        params = uri_params_for(self.crawler, spider)
        base = Path(conf.get_or_default(self.settings, "NEWSBOT_SUMMARY_DIR"))
        return base / spider.name / params["date"] / f"{params['stamp']}.summary.json"

    def write(self, spider: Spider, summary: dict[str, Any], context: DeliveryContext) -> None:
        """Write the summary files and log a one-line digest."""
        data = json.dumps(summary, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")
        path = self.summary_path(spider)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
            last = Path(conf.get_or_default(self.settings, "NEWSBOT_LAST_RUN_PATH"))
            last.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(last, data)
            self.path = path
        except OSError as exc:
            logger.warning("Could not write the run summary %s: %s", path, exc)
        self._upload_beside_s3_feed(data, context)
        items = summary["items"]
        logger.info(
            "Run summary: %d articles emitted (%d new, %d revised), %d unchanged, %d dropped, "
            "%d not refetched; delivery %s; exit code %d (%s) -> %s",
            items["scraped"],
            items["new"],
            items["revised"],
            items["unchanged"],
            items["dropped"],
            items["refetch_skipped"],
            "FAILED" if summary["delivery"]["failed"] else "ok",
            summary["exit_code"],
            summary["exit_meaning"],
            path,
        )

    def _upload_beside_s3_feed(self, data: bytes, context: DeliveryContext) -> None:
        """Put a copy of the summary beside the run's first stored S3 feed (best effort)."""
        for result in context.results:
            if result.status != "stored" or result.origin != "run":
                continue
            if not result.uri.startswith("s3:") or result.uri.endswith(WARC_SUFFIX):
                continue
            target = context.target_for(result.uri)
            assert isinstance(target, S3Target)
            key = feed_stem(target.key, batched=True) + ".summary.json"
            try:
                target.client.put_object(
                    Bucket=target.bucket, Key=key, Body=data, ContentType="application/json"
                )
            except Exception as exc:
                logger.warning(
                    "Could not upload the run summary to s3://%s/%s: %s",
                    target.bucket,
                    key,
                    type(exc).__name__,
                )
            return
