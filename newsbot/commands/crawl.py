"""``scrapy crawl``, cron-safe: one run at a time and an exit code that tells what happened.

* Takes the run lock (``NEWSBOT_LOCK_PATH``, default ``.newsbot/run.lock``) before anything
  else; if another run holds it, says so in one line and exits with ``LOCK_HELD`` at once.
* Exits with the code the run summary decided (:mod:`newsbot.exitcodes`): delivery failed,
  callback errors, interrupted, canary tripped — ``0`` only when all went well.
* An unsafe configuration (:class:`~newsbot.delivery.errors.FeedConfigError`), or a shared
  service (state database, Redis) unreachable at start
  (:class:`~newsbot.services.ServiceUnavailable`), stops the run before crawling, with
  ``CONFIG_ERROR``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from newsbot import conf
from newsbot.errors import ConfigError
from newsbot.exitcodes import ExitCode, describe
from newsbot.extensions.summary import SummaryExtension, exit_code_from_stats, summary_of
from newsbot.runlock import LockHeld, RunLock, refusal
from newsbot.stateguard import StateBroken, check_state

logger = logging.getLogger(__name__)


class Command(ScrapyCrawlCommand):
    """Scrapy's ``crawl`` with a run lock and newsbot's exit codes."""

    def short_desc(self) -> str:
        return "Run a spider (one run at a time; exit code from the run summary)"

    def long_desc(self) -> str:
        return (
            "Run a spider. Only one run at a time (lock file NEWSBOT_LOCK_PATH); the exit code "
            f"says what happened: {describe()}."
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) < 1:
            raise UsageError
        if len(args) > 1:
            raise UsageError("running 'scrapy crawl' with more than one spider is not supported")
        assert self.settings is not None
        lock = RunLock(conf.get_or_default(self.settings, "NEWSBOT_LOCK_PATH"))
        try:
            lock.acquire()
        except LockHeld as exc:
            stale_after = conf.getfloat(self.settings, "NEWSBOT_LOCK_STALE_AFTER")
            self.exitcode, message = refusal(exc, stale_after, "not starting a second run")
            logger.error(message)
            if not logging.getLogger().handlers:
                print(message, file=sys.stderr)
            return
        try:
            try:
                check_state(self.settings)
            except (StateBroken, ConfigError) as exc:
                # ConfigError: e.g. the shared state database cannot be reached
                logger.error("newsbot: %s", exc)
                if not logging.getLogger().handlers:
                    print(f"newsbot: {exc}", file=sys.stderr)
                broken = isinstance(exc, StateBroken)
                self.exitcode = ExitCode.STATE_BROKEN if broken else ExitCode.CONFIG_ERROR
                return
            self.exitcode = self._crawl(args[0], opts)
        finally:
            lock.release()

    def _crawl(self, spider_name: str, opts: argparse.Namespace) -> int:
        assert self.crawler_process is not None
        try:
            crawler = self._create_crawler(spider_name)
        except KeyError:
            raise UsageError(f"no spider named {spider_name!r} (scrapy list names them)") from None
        failures: list[BaseException] = []

        def keep(failure: Failure) -> None:
            failures.append(failure.value)

        def keep_task(task: asyncio.Task[Any]) -> None:
            if not task.cancelled() and task.exception() is not None:
                failures.append(task.exception())  # type: ignore[arg-type]

        outcome = self.crawler_process.crawl(crawler, **opts.spargs)
        if isinstance(outcome, Deferred):
            outcome.addErrback(keep)
        elif isinstance(outcome, asyncio.Future):
            outcome.add_done_callback(keep_task)
        self.crawler_process.start()

        config = [f for f in failures if isinstance(f, ConfigError)]
        if config:
            logger.error("Configuration error, nothing crawled: %s", config[0])
            return ExitCode.CONFIG_ERROR
        usage = [f for f in failures if isinstance(f, UsageError)]
        if usage:  # a spider argument the spider refused (an unknown outlet id, …)
            logger.error("Bad spider argument, nothing crawled: %s", usage[0])
            return ExitCode.USAGE
        for failure in failures:
            logger.error(
                "The crawl failed: %s: %s",
                type(failure).__name__,
                failure,
                exc_info=(type(failure), failure, failure.__traceback__),
            )
        if failures or self.crawler_process.bootstrap_failed:
            return ExitCode.CRASH
        summary = summary_of(crawler)
        if summary is None and (ext := SummaryExtension.of(crawler)) is not None:
            # the spider never closed: the shutdown was forced (a second SIGTERM)
            summary = ext.write_unfinished()
        if summary is not None:
            return int(summary["exit_code"])
        try:
            stats = crawler.stats.get_stats()
        except RuntimeError:  # the crawl never started: no stats collector yet
            stats = {}
        return exit_code_from_stats(stats, stats.get("finish_reason"))
