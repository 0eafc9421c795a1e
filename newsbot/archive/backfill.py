"""``python -m newsbot backfill --warc PATH_OR_URL… | --month YYYY-MM``: articles of registered
outlets from WARC files, delivered like a crawl's.

Runs the ``backfill`` spider (:mod:`newsbot.spiders.backfill`) through ``scrapy crawl``: the
same run lock, cleaning pipelines, feeds, spool, delivery, run summary and exit codes as
``bn_world``. ``--month`` reads CC-NEWS's ``crawl-data/CC-NEWS/YYYY/MM/warc.paths.gz`` under
``--base`` (setting ``NEWSBOT_CCNEWS_BASE``, default ``https://data.commoncrawl.org/``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from newsbot.exitcodes import ExitCode, describe
from newsbot.spiders.backfill import parse_bound


def scrapy_argv(args: argparse.Namespace) -> list[str]:
    """The ``scrapy crawl backfill`` command line for the parsed arguments."""
    argv = ["scrapy", "crawl", "backfill", "-a", f"warc={json.dumps(args.warc or [])}"]
    for name, value in (("month", args.month), ("since", args.since), ("until", args.until),
                        ("max_files", args.max_files)):
        if value:
            argv += ["-a", f"{name}={value}"]
    if args.all_bengali:
        argv += ["-a", "all_bengali=1"]
    settings = list(args.set)
    if args.base:
        settings.append(f"NEWSBOT_CCNEWS_BASE={args.base}")
    if args.s3_endpoint:
        settings.append(f"NEWSBOT_ARCHIVE_S3_ENDPOINT={args.s3_endpoint}")
    for item in settings:
        argv += ["-s", item]
    if args.loglevel:
        argv += ["-L", args.loglevel]
    return argv


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the backfill; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m newsbot backfill",
        description="Extract the articles of registered outlets from WARC files (CC-NEWS or "
                    "any archive) and deliver them like a crawl's feeds.",
        epilog=f"Exit codes: {describe()}.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--warc", nargs="+", metavar="PATH_OR_URL",
                       help="WARC files: paths, http(s):// URLs or s3:// objects")
    which.add_argument("--month", metavar="YYYY-MM", help="every CC-NEWS file of that month")
    parser.add_argument("--from", dest="since", metavar="DATE",
                        help="only captures from this day (YYYY-MM-DD, UTC) or ISO time on")
    parser.add_argument("--to", dest="until", metavar="DATE",
                        help="only captures up to this day (inclusive) or ISO time")
    parser.add_argument("--all-bengali", action="store_true",
                        help="also pages of other hosts that the language check calls Bengali "
                             "(outlet null)")
    parser.add_argument("--max-files", type=int, default=0,
                        help="read at most this many files not read before (resume later)")
    parser.add_argument("--base", help="where CC-NEWS listings and files are "
                                       "(default https://data.commoncrawl.org/)")
    parser.add_argument("--s3-endpoint", help="S3 endpoint for s3:// files (default AWS)")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a setting")
    parser.add_argument("-L", "--loglevel", help="log level (default INFO)")
    args = parser.parse_args(argv)
    for value, end in ((args.since, False), (args.until, True)):
        try:
            parse_bound(value, end=end)
        except ValueError as exc:
            parser.error(str(exc))
    if args.month:
        try:
            month = int(args.month.split("-")[1])
            if not (1 <= month <= 12 and len(args.month) == 7):
                raise ValueError
        except ValueError:
            parser.error(f"--month takes YYYY-MM, not {args.month!r}")
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsbot.settings")
    from scrapy.cmdline import execute

    try:
        execute(scrapy_argv(args))
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else ExitCode.CRASH
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())
