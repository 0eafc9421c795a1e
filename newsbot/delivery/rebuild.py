"""``python -m newsbot state rebuild``: rebuild what the state store knows about deliveries from
the stored feeds and the spool, after :mod:`newsbot.stateguard` found it emptied, deleted,
rolled back or unreadable.

* Every stored feed is read: the local feeds under the folders of the local ``FEEDS``
  templates, and with ``NEWSBOT_S3_BUCKET`` set, every ``.jsonl``/``.jsonl.gz`` object under
  ``NEWSBOT_S3_PREFIX`` in that bucket. Each article is marked delivered with the highest
  revision found (idempotent: running it twice changes nothing).
* Sealed feeds waiting in the spool mark their articles pending again, and their manifests are
  stamped with the store's id.
* An unreadable SQLite file is moved aside (``state.sqlite3.broken-<stamp>``) and a new one
  built.
* Last, the delivery marker is written again, so the next run starts normally.

Exit codes: 0 rebuilt, 6 a run holds the lock, 9 a stored feed could not be read (the marker is
not written: runs keep refusing until a rebuild succeeds), 10 the lock is held by a hung run.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from scrapy.settings import BaseSettings

from newsbot import clock, conf
from newsbot.delivery.addon import configured_bucket, configured_prefix
from newsbot.delivery.cli import project_settings, take_lock
from newsbot.delivery.spool import Spool, read_feed_records
from newsbot.delivery.targets import S3Config, local_path
from newsbot.delivery.uri import stamp_of
from newsbot.exitcodes import ExitCode
from newsbot.state import SQLiteStateStore, StateStore
from newsbot.stateguard import StateBroken, open_store_safely, write_marker

logger = logging.getLogger("newsbot.state")

FEED_SUFFIXES = (".jsonl", ".jsonl.gz")


def _is_feed(name: str) -> bool:
    return name.endswith(FEED_SUFFIXES) and ".rejects." not in name


def local_feed_roots(settings: BaseSettings) -> list[Path]:
    """The fixed folders the local ``FEEDS`` templates write under (``feeds`` by default)."""
    roots = []
    for template in map(str, settings.getdict("FEEDS")):
        scheme = urlparse(template).scheme
        if scheme not in ("", "file") and len(scheme) != 1:  # a drive letter is a path
            continue
        parts = local_path(template).parts
        cut = next((i for i, part in enumerate(parts) if "%(" in part), len(parts) - 1)
        root = Path(*parts[:cut]) if cut else Path(".")
        if root not in roots:
            roots.append(root)
    return roots


def local_feeds(settings: BaseSettings) -> Iterator[tuple[str, Path]]:
    """(URI, path) of every stored local feed file."""
    for root in local_feed_roots(settings):
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and _is_feed(path.name):
                    yield path.as_posix(), path


def s3_feeds(settings: BaseSettings, scratch: Path) -> Iterator[tuple[str, Path]]:
    """(URI, local copy) of every feed object in the configured bucket under the prefix."""
    bucket = configured_bucket(settings)
    if not bucket:
        return
    prefix = configured_prefix(settings)
    client = S3Config.from_settings(settings).client()
    pages = client.get_paginator("list_objects_v2").paginate(
        Bucket=bucket, Prefix=f"{prefix}/" if prefix else ""
    )
    for n, page in enumerate(pages):
        for i, obj in enumerate(page.get("Contents", [])):
            key = obj["Key"]
            if not _is_feed(key):
                continue
            copy = scratch / f"{n}-{i}.feed"
            body = client.get_object(Bucket=bucket, Key=key)["Body"]
            with open(copy, "wb") as fh:
                shutil.copyfileobj(body, fh)
            yield f"s3://{bucket}/{key}", copy
            copy.unlink(missing_ok=True)


def _open_or_replace(settings: BaseSettings) -> StateStore:
    """The store; an unreadable SQLite file is moved aside first."""
    try:
        return open_store_safely(settings)
    except StateBroken as exc:
        path = Path(conf.get_or_default(settings, "NEWSBOT_STATE_PATH"))
        backend = conf.get_or_default(settings, "NEWSBOT_STATE_BACKEND")
        sqlite = not backend or backend.endswith("SQLiteStateStore")
        if not (exc.damaged and sqlite and path.exists()):
            raise
        aside = path.with_name(f"{path.name}.broken-{stamp_of(clock.now())}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(f"{path}{suffix}")
            if source.exists():
                os.replace(source, f"{aside}{suffix}")
        logger.warning("%s; moved it to %s and building a new one", exc, aside)
        return SQLiteStateStore(path)


def rebuild(settings: BaseSettings) -> int:
    """Rebuild the delivery records of the state store; return the exit code."""
    lock = take_lock(settings, "not rebuilding now")
    if isinstance(lock, ExitCode):
        return lock
    try:
        try:
            store = _open_or_replace(settings)
        except StateBroken as exc:
            logger.error("%s", exc)
            return ExitCode.STATE_BROKEN
        try:
            return _rebuild(settings, store)
        finally:
            store.close()
    finally:
        lock.release()


def _rebuild(settings: BaseSettings, store: StateStore) -> int:
    feeds = articles = 0
    spool = Spool(conf.get_or_default(settings, "NEWSBOT_SPOOL_DIR"))
    try:
        spool.dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".rebuild-", dir=spool.dir) as scratch:
            stored = itertools.chain(local_feeds(settings), s3_feeds(settings, Path(scratch)))
            for uri, path in stored:
                records = read_feed_records(path)
                store.mark_delivered(f"rebuild:{uri}", records, target=uri, when=clock.now())
                feeds += 1
                articles += len(records)
    except Exception as exc:  # an unreadable feed or an unreachable bucket: incomplete
        logger.error(
            "Could not read every stored feed (%s: %s); the state store is incomplete and runs "
            "keep refusing to start until a rebuild succeeds", type(exc).__name__, exc,
        )
        return ExitCode.STATE_BROKEN
    store_id, _ = store.delivery_mark()
    pending = 0
    for entry in spool.sealed():
        if entry.data_path.exists() and spool.intact(entry):
            store.mark_pending(entry.id, read_feed_records(entry.data_path))
            pending += 1
        entry.state_id = store_id
        spool.rewrite(entry)
    write_marker(settings, store)
    logger.info(
        "Rebuilt the state store: %d article record(s) from %d stored feed(s); %d spooled "
        "feed(s) pending", articles, feeds, pending,
    )
    return ExitCode.OK


def main(argv: list[str] | None = None) -> int:
    """``python -m newsbot state rebuild [-s NAME=VALUE]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m newsbot state",
        description="Repair the incremental state store.",
    )
    parser.add_argument("action", choices=["rebuild"],
                        help="rebuild: from the stored feeds (local and S3) and the spool")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="override a setting")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    return rebuild(project_settings(args.set))


if __name__ == "__main__":
    sys.exit(main())
