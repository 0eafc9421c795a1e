"""``python -m newsbot demo-cluster`` (``make demo-cluster``): a shared crawl of two workers.

Starts Redis and PostgreSQL from the Debian packages on free 127.0.0.1 ports, with their data
under ``.newsbot/demo-cluster/`` (reset on every run; nothing outside it is touched), serves the
bundled sample web (each answer delayed a little, as over a network), runs two
``scrapy crawl bn_world`` workers of one run — each in its own folder
``.newsbot/demo-cluster/worker-N`` with its own spool, feeds and log — and prints the summary
``make demo`` prints, for each worker and merged. Then it stops the servers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newsbot import statskeys
from newsbot.demo import format_summary
from newsbot.localservices import PostgresServer, RedisServer
from newsbot.sampleweb.model import load as load_sample_web
from newsbot.sampleweb.server import serve

DEMO_DIR = Path(".newsbot/demo-cluster")
RUN_ID = "demo"


def worker_command(base_url: str, outlets: list[str], redis_url: str, state_url: str,
                   worker: str) -> tuple[list[str], dict[str, str]]:
    """The ``scrapy crawl`` command line and environment of one demo worker."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "bn_world", "-a",
           "outlets=" + ",".join(outlets), "-s", "LOG_FILE=crawl.log",
           "-s", "NEWSBOT_CLUSTER_IDLE_CLOSE=3", "-s", "NEWSBOT_CLAIM_LEASE_SECONDS=30",
           "-s", "DOWNLOAD_DELAY=0.05"]
    root = str(Path(__file__).resolve().parent.parent)
    env = dict(
        os.environ,
        NEWSBOT_SAMPLE_WEB=base_url,
        SCRAPY_SETTINGS_MODULE="newsbot.sampleweb.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        NEWSBOT_REDIS_URL=redis_url,
        NEWSBOT_STATE_URL=state_url,
        NEWSBOT_RUN_ID=RUN_ID,
        NEWSBOT_WORKER_ID=worker,
    )
    return cmd, env


def merge_summaries(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """One summary for the whole run: counts added up, the worst exit code."""
    stats: Counter[str] = Counter()
    drops: Counter[str] = Counter()
    outlets: dict[str, dict[str, int]] = {}
    feeds: list[dict[str, Any]] = []
    for summary in summaries:
        stats.update({k: v for k, v in summary.get("stats", {}).items()
                      if isinstance(v, int | float) and not isinstance(v, bool)})
        drops.update(summary.get("drops", {}))
        feeds += summary.get("delivery", {}).get("feeds", [])
        for outlet, entry in summary.get("outlets", {}).items():
            merged = outlets.setdefault(outlet, {"scraped": 0})
            merged["scraped"] += entry.get("scraped", 0)
    worst = max(summaries, key=lambda s: s["exit_code"])
    return {
        "stats": dict(stats),
        "items": {"scraped": sum(s["items"]["scraped"] for s in summaries)},
        "drops": dict(sorted(drops.items())),
        "outlets": dict(sorted(outlets.items())),
        "delivery": {"feeds": feeds},
        "duration_seconds": max(s["duration_seconds"] for s in summaries),
        "exit_code": worst["exit_code"],
        "exit_status": worst["exit_status"],
    }


def _under(summary: dict[str, Any], workdir: Path) -> None:
    """Show the worker's feed paths from the checkout (they are relative to its folder)."""
    for feed in summary.get("delivery", {}).get("feeds", []):
        if "://" not in feed["uri"]:
            feed["uri"] = str(workdir / feed["uri"])
    stats = summary.get("stats", {})
    if stats.get(statskeys.REJECTS_PATH):
        stats[statskeys.REJECTS_PATH] = str(workdir / stats[statskeys.REJECTS_PATH])


def main(argv: list[str] | None = None) -> int:
    """Run the two-worker demo; returns the highest exit code of the workers."""
    parser = argparse.ArgumentParser(prog="python -m newsbot demo-cluster", description=__doc__)
    parser.add_argument("--outlets", help="comma-separated outlet ids (default: all sample ones)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    web = load_sample_web()
    outlets = args.outlets.split(",") if args.outlets else sorted(web.sites)
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    DEMO_DIR.mkdir(parents=True)
    redis = RedisServer().start()
    postgres = PostgresServer(DEMO_DIR / "postgres")
    try:
        postgres.init().start()
        with serve(port=0, web=web, delay=0.05) as server:
            print(f"Sample web of {len(outlets)} outlets on {server.base_url}; Redis on port "
                  f"{redis.port}, PostgreSQL on port {postgres.port}; {args.workers} workers "
                  "crawling…", flush=True)
            procs = {}
            for n in range(1, args.workers + 1):
                name = f"worker-{n}"
                workdir = DEMO_DIR / name
                workdir.mkdir()
                cmd, env = worker_command(server.base_url, outlets, redis.url, postgres.url, name)
                procs[name] = subprocess.Popen(cmd, cwd=workdir, env=env)
            codes = {name: proc.wait() for name, proc in procs.items()}
    finally:
        redis.stop()
        postgres.stop()
    summaries = []
    for name, code in codes.items():
        last_run = DEMO_DIR / name / ".newsbot" / "last-run.json"
        if not last_run.exists():
            log = DEMO_DIR / name / "crawl.log"
            print(f"{name} wrote no summary (exit code {code}); see {log}")
            continue
        summary = json.loads(last_run.read_text(encoding="utf-8"))
        _under(summary, DEMO_DIR / name)
        summaries.append(summary)
        print(format_summary(summary, DEMO_DIR / name / "crawl.log").replace(
            "newsbot demo: bn_world over the bundled sample web",
            f"newsbot demo-cluster, {name}: its share of run {RUN_ID!r}"))
    if summaries:
        merged = format_summary(merge_summaries(summaries), DEMO_DIR / "worker-*" / "crawl.log")
        print(merged.replace("newsbot demo: bn_world over the bundled sample web",
                             f"newsbot demo-cluster: run {RUN_ID!r}, {len(summaries)} workers "
                             "merged"))
    return max(codes.values(), default=1)
