"""Incremental crawl state: what each article looked like and what was delivered.

Per canonical URL the store keeps two fingerprints — of the cleaned title and body, and of the
source (title and body as extracted, before cleaning; see :mod:`newsbot.pipelines.source`) —,
first/last seen times, the published time, and the delivery state:

* **pending** — the article is in a feed file that is complete in the spool but not stored yet
  (it will be stored by the next run or ``python -m newsbot deliver``);
* **delivered** — the feed that holds it was stored; the fingerprint and revision delivered.

Runs also leave per-outlet records (articles found, field coverage) for the outlet canary.

One module per concern:

============== ===============================================================================
``store``      the interface (:class:`StateStore`) and its values; fingerprints, time parsing
``articles``   article state: fingerprints, first/last seen, aliases, fetch validators
``ledger``     the delivery ledger: pending and delivered versions, delivery mark, claims
``runs``       run history for the canary and the report; checkpoints of long jobs
``migrations`` the schema of both backends (SQLite migrated in place, PostgreSQL numbered)
``sqlite``     :class:`SQLiteStateStore`, one SQLite file (``NEWSBOT_STATE_PATH``): the default
``postgres``   :class:`~newsbot.state.postgres.PostgresStateStore` (``NEWSBOT_STATE_URL``),
               shared by the workers of a scaled-out crawl
``wiring``     :func:`open_store` and :func:`store_for_crawler`
============== ===============================================================================

Another backend is a class with the same methods named by ``NEWSBOT_STATE_BACKEND``.
"""

from newsbot.state.sqlite import SQLiteStateStore
from newsbot.state.store import (
    COVERAGE_FIELDS,
    ArticleState,
    FeedRecord,
    OutletRun,
    RunRecord,
    StateStore,
    Version,
    fingerprint,
    iso_time,
    parse_time,
)
from newsbot.state.wiring import POSTGRES_BACKEND, open_store, store_for_crawler

__all__ = [
    "COVERAGE_FIELDS",
    "POSTGRES_BACKEND",
    "ArticleState",
    "FeedRecord",
    "OutletRun",
    "RunRecord",
    "SQLiteStateStore",
    "StateStore",
    "Version",
    "fingerprint",
    "iso_time",
    "open_store",
    "parse_time",
    "store_for_crawler",
]
