"""``python -m newsbot demo`` (``make demo``): crawl the bundled sample web, offline.

Serves the sample web on a free 127.0.0.1 port, runs the real ``scrapy crawl bn_world`` against
it (same spider, pipelines and feed exporters as production; only the download handler routes
the outlets' host names to the local server) and prints a one-screen summary with the path of
the run report (``python -m newsbot report``).

The demo is sandboxed in ``.newsbot/demo/``: its feeds, rejects, summaries, spool, state,
learned templates, lock, log and report all live there (reset on every demo run, so each run
shows a full crawl), and the crawl it starts sees none of the environment's ``NEWSBOT_*``,
``SCRAPY_*`` or ``AWS_*`` variables (so no S3 bucket, credentials or production paths), except
``NEWSBOT_NOW``. Run in a production checkout, it leaves every production file as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from newsbot import statskeys
from newsbot.report.cli import main as write_report
from newsbot.sampleweb.model import load as load_sample_web
from newsbot.sampleweb.server import serve

DEMO_DIR = Path(".newsbot/demo")
FEED_URI = "feeds/%(name)s/%(date)s/%(stamp)s.jsonl"
# Environment variables the demo's crawl does not inherit: they could point it at production
# feeds, spool, state or an S3 bucket, or carry credentials.
_FOREIGN_ENV = ("NEWSBOT_", "SCRAPY_", "AWS_")
_KEPT_ENV = frozenset({"NEWSBOT_NOW"})


def demo_env(base_url: str) -> dict[str, str]:
    """The environment of the demo's crawl: this one, without production settings."""
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(_FOREIGN_ENV) or k in _KEPT_ENV
    }
    env.update(NEWSBOT_SAMPLE_WEB=base_url, SCRAPY_SETTINGS_MODULE="newsbot.sampleweb.settings")
    return env


def demo_command(base_url: str, outlets: list[str]) -> tuple[list[str], dict[str, str]]:
    """The ``scrapy crawl`` command line and environment the demo runs."""
    from newsbot import settings as defaults

    options = next(iter(defaults.FEEDS.values()))
    settings = {
        "FEEDS": json.dumps({str(DEMO_DIR / FEED_URI): options}),
        "NEWSBOT_REJECTS_URI": DEMO_DIR / FEED_URI.replace(".jsonl", ".rejects.jsonl"),
        "NEWSBOT_SPOOL_DIR": DEMO_DIR / "spool",
        "NEWSBOT_SUMMARY_DIR": DEMO_DIR / "summaries",
        "NEWSBOT_STATE_PATH": DEMO_DIR / "state.sqlite3",
        "NEWSBOT_TEMPLATES_PATH": DEMO_DIR / "templates.json",
        "NEWSBOT_LOCK_PATH": DEMO_DIR / "run.lock",
        "NEWSBOT_LAST_RUN_PATH": DEMO_DIR / "last-run.json",
        "NEWSBOT_S3_BUCKET": "",
        "LOG_FILE": DEMO_DIR / "crawl.log",
    }
    cmd = [sys.executable, "-m", "scrapy", "crawl", "bn_world"]
    cmd += ["-a", "outlets=" + ",".join(outlets)]
    for name, value in settings.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd, demo_env(base_url)


def format_summary(summary: dict[str, Any], log_path: Path, report: Path | None = None) -> str:
    """The one-screen digest of a run summary."""
    stats = summary.get("stats", {})
    feeds = [f for f in summary.get("delivery", {}).get("feeds", []) if f.get("status") == "stored"]
    lines = [
        "",
        "newsbot demo: bn_world over the bundled sample web",
        f"  pages fetched      {stats.get('response_received_count', 0):>5}"
        f"   (robots.txt {stats.get('robotstxt/response_count', 0)},"
        f" listings {stats.get(statskeys.PAGES_LISTING, 0)},"
        f" feeds/sitemaps {stats.get(statskeys.PAGES_FEED, 0)})",
        f"  articles written   {summary['items']['scraped']:>5}",
        f"  drops              {sum(summary['drops'].values()):>5}",
    ]
    lines += [f"    {reason:<24} {n:>3}" for reason, n in summary["drops"].items()]
    lines.append("  articles per outlet")
    lines += [
        f"    {outlet:<24} {entry['scraped']:>3}"
        for outlet, entry in summary["outlets"].items()
        if entry["scraped"]
    ]
    lines += [f"  feed               {f['uri']}" for f in feeds]
    if stats.get(statskeys.REJECTS_PATH):
        lines.append(f"  rejects            {stats[statskeys.REJECTS_PATH]}")
    if report is not None:
        lines.append(f"  report             {report}")
    lines += [
        f"  crawl log          {log_path}",
        f"  finished in {summary['duration_seconds']:.1f} s, exit code {summary['exit_code']}"
        f" ({summary['exit_status']})",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the demo; returns the crawl's exit code."""
    parser = argparse.ArgumentParser(prog="python -m newsbot demo", description=__doc__)
    parser.add_argument("--outlets", help="comma-separated outlet ids (default: all sample ones)")
    args = parser.parse_args(argv)
    web = load_sample_web()
    outlets = args.outlets.split(",") if args.outlets else sorted(web.sites)
    shutil.rmtree(DEMO_DIR, ignore_errors=True)
    DEMO_DIR.mkdir(parents=True)
    with serve(port=0, web=web) as server:
        print(f"Sample web of {len(outlets)} outlets on {server.base_url}; crawling…", flush=True)
        cmd, env = demo_command(server.base_url, outlets)
        code = subprocess.run(cmd, env=env, check=False).returncode
    last_run = DEMO_DIR / "last-run.json"
    if not last_run.exists():
        print(f"The crawl wrote no summary (exit code {code}); see {DEMO_DIR / 'crawl.log'}")
        return code or 1
    summary = json.loads(last_run.read_text(encoding="utf-8"))
    report = DEMO_DIR / "report.html"
    report_args = ["-o", str(report), "--state", str(DEMO_DIR / "state.sqlite3")]
    with contextlib.redirect_stdout(io.StringIO()):  # the digest below names the report
        written = write_report([*report_args, "--summaries", str(last_run)]) == 0
    print(format_summary(summary, DEMO_DIR / "crawl.log", report if written else None))
    return code or (0 if written else 1)
