"""Outlet canary: notice when an outlet's pages stop yielding articles or lose fields (a redesign,
a blocked crawler, a moved section) by comparing each run with the previous ones.

Per outlet the run counts articles *found* (pages parsed into articles, whether emitted or
dropped, plus article pages skipped because they were already delivered, are outside the refetch
window or answered "304 Not Modified") and the *coverage* of the fields ``title``, ``body``,
``published`` and ``authors`` among the parsed ones. These are compared with the average of the
outlet's last ``NEWSBOT_CANARY_HISTORY`` untripped records in the state store. An outlet trips
the canary when

* it found articles before and finds none now — not even pages it skipped (``zero_articles``), or
* a field's coverage falls by more than ``NEWSBOT_CANARY_MAX_DROP`` (a share of the previous
  value, default 0.5: 0.9 → below 0.45 trips) — judged only when at least
  ``NEWSBOT_CANARY_MIN_ARTICLES`` articles were parsed (``coverage_drop``), or
* it has published nothing new for ``NEWSBOT_CANARY_STALE_HOURS`` (default 48; 0: never): no new
  article this run, and the newest it ever had was first seen longer ago than that (``stale``),
  or
* its extraction profile misses on most of its pages (``profile_miss``, no history needed): on
  more than ``NEWSBOT_CANARY_PROFILE_MISS_SHARE`` of at least ``NEWSBOT_CANARY_MIN_ARTICLES``
  pages, no version of the profile recognised the page or one of the fields
  ``NEWSBOT_CANARY_PROFILE_FIELDS`` matched nothing (the extractor fell back, so the articles
  may look fine: the site was redesigned and its profile needs a new version).

Without any history, a run whose requests all failed — not one page answered: the network, DNS
or a firewall in front of the crawler — trips it too (``unreachable``, outlet ``*``): a first run
from a machine that cannot reach the web must not exit 0 with an empty feed.

An outlet whose article pages were all skipped as already delivered is a quiet outlet, not a
broken one: only the ``stale`` rule speaks of it, and only once the quiet lasts.

Alerts go to the log (WARNING), the run summary (``canary``) and the exit code
(``CANARY_TRIPPED``). Only runs that finished normally are compared and recorded; a tripped
outlet's record does not become the baseline, so the alert repeats until the outlet is fixed —
or until it is accepted as the new normal with ``-s NEWSBOT_CANARY_ACCEPT=outlet_id``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newsbot import clock, conf, statskeys
from newsbot.cluster.canary import (
    history_before,
    others_working,
    participants,
    run_so_far,
    shares_spider,
)
from newsbot.delivery.uri import run_id, run_started
from newsbot.state import COVERAGE_FIELDS, OutletRun, RunRecord, store_for_crawler

logger = logging.getLogger(__name__)

#: Drop reasons that do not mean another article was found (the same page counted twice).
NOT_FOUND_REASONS = frozenset({"duplicate", "duplicate_url"})


@dataclass
class Alert:
    """One canary finding."""

    outlet_id: str
    kind: str  # "zero_articles" | "coverage_drop" | "stale" | "profile_miss" | "unreachable"
    field: str | None
    baseline: float
    current: float
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


@dataclass
class CanaryReport:
    """The canary's verdict on one run."""

    evaluated: bool
    alerts: list[Alert] = field(default_factory=list)
    outlets: dict[str, OutletRun] = field(default_factory=dict)
    baseline_runs: int = 0
    note: str = ""

    @property
    def tripped(self) -> bool:
        """Whether any outlet tripped."""
        return bool(self.alerts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "evaluated": self.evaluated,
            "tripped": self.tripped,
            "note": self.note,
            "baseline_runs": self.baseline_runs,
            "alerts": [a.to_dict() for a in self.alerts],
            "outlets": {k: asdict(v) for k, v in sorted(self.outlets.items())},
        }


