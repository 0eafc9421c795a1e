"""The default state store: one SQLite file (``NEWSBOT_STATE_PATH``), migrated in place when
opened (:mod:`newsbot.state.migrations`). Each concern's SQL is in its own module
(:mod:`~newsbot.state.articles`, :mod:`~newsbot.state.ledger`, :mod:`~newsbot.state.runs`).
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from scrapy.settings import BaseSettings

from newsbot import conf
from newsbot.state.articles import SQLiteArticles
from newsbot.state.ledger import SQLiteLedger
from newsbot.state.migrations import migrate_sqlite
from newsbot.state.runs import SQLiteRuns
from newsbot.state.store import StateStore


class SQLiteStateStore(SQLiteArticles, SQLiteLedger, SQLiteRuns, StateStore):
    """The state in one SQLite file (WAL journal: a killed process loses no committed write)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.row_factory = sqlite3.Row
        with self._lock:
            migrate_sqlite(self._db)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SQLiteStateStore:
        return cls(conf.get_or_default(settings, "NEWSBOT_STATE_PATH"))

    def close(self) -> None:
        with self._lock:
            self._db.close()
