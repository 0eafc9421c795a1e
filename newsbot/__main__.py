"""``python -m newsbot COMMAND``: the project's command-line tools.

  extract PAGE.html --url URL   print the record the feed would hold for a saved page
  clean FILE                    clean a plain-text or HTML page and print the record
  deliver                       upload spooled feeds that an earlier run could not deliver
  reextract FILE.warc.gz…       archived responses to feed records, without fetching
  backfill --warc URI… | --month YYYY-MM   articles of registered outlets from WARC files
  state rebuild                 rebuild the state store from the stored feeds and the spool
  demo                          serve the bundled sample web and crawl it (``make demo``)
  report [-o report.html]       write the run report: one HTML page from state and summaries
  demo-cluster                  the same with two workers sharing Redis and PostgreSQL
  seed                          push a shared run's start points into its Redis queue
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "extract": "newsbot.api:main",
    "clean": "newsbot.cleaning.command:main",
    "deliver": "newsbot.delivery.cli:main",
    "reextract": "newsbot.archive.reextract:main",
    "backfill": "newsbot.archive.backfill:main",
    "state": "newsbot.delivery.rebuild:main",
    "demo": "newsbot.demo:main",
    "report": "newsbot.report.cli:main",
    "demo-cluster": "newsbot.democluster:main",
    "seed": "newsbot.cluster.seed:main",
}


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the command named by the first argument."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__.strip())
        return 0
    if not args or args[0] not in COMMANDS:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    module, func = COMMANDS[args[0]].split(":")
    return int(getattr(importlib.import_module(module), func)(args[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main())