def has_field(adapter: ItemAdapter, name: str) -> bool:
    """Whether the item has a non-empty value for ``name``."""
    value = adapter.get(name)
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list | tuple):
        return any(str(v).strip() for v in value)
    return value is not None


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def compare(
    current: dict[str, OutletRun],
    history: list[RunRecord],
    *,
    max_drop: float = 0.5,
    min_articles: int = 3,
    outlets: set[str] | None = None,
    accept: set[str] | frozenset[str] = frozenset(),
    newest: Callable[[str], datetime | None] | None = None,
    stale_hours: float = 0,
    now: datetime | None = None,
    zero_checks: bool = True,
) -> list[Alert]:
    """Alerts for ``current`` (this run's outlet records) against ``history`` (earlier runs).

    ``outlets`` limits the check to the outlets this run was asked to crawl (None: all seen).
    ``newest(outlet_id)`` tells when the outlet's newest article was first seen, for the
    ``stale`` rule (``stale_hours`` > 0). ``zero_checks=False`` judges coverage only (a worker
    of a shared run that closes early sees only part of the run, which may hold none of an
    outlet). Marks the tripped records in ``current`` (``tripped=True``)."""
    moment = now or clock.now()
    past: dict[str, list[OutletRun]] = defaultdict(list)
    for run in history:
        for record in run.outlets:
            if not record.tripped:
                past[record.outlet_id].append(record)
    names = set(current) | set(past)
    if outlets is not None:
        names &= outlets
    alerts: list[Alert] = []
    for outlet_id in sorted(names):
        records = past.get(outlet_id, [])
        if not records or outlet_id in accept:
            continue
        now = current.get(outlet_id) or OutletRun(outlet_id, found=0, parsed=0)
        current[outlet_id] = now
        found_before = _mean(r.found for r in records) or 0.0
        if zero_checks and now.found == 0 and found_before > 0:
            alerts.append(
                Alert(
                    outlet_id,
                    "zero_articles",
                    None,
                    round(found_before, 2),
                    0.0,
                    f"outlet {outlet_id}: no articles found (previous runs: "
                    f"{found_before:.1f} on average)",
                )
            )
            now.tripped = True
            continue
        quiet = _quiet_hours(now, newest, stale_hours, moment) if zero_checks else None
        if quiet is not None:
            alerts.append(
                Alert(
                    outlet_id,
                    "stale",
                    None,
                    float(stale_hours),
                    round(quiet, 1),
                    f"outlet {outlet_id}: nothing new for {quiet:.0f} h "
                    f"(NEWSBOT_CANARY_STALE_HOURS={stale_hours:g})",
                )
            )
            now.tripped = True
            continue
        if now.parsed < min_articles:
            continue
        for name in COVERAGE_FIELDS:
            before = _mean(
                r.coverage[name]
                for r in records
                if r.parsed >= min_articles and r.coverage.get(name) is not None
            )
            value = now.coverage.get(name)
            if before is None or value is None or before <= 0:
                continue
            if value < before * (1 - max_drop):
                alerts.append(
                    Alert(
                        outlet_id,
                        "coverage_drop",
                        name,
                        round(before, 3),
                        round(value, 3),
                        f"outlet {outlet_id}: {name} found in {value:.0%} of articles "
                        f"(previous runs: {before:.0%})",
                    )
                )
                now.tripped = True
    return alerts


def profile_alerts(
    stats: dict[str, Any],
    *,
    fields: Iterable[str] = ("detect", "title", "body"),
    max_share: float = 0.5,
    min_pages: int = 3,
    outlets: set[str] | None = None,
    accept: set[str] | frozenset[str] = frozenset(),
) -> list[Alert]:
    """``profile_miss`` alerts from the crawl stats: outlets whose profile missed one of
    ``fields`` on more than ``max_share`` of at least ``min_pages`` pages."""
    alerts: list[Alert] = []
    for key, value in sorted(stats.items()):
        if not key.startswith(statskeys.PROFILE_PAGES_PREFIX):
            continue
        outlet_id, pages = key[len(statskeys.PROFILE_PAGES_PREFIX):], int(value)
        if pages < min_pages or outlet_id in accept or (outlets is not None
                                                        and outlet_id not in outlets):
            continue
        for name in fields:
            missed = int(stats.get(statskeys.profile_miss(outlet_id, name), 0))
            if missed / pages > max_share:
                what = "recognised none" if name == "detect" else f"found no {name}"
                alerts.append(Alert(
                    outlet_id, "profile_miss", name, 0.0, round(missed / pages, 3),
                    f"outlet {outlet_id}: its profile {what} on {missed} of {pages} pages "
                    "(a redesign? the profile needs a new version)",
                ))
    return alerts


