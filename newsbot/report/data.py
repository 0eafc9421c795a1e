"""What the run report shows, gathered from the state store and the run summaries."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsbot import clock
from newsbot.delivery.uri import stamp_of
from newsbot.registry import load_registry
from newsbot.state import COVERAGE_FIELDS, RunRecord, StateStore, parse_time

_STAMP = re.compile(r"\d{8}T\d{6}Z")


@dataclass
class Run:
    """One run: its store record (outlets, canary) and its summary (drops, delivery), either of
    which may be missing."""

    stamp: str
    exit_code: int | None = None
    exit_status: str = ""
    scraped: int | None = None
    drops: dict[str, int] = field(default_factory=dict)
    new_by_outlet: dict[str, int] = field(default_factory=dict)
    tripped: set[str] = field(default_factory=set)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    failed_feeds: list[dict[str, Any]] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    has_summary: bool = False

    @property
    def label(self) -> str:
        """``2026-11-29 19:41:20`` (UTC)."""
        s = self.stamp
        return f"{s[0:4]}-{s[4:6]}-{s[6:8]} {s[9:11]}:{s[11:13]}:{s[13:15]}"


@dataclass
class ReportData:
    """Everything the page shows."""

    spider: str
    generated_at: str
    runs: list[Run]  # oldest first
    daily: dict[str, dict[str, int]]  # outlet -> UTC day -> articles first seen
    daily_source: str  # "state store" | "run summaries"
    coverage: dict[str, dict[str, float | None]]  # outlet -> field -> share, latest run parsed
    names: dict[str, tuple[str, str]]  # outlet -> (English name, Bengali name)

    @property
    def latest_outlets(self) -> list[str]:
        """The outlets of the newest run."""
        return self.runs[-1].outlets if self.runs else []


def summary_files(paths: Iterable[Path]) -> list[Path]:
    """Every ``*.summary.json`` under ``paths`` (files or folders)."""
    found: set[Path] = set()
    for path in paths:
        if path.is_file():
            found.add(path)
        elif path.is_dir():
            found.update(path.rglob("*.summary.json"))
    return sorted(found)


def _stamp(path: Path, summary: dict[str, Any]) -> str:
    """The run's stamp: from its run id, else its file name, else its start time."""
    for text in (str(summary.get("run_id") or ""), path.name.split(".", 1)[0]):
        match = _STAMP.search(text)
        if match:
            return match.group(0)
    started = parse_time(summary.get("started_at"))
    return stamp_of(started) if started else path.name.split(".", 1)[0]


def _from_record(run: Run, record: RunRecord) -> None:
    run.exit_code = record.exit_code if run.exit_code is None else run.exit_code
    run.tripped = {o.outlet_id for o in record.outlets if o.tripped}
    run.outlets = sorted({*run.outlets, *(o.outlet_id for o in record.outlets)})


def _from_summary(run: Run, summary: dict[str, Any]) -> None:
    run.has_summary = True
    run.exit_code = summary.get("exit_code")
    run.exit_status = summary.get("exit_status") or ""
    run.scraped = (summary.get("items") or {}).get("scraped")
    run.drops = {str(k): int(v) for k, v in (summary.get("drops") or {}).items()}
    outlets = summary.get("outlets") or {}
    run.new_by_outlet = {k: int(v.get("new", 0)) for k, v in outlets.items()}
    run.outlets = sorted({*run.outlets, *(k for k, v in outlets.items() if v.get("scraped"))})
    canary = summary.get("canary") or {}
    run.alerts = list(canary.get("alerts") or [])
    run.tripped |= {a["outlet_id"] for a in run.alerts}
    feeds = (summary.get("delivery") or {}).get("feeds") or []
    run.failed_feeds = [f for f in feeds if f.get("status") != "stored"]


def gather(
    store: StateStore, summaries: Iterable[Path], spider: str = "bn_world", max_runs: int = 30
) -> ReportData:
    """The report's data: the last ``max_runs`` runs of ``spider`` found in the store or among
    the summary files, and the store's articles per outlet and day."""
    runs: dict[str, Run] = {}
    records = store.recent_runs(spider, max_runs)
    for record in records:
        stamp = record.run_id.rpartition("-")[2]
        _from_record(runs.setdefault(stamp, Run(stamp)), record)
    # only the newest files are read: a long-running deployment keeps thousands
    paths = sorted(summary_files(summaries), key=lambda p: (_STAMP.findall(p.name) or [""])[-1])
    for path in paths[-max_runs * 2 :]:
        try:
            summary = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if summary.get("spider") != spider:
            continue
        stamp = _stamp(path, summary)
        _from_summary(runs.setdefault(stamp, Run(stamp)), summary)
    ordered = sorted(runs.values(), key=lambda r: r.stamp)[-max_runs:]

    daily: dict[str, dict[str, int]] = defaultdict(dict)
    counts = store.articles_by_day()
    source = "state store"
    if counts is None:
        source, counts = "run summaries", {}
        for run in ordered:
            day = f"{run.stamp[0:4]}-{run.stamp[4:6]}-{run.stamp[6:8]}"
            for outlet, n in run.new_by_outlet.items():
                counts[(outlet, day)] = counts.get((outlet, day), 0) + n
    for (outlet, day), n in counts.items():
        if n:
            daily[outlet][day] = n

    coverage: dict[str, dict[str, float | None]] = {}
    for record in reversed(records):  # oldest first: the newest parsed record wins
        for outlet in record.outlets:
            if outlet.parsed:
                coverage[outlet.outlet_id] = {f: outlet.coverage.get(f) for f in COVERAGE_FIELDS}

    registry = load_registry()
    names = {}
    for outlet_id in {*daily, *coverage, *(o for r in ordered for o in r.outlets)}:
        entry = registry.by_id(outlet_id)
        names[outlet_id] = (entry.name_en, entry.name_bn) if entry else (outlet_id, "")
    return ReportData(
        spider=spider,
        generated_at=clock.now().isoformat(timespec="seconds"),
        runs=ordered,
        daily=dict(daily),
        daily_source=source,
        coverage=dict(sorted(coverage.items())),
        names=names,
    )
