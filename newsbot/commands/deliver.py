"""``scrapy deliver``: the same as ``python -m newsbot deliver``."""

from __future__ import annotations

import argparse
import logging

from scrapy.commands import ScrapyCommand

from newsbot.delivery.cli import deliver


class Command(ScrapyCommand):
    """Store the feeds that earlier runs left in the spool."""

    requires_project = True
    requires_crawler_process = False

    def short_desc(self) -> str:
        return "Store feeds left in the spool by runs that could not deliver them"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--list", action="store_true", help="only list the spool")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        assert self.settings is not None
        if not logging.getLogger().handlers:
            logging.basicConfig(
                level=self.settings.get("LOG_LEVEL") or "INFO",
                format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
            )
        self.exitcode = deliver(self.settings, list_only=opts.list)