def unreachable_alert(stats: dict[str, Any]) -> Alert | None:
    """The ``unreachable`` alert when the run sent requests and not one was answered (every
    download failed: connection refused, DNS, time-outs), else None."""
    requests = int(stats.get("downloader/request_count", 0))
    if not requests or int(stats.get("downloader/response_count", 0)):
        return None
    return Alert("*", "unreachable", None, 0.0, 0.0,
                 f"no page answered: all {requests} requests failed (network, DNS, or the "
                 "crawler blocked?)")


def _quiet_hours(
    run: OutletRun,
    newest: Callable[[str], datetime | None] | None,
    stale_hours: float,
    moment: datetime,
) -> float | None:
    """Hours since the outlet's newest article was first seen, when that is over the limit and
    this run brought nothing new (else None)."""
    if stale_hours <= 0 or newest is None or run.new > 0:
        return None
    seen = newest(run.outlet_id)
    if seen is None:
        return None
    hours = (moment - seen).total_seconds() / 3600
    return hours if hours > stale_hours else None


class _Tally:
    def __init__(self) -> None:
        self.parsed = 0
        self.new = 0
        self.present: dict[str, int] = dict.fromkeys(COVERAGE_FIELDS, 0)


class CanaryExtension:
    """Counts articles and field coverage per outlet; compares and records at the end."""

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        if not conf.getbool(settings, "NEWSBOT_CANARY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.max_drop = conf.getfloat(settings, "NEWSBOT_CANARY_MAX_DROP")
        self.history = conf.getint(settings, "NEWSBOT_CANARY_HISTORY")
        self.min_articles = conf.getint(settings, "NEWSBOT_CANARY_MIN_ARTICLES")
        self.accept = set(conf.getlist(settings, "NEWSBOT_CANARY_ACCEPT"))
        self.stale_hours = conf.getfloat(settings, "NEWSBOT_CANARY_STALE_HOURS")
        self.profile_fields = conf.getlist(settings, "NEWSBOT_CANARY_PROFILE_FIELDS")
        self.profile_miss_share = conf.getfloat(settings, "NEWSBOT_CANARY_PROFILE_MISS_SHARE")
        # a worker of a shared run (newsbot.cluster.canary): the run is judged as a whole
        self.shared_run = conf.get(settings, "NEWSBOT_RUN_ID") or None
        self.tally: dict[str, _Tally] = defaultdict(_Tally)
        self.report: CanaryReport | None = None
        self.run: RunRecord | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CanaryExtension:
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    @staticmethod
    def of(crawler: Crawler) -> CanaryExtension | None:
        """The crawler's canary extension, if enabled."""
        try:
            return crawler.get_extension(CanaryExtension)
        except RuntimeError:  # the extensions are not built yet
            return None

    def _count(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        tally = self.tally[adapter.get("outlet_id") or "unknown"]
        tally.parsed += 1
        for name in COVERAGE_FIELDS:
            if has_field(adapter, name):
                tally.present[name] += 1

    def item_scraped(self, item: Any, spider: Spider) -> None:
        self._count(item)
        if not ItemAdapter(item).get("revision"):
            self.tally[ItemAdapter(item).get("outlet_id") or "unknown"].new += 1

    def item_dropped(self, item: Any, spider: Spider, exception: BaseException) -> None:
        if getattr(exception, "reason", None) not in NOT_FOUND_REASONS:
            self._count(item)

    def current(self) -> dict[str, OutletRun]:
        """This run's per-outlet records so far."""
        stats = self.crawler.stats.get_stats()
        # Found but not parsed: skipped as already delivered, or answered "304 Not Modified".
        skipped: dict[str, int] = defaultdict(int)
        for key, value in stats.items():
            for prefix in (statskeys.REFETCH_SKIPPED_PREFIX, statskeys.REFETCH_NOT_MODIFIED_PREFIX):
                if key.startswith(prefix):
                    skipped[key[len(prefix) :]] += int(value)
        records = {}
        for outlet_id in set(self.tally) | set(skipped):
            tally = self.tally.get(outlet_id) or _Tally()
            coverage = {
                name: (round(tally.present[name] / tally.parsed, 4) if tally.parsed else None)
                for name in COVERAGE_FIELDS
            }
            records[outlet_id] = OutletRun(
                outlet_id,
                found=tally.parsed + skipped.get(outlet_id, 0),
                parsed=tally.parsed,
                coverage=coverage,
                new=tally.new,
            )
        return records

    def evaluate(self, reason: str) -> CanaryReport:
        """Compare this run with the previous ones and record it (once; later calls return the
        same report)."""
        if self.report is not None:
            return self.report
        spider = self.crawler.spider
        current = self.current()
        others: list[str] = []
        if reason != "finished":
            self.report = CanaryReport(
                evaluated=False,
                outlets=current,
                note=f"run did not finish normally ({reason}); not compared, not recorded",
            )
            return self.report
        store = store_for_crawler(self.crawler)
        started = run_started(self.crawler)
        this_run = run_id(self.crawler, spider.name)
        if self.shared_run:
            # a worker of a shared run: judge the whole run as recorded so far
            share = RunRecord(
                run_id=f"{self.shared_run}/{conf.get(self.crawler.settings, 'NEWSBOT_WORKER_ID')}",
                spider=shares_spider(spider.name), started_at=started, finished_at=clock.now(),
                finish_reason=reason, outlets=list(current.values()),
            )
            others = others_working(self.crawler.settings, spider.name)
            joined = [] if others else participants(self.crawler.settings, spider.name)
            current = run_so_far(store, share, self.shared_run, wait_for=joined)
        history = store.baseline_runs(spider.name, self.history) if self.history > 0 else []
        history = history_before(history, this_run)
        selected = getattr(spider, "outlet_ids", None)
        outlets = set(selected) if selected else None
        if others:
            # not the last worker of the shared run: record, the last one judges
            self.report = CanaryReport(
                evaluated=False, outlets=current, baseline_runs=len(history),
                note=f"judged by the last worker of run {self.shared_run} (still working: "
                     f"{', '.join(others)})",
            )
            self.run = RunRecord(run_id=this_run, spider=spider.name, started_at=started,
                                 finished_at=clock.now(), finish_reason=reason,
                                 outlets=list(current.values()))
            store.record_run(self.run)
            return self.report
        alerts = compare(
            current,
            history,
            max_drop=self.max_drop,
            min_articles=self.min_articles,
            outlets=outlets,
            accept=self.accept,
            newest=store.newest_first_seen,
            stale_hours=self.stale_hours,
            zero_checks=not self.shared_run,
        )
        # A worker of a shared run sees only its share of an outlet's pages: too few to judge
        # a profile by (shared runs are judged on the summed coverage only).
        misses = [] if self.shared_run else profile_alerts(
            self.crawler.stats.get_stats(),
            fields=self.profile_fields,
            max_share=self.profile_miss_share,
            min_pages=self.min_articles,
            outlets=outlets,
            accept=self.accept,
        )
        for alert in misses:
            alerts.append(alert)
            record = current.setdefault(alert.outlet_id,
                                        OutletRun(alert.outlet_id, found=0, parsed=0))
            record.tripped = True
        unreachable = unreachable_alert(self.crawler.stats.get_stats())
        if unreachable is not None:
            alerts.append(unreachable)
        for alert in alerts:
            logger.warning("Canary: %s", alert.message)
        self.report = CanaryReport(
            evaluated=True,
            alerts=alerts,
            outlets=current,
            baseline_runs=len(history),
            note="" if history else "no earlier untripped run to compare with yet",
        )
        self.run = RunRecord(
            run_id=this_run,
            spider=spider.name,
            started_at=started,
            finished_at=clock.now(),
            finish_reason=reason,
            outlets=list(current.values()),
        )
        store.record_run(self.run)
        return self.report

    def set_exit_code(self, code: int) -> None:
        """Record the run's exit code with its canary record."""
        if self.run is not None:
            self.run.exit_code = code
            store_for_crawler(self.crawler).record_run(self.run)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.evaluate(reason)
