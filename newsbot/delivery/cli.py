"""``python -m newsbot deliver``: store the feeds that earlier runs left in the spool.

Takes the run lock (so it never races a crawl), discards unfinished feeds of killed runs, then
stores every sealed feed in the spool, oldest first, exactly once, and marks its articles
delivered. Exit codes (``DELIVER_EXIT_CODES``, described in :mod:`newsbot.exitcodes`): 0 all
stored or nothing to do, 3 some feed is still in the spool (or was damaged and quarantined), 6
a run holds the lock, 7 unsafe configuration, 9 the state store is unreadable or lost
deliveries, 10 the lock is held by a hung run.
"""

from __future__ import annotations

import argparse
import logging
import sys

from scrapy.settings import BaseSettings, Settings
from scrapy.utils.project import get_project_settings

from newsbot import conf
from newsbot.delivery.context import DeliveryContext
from newsbot.delivery.targets import check_no_credentials_in_settings
from newsbot.errors import ConfigError
from newsbot.exitcodes import ExitCode, describe
from newsbot.runlock import LockHeld, RunLock, refusal
from newsbot.stateguard import StateBroken, open_checked_store, spool_state_ids

logger = logging.getLogger("newsbot.deliver")

#: The exit codes ``deliver`` can return.
DELIVER_EXIT_CODES = (
    ExitCode.OK,
    ExitCode.DELIVERY_FAILED,
    ExitCode.LOCK_HELD,
    ExitCode.CONFIG_ERROR,
    ExitCode.STATE_BROKEN,
    ExitCode.LOCK_STALE,
)


def project_settings(overrides: list[str]) -> Settings:
    """The project's settings with ``NAME=VALUE`` overrides (``-s``) applied."""
    settings = get_project_settings()
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"bad -s value {item!r}: use -s NAME=VALUE")
        settings.set(name, value, priority="cmdline")
    return settings


def take_lock(settings: BaseSettings, doing: str) -> RunLock | ExitCode:
    """The run lock, taken; or, when another run holds it, the exit code (the refusal is
    logged: ``doing`` says what this command does not do now)."""
    lock = RunLock(conf.get_or_default(settings, "NEWSBOT_LOCK_PATH"))
    try:
        lock.acquire()
    except LockHeld as exc:
        stale_after = conf.getfloat(settings, "NEWSBOT_LOCK_STALE_AFTER")
        code, message = refusal(exc, stale_after, doing)
        logger.error("%s (exit code %d)", message, code)
        return code
    return lock


def deliver(settings: BaseSettings, *, list_only: bool = False) -> int:
    """Store the spooled feeds under ``settings``; return the exit code."""
    lock = take_lock(settings, "not delivering now")
    if isinstance(lock, ExitCode):
        return lock
    try:
        check_no_credentials_in_settings(settings)  # refused even with nothing to deliver
        if list_only:
            for entry in DeliveryContext(settings).spool.entries():
                state = "sealed" if entry.sealed else "unfinished"
                print(f"{entry.id}\t{state}\t{entry.items}\t{entry.uri}")
            return ExitCode.OK
        store = open_checked_store(settings, spool_state_ids(settings))
        try:
            context = DeliveryContext(settings, store=store)
            results = context.flush()
        finally:
            store.close()
    except ConfigError as exc:  # also a shared state database that cannot be reached
        logger.error("Configuration error: %s", exc)
        return ExitCode.CONFIG_ERROR
    except StateBroken as exc:
        logger.error("%s (exit code %d)", exc, ExitCode.STATE_BROKEN)
        return ExitCode.STATE_BROKEN
    finally:
        lock.release()
    stored = sum(1 for r in results if r.status == "stored")
    failed = [r for r in results if r.status == "spooled"]
    quarantined = [r for r in results if r.status == "quarantined"]
    logger.info(
        "Delivered %d spooled feed file(s); %d still in the spool (%s)%s",
        stored,
        len(failed),
        context.spool.dir,
        f"; {len(quarantined)} damaged, quarantined" if quarantined else "",
    )
    return ExitCode.DELIVERY_FAILED if context.failed else ExitCode.OK


def main(argv: list[str] | None = None) -> int:
    """``python -m newsbot deliver [-s NAME=VALUE] [--list] [-q]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m newsbot deliver",
        description="Store the feeds left in the spool by runs that could not deliver them.",
        epilog=f"Exit codes: {describe(DELIVER_EXIT_CODES)}.",
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a setting (e.g. NEWSBOT_SPOOL_DIR=/var/spool/newsbot)",
    )
    parser.add_argument("--list", action="store_true", help="only list what is in the spool")
    parser.add_argument("-q", "--quiet", action="store_true", help="log warnings and errors only")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
    )
    return deliver(project_settings(args.set), list_only=args.list)


if __name__ == "__main__":
    sys.exit(main())
