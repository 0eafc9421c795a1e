"""Opening the state store a crawl or a command uses: :func:`open_store` from settings (SQLite
by default, PostgreSQL when ``NEWSBOT_STATE_URL`` is set, or the class ``NEWSBOT_STATE_BACKEND``
names), and :func:`store_for_crawler`, the one store a crawler's components share.
"""

from __future__ import annotations

import weakref

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object

from newsbot import conf
from newsbot.services import STATE_URL_SETTING, setting_or_env
from newsbot.state.store import StateStore

POSTGRES_BACKEND = "newsbot.state.postgres.PostgresStateStore"


def open_store(settings: BaseSettings) -> StateStore:
    """The store named by ``NEWSBOT_STATE_BACKEND`` (default: SQLite at ``NEWSBOT_STATE_PATH``);
    PostgreSQL when ``NEWSBOT_STATE_URL`` (setting or environment) is a ``postgresql://`` URL."""
    backend = conf.get_or_default(settings, "NEWSBOT_STATE_BACKEND")
    if setting_or_env(settings, STATE_URL_SETTING):
        backend = POSTGRES_BACKEND
    cls = load_object(backend)
    return cls.from_settings(settings)


_STORES: weakref.WeakKeyDictionary[Crawler, StateStore] = weakref.WeakKeyDictionary()


def store_for_crawler(crawler: Crawler) -> StateStore:
    """The crawler's shared store (opened on first use, closed when the engine stops)."""
    store = _STORES.get(crawler)
    if store is None:
        store = open_store(crawler.settings)
        _STORES[crawler] = store

        def _close() -> None:
            _STORES.pop(crawler, None)
            store.close()

        crawler.signals.connect(_close, signal=signals.engine_stopped, weak=False)
    return store
