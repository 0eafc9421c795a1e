"""``python -m newsbot report [-o report.html]``: write the run report and print its path."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.utils.project import get_project_settings

from newsbot import conf
from newsbot.fileio import write_atomic
from newsbot.report.data import gather
from newsbot.report.page import render
from newsbot.state import open_store

DEFAULT_OUTPUT = ".newsbot/report.html"


def main(argv: list[str] | None = None) -> int:
    """Write the report; returns 0, or 1 when it cannot be written."""
    parser = argparse.ArgumentParser(
        prog="python -m newsbot report",
        description="Write one self-contained HTML page about the corpus and its runs: articles "
        "per outlet per day, drops by reason, field coverage, canary history and delivery "
        "failures, from the state store and the run summaries.",
    )
    parser.add_argument("-o", "--output", type=Path, default=Path(DEFAULT_OUTPUT),
                        help=f"where to write the page (default {DEFAULT_OUTPUT})")
    parser.add_argument("--state", help="state store path (default: setting NEWSBOT_STATE_PATH)")
    parser.add_argument("--summaries", type=Path, action="append",
                        help="run summary file or folder, repeatable (default: feeds/ and "
                        "NEWSBOT_SUMMARY_DIR)")
    parser.add_argument("--spider", default="bn_world", help="spider name (default bn_world)")
    parser.add_argument("--runs", type=int, default=30, help="newest runs shown (default 30)")
    args = parser.parse_args(argv)
    settings = get_project_settings()
    if args.state:
        settings.set("NEWSBOT_STATE_PATH", args.state, priority="cmdline")
    summaries = args.summaries or [
        Path("feeds"), Path(conf.get_or_default(settings, "NEWSBOT_SUMMARY_DIR"))
    ]
    store = open_store(settings)
    try:
        data = gather(store, summaries, spider=args.spider, max_runs=args.runs)
    finally:
        store.close()
    try:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(args.output, render(data).encode("utf-8"))
    except OSError as exc:
        print(f"Could not write the report {args.output}: {exc}")
        return 1
    print(args.output)
    return 0
