"""Exit codes of ``scrapy crawl`` and ``python -m newsbot deliver``, for cron and systemd.

A run can hit several problems at once; it exits with the most urgent one, in the order of
``PRECEDENCE`` (undelivered data first). The run summary (``*.summary.json``) lists every problem
under ``problems`` whatever the exit code.

==== ======================= =================================================================
code name                    meaning
==== ======================= =================================================================
0    OK                      crawl finished, every feed stored, no callback errors, no canary
1    CRASH                   Scrapy could not start the crawl or crashed (see the log)
2    USAGE                   bad command line (Scrapy's own usage error, an unknown spider, a
                             spider argument the spider refuses: an unknown outlet id, a start
                             URL of no registered outlet); nothing was crawled
3    DELIVERY_FAILED         a feed could not be stored; it is kept in the spool and is
                             delivered by the next run or by ``python -m newsbot deliver``
4    SPIDER_ERRORS           spider callbacks or pipelines raised errors (``spider_exceptions/*``
                             stats, ERROR log lines from the spider)
5    CANARY_TRIPPED          an outlet fell to zero articles found or parsed, or lost field
                             coverage (layout change?); see ``canary`` in the summary
6    LOCK_HELD               another run holds the lock; this one did nothing
7    CONFIG_ERROR            the configuration is unsafe (e.g. feed batches without a batch
                             placeholder, credentials in settings), or a shared service (Redis,
                             the PostgreSQL state store) is unreachable; nothing was crawled
8    INTERRUPTED             the crawl stopped before finishing (SIGTERM/SIGINT, close-spider
                             limits, the run-time limit); what was scraped was delivered, or
                             after a forced shutdown is emitted again by the next run
9    STATE_BROKEN            the state store is unreadable, or lost deliveries (emptied,
                             deleted, its ``-wal`` file gone); nothing was crawled or delivered
10   LOCK_STALE              the run holding the lock has held it longer than
                             ``NEWSBOT_LOCK_STALE_AFTER``: it is frozen or hung
==== ======================= =================================================================
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes (see the module docstring)."""

    OK = 0
    CRASH = 1
    USAGE = 2
    DELIVERY_FAILED = 3
    SPIDER_ERRORS = 4
    CANARY_TRIPPED = 5
    LOCK_HELD = 6
    CONFIG_ERROR = 7
    INTERRUPTED = 8
    STATE_BROKEN = 9
    LOCK_STALE = 10


#: When a run has several problems, the first of these that applies is the exit code.
PRECEDENCE: tuple[ExitCode, ...] = (
    ExitCode.CONFIG_ERROR,
    ExitCode.DELIVERY_FAILED,
    ExitCode.SPIDER_ERRORS,
    ExitCode.INTERRUPTED,
    ExitCode.CANARY_TRIPPED,
)

DESCRIPTIONS: dict[ExitCode, str] = {
    ExitCode.OK: "success",
    ExitCode.CRASH: "the crawl could not start or crashed",
    ExitCode.USAGE: "bad command line",
    ExitCode.DELIVERY_FAILED: "a feed could not be stored; it is kept in the spool",
    ExitCode.SPIDER_ERRORS: "spider callbacks or pipelines raised errors",
    ExitCode.CANARY_TRIPPED: (
        "an outlet canary tripped: no articles found or parsed, or field coverage lost"
    ),
    ExitCode.LOCK_HELD: "another run is in progress",
    ExitCode.CONFIG_ERROR: "unsafe configuration; nothing was crawled",
    ExitCode.INTERRUPTED: "the crawl stopped before finishing",
    ExitCode.STATE_BROKEN: "the state store is unreadable or lost deliveries; nothing done",
    ExitCode.LOCK_STALE: "the run holding the lock is frozen or hung",
}


def describe(codes: list[ExitCode] | tuple[ExitCode, ...] = tuple(ExitCode)) -> str:
    """``"0 (success), 1 (…)"``: the codes and their descriptions, for help texts."""
    return ", ".join(f"{int(code)} ({DESCRIPTIONS[code]})" for code in codes)


def pick(problems: set[ExitCode] | list[ExitCode]) -> ExitCode:
    """The exit code for a run with ``problems`` (``OK`` when there are none)."""
    present = set(problems)
    for code in PRECEDENCE:
        if code in present:
            return code
    return ExitCode.OK
