"""Guarding the state store against loss: a store that was emptied, deleted or rolled back (its
``-wal`` file gone) would make the next run deliver everything again.

After every delivery the store's :meth:`~newsbot.state.StateStore.delivery_mark` (its id and
delivery generation) is copied to a small marker file outside the store (setting
``NEWSBOT_STATE_MARKER_PATH``; default beside the SQLite file: ``.newsbot/state.marker.json``),
and every spool manifest records the id of the store its articles are pending in. Before a
crawl or a delivery, :func:`open_checked_store` compares:

* the store cannot be read (not a database, damaged) -> :class:`StateBroken`;
* the marker names another store id (the file was emptied or deleted and a new one created),
  or a spool entry was written for another store -> :class:`StateBroken`;
* the marker's generation is ahead of the store's (deliveries lost: the ``-wal`` file went)
  -> :class:`StateBroken`.

The run then does nothing (exit code 9, ``STATE_BROKEN``) and says how to repair:
``python -m newsbot state rebuild`` (:mod:`newsbot.delivery.rebuild`) rebuilds the store from
the stored feeds and the spool. ``make clean-state`` (the whole ``.newsbot`` folder, marker
included) still starts from scratch on purpose.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from scrapy.settings import BaseSettings

from newsbot import conf
from newsbot.fileio import write_atomic
from newsbot.state import SQLiteStateStore, StateStore, open_store

logger = logging.getLogger(__name__)

REPAIR = (
    "Nothing was crawled or delivered, so nothing is delivered twice. Rebuild the state from "
    "the stored feeds and the spool with `python -m newsbot state rebuild` (or start from "
    "scratch on purpose with `make clean-state`)"
)


class StateBroken(Exception):
    """The state store cannot be trusted; the message says why and how to repair it.
    ``damaged``: the file itself is unreadable (a rebuild replaces it)."""

    def __init__(self, message: str, *, damaged: bool = False):
        super().__init__(message)
        self.damaged = damaged


def marker_path(settings: BaseSettings, store: StateStore | None = None) -> Path | None:
    """Where the delivery marker is kept: ``NEWSBOT_STATE_MARKER_PATH``, else beside a SQLite
    store's file (``state.sqlite3`` -> ``state.marker.json``; a name ``state.sqlite3*`` globs
    do not catch); None for an in-memory store of another backend without the setting."""
    configured = conf.get(settings, "NEWSBOT_STATE_MARKER_PATH")
    if configured:
        return Path(configured)
    if isinstance(store, SQLiteStateStore) and str(store.path) != ":memory:":
        return store.path.with_name(f"{store.path.name.split('.')[0]}.marker.json")
    return None


def read_marker(path: Path | None) -> dict[str, Any] | None:
    """The marker's content (None when there is none or it is unreadable)."""
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        logger.warning("Ignoring the unreadable state marker %s", path)
        return None
    if not isinstance(data, dict) or "store_id" not in data:
        return None
    return data


def write_marker(settings: BaseSettings, store: StateStore) -> None:
    """Copy the store's delivery mark to the marker file (after a delivery or a rebuild)."""
    path = marker_path(settings, store)
    if path is None:
        return
    store_id, generation = store.delivery_mark()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps({"store_id": store_id, "generation": generation}).encode())


def describe_store(settings: BaseSettings) -> str:
    """The store as named in messages."""
    backend = conf.get_or_default(settings, "NEWSBOT_STATE_BACKEND")
    if backend.endswith("SQLiteStateStore") or not backend:
        return f"the state store {conf.get_or_default(settings, 'NEWSBOT_STATE_PATH')}"
    return f"the state store ({backend})"


def open_store_safely(settings: BaseSettings) -> StateStore:
    """The configured store, or :class:`StateBroken` when it cannot be opened or read."""
    try:
        store = open_store(settings)
        store.delivery_mark()
    except sqlite3.OperationalError as exc:  # I/O: a full or read-only disk, a lock
        raise StateBroken(
            f"{describe_store(settings)} cannot be opened or written ({exc}): is its disk full "
            "or read-only? Nothing was crawled or delivered. Fix the disk and run again"
        ) from None
    except (sqlite3.DatabaseError, KeyError, ValueError) as exc:
        raise StateBroken(
            f"{describe_store(settings)} cannot be read ({type(exc).__name__}: {exc}): it is "
            f"damaged or not a newsbot state store. {REPAIR}",
            damaged=True,
        ) from None
    return store


def verify(store: StateStore, settings: BaseSettings, spool_ids: set[str]) -> None:
    """Raise :class:`StateBroken` when the store lost what the marker or the spool says it
    held (``spool_ids``: the store ids recorded in the spool manifests)."""
    store_id, generation = store.delivery_mark()
    marker = read_marker(marker_path(settings, store))
    where = describe_store(settings)
    if marker is not None and marker["store_id"] != store_id:
        raise StateBroken(
            f"{where} is not the store earlier runs delivered with (it was emptied, deleted "
            f"or replaced): it does not know the {marker.get('generation', '?')} feed "
            f"deliveries recorded in {marker_path(settings, store)}. {REPAIR}"
        )
    if marker is not None and int(marker.get("generation", 0)) > generation:
        raise StateBroken(
            f"{where} has lost deliveries: it remembers {generation} feed deliveries, earlier "
            f"runs recorded {marker['generation']} (was its -wal file removed?). {REPAIR}"
        )
    foreign = {i for i in spool_ids if i and i != store_id}
    if foreign:
        raise StateBroken(
            f"{where} is not the store the feeds waiting in the spool were written with (it "
            f"was emptied, deleted or replaced). {REPAIR}"
        )


def open_checked_store(settings: BaseSettings, spool_ids: set[str]) -> StateStore:
    """The configured store, verified (:func:`verify`); raises :class:`StateBroken`."""
    store = open_store_safely(settings)
    try:
        verify(store, settings, spool_ids)
    except BaseException:
        store.close()
        raise
    return store


def spool_state_ids(settings: BaseSettings) -> set[str]:
    """The store ids the spool's manifests were written with."""
    from newsbot.delivery.spool import Spool

    spool = Spool(conf.get_or_default(settings, "NEWSBOT_SPOOL_DIR"))
    return {e.state_id for e in spool.entries() if e.state_id}


def check_state(settings: BaseSettings) -> None:
    """Before a run: raise :class:`StateBroken` unless the store is readable and whole."""
    open_checked_store(settings, spool_state_ids(settings)).close()
