"""The outlet canary of a shared run: judged on the run, not on one worker's share.

Each worker records its own share of the run (spider ``<spider>/shares``, run id
``<run>/<worker>``); the canary then sums the shares recorded so far (articles found and
parsed; field coverage weighted by articles parsed) and compares that with earlier runs. The
merged record is kept as the run's own (``<spider>-<run>``), so the last worker to close leaves
the whole run as the next runs' baseline.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from newsbot.cluster.config import ClusterConfig
from newsbot.cluster.redisadapter import REDIS_ERRORS, redis_client
from newsbot.state import COVERAGE_FIELDS, OutletRun, RunRecord, StateStore

#: Shares of one run kept per worker; more workers than this are summed as far as kept.
MAX_SHARES = 1000
#: A worker whose last heartbeat is older than this is taken as gone (closed or dead).
ALIVE_SECONDS = 30
#: How long the judging worker waits for the shares of workers that are closing with it.
SHARES_WAIT = 10.0


def shares_spider(spider: str) -> str:
    """The spider name the workers' shares are recorded under."""
    return f"{spider}/shares"


def merge_outlets(records: Iterable[OutletRun]) -> dict[str, OutletRun]:
    """Per outlet: found and parsed summed, coverage weighted by articles parsed."""
    merged: dict[str, OutletRun] = {}
    present: dict[str, dict[str, float]] = {}
    for record in records:
        total = merged.setdefault(record.outlet_id, OutletRun(record.outlet_id, 0, 0, {}))
        counts = present.setdefault(record.outlet_id, dict.fromkeys(COVERAGE_FIELDS, 0.0))
        total.found += record.found
        total.parsed += record.parsed
        for name in COVERAGE_FIELDS:
            counts[name] += (record.coverage.get(name) or 0.0) * record.parsed
    for outlet_id, total in merged.items():
        total.coverage = {
            name: (round(present[outlet_id][name] / total.parsed, 4) if total.parsed else None)
            for name in COVERAGE_FIELDS
        }
    return merged


def run_so_far(store: StateStore, share: RunRecord, run_id: str,
               wait_for: Iterable[str] = (), timeout: float = SHARES_WAIT
               ) -> dict[str, OutletRun]:
    """Record this worker's ``share`` of run ``run_id``; the run's outlets summed over every
    share recorded — after waiting up to ``timeout`` seconds for the shares of the workers
    ``wait_for`` (a dead worker never records one)."""
    store.record_run(share)
    wanted = {f"{run_id}/{worker}" for worker in wait_for}
    deadline = time.monotonic() + timeout
    while True:
        shares = [r for r in store.recent_runs(share.spider, MAX_SHARES)
                  if r.run_id.startswith(f"{run_id}/")]
        if wanted <= {r.run_id for r in shares} or time.monotonic() > deadline:
            return merge_outlets(o for r in shares for o in r.outlets)
        time.sleep(0.5)


def participants(settings: Any, spider: str) -> list[str]:
    """Every worker that joined the run."""
    config = ClusterConfig.from_settings(settings)
    client = redis_client(config.redis_url)
    try:
        return sorted(m.decode("utf-8", "replace")
                      for m in client.smembers(config.key(spider, "participants")))
    except REDIS_ERRORS:
        return []
    finally:
        client.close()


def history_before(history: list[RunRecord], run_record_id: str) -> list[RunRecord]:
    """The baseline without the run itself (recorded by a worker that closed earlier)."""
    return [r for r in history if r.run_id != run_record_id]


def others_working(settings: Any, spider: str) -> list[str]:
    """The other workers of the run that sent a heartbeat within ``ALIVE_SECONDS`` (``["?"]``
    when Redis cannot tell)."""
    config = ClusterConfig.from_settings(settings)
    client = redis_client(config.redis_url)
    try:
        now = client.time()[0]
        beats = client.hgetall(config.key(spider, "workers"))
    except REDIS_ERRORS:
        return ["?"]
    finally:
        client.close()
    alive = []
    for worker, beat in beats.items():
        name = worker.decode("utf-8", "replace")
        if name != config.worker_id and now - int(beat or 0) <= ALIVE_SECONDS:
            alive.append(name)
    return sorted(alive)
