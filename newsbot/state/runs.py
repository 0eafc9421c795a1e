"""Run history: each finished run's per-outlet record (articles found and parsed, field coverage,
whether the canary tripped) for the canary's baseline and the run report, and checkpoints of long
jobs (a backfill's file and offset).

:class:`SQLiteRuns` (tables ``runs``, ``outlet_runs``, ``checkpoints``) and :class:`PostgresRuns`
are the two backends' halves of this concern.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from newsbot import clock
from newsbot.state.store import OutletRun, RunRecord, iso_time, parse_time

#: Untripped outlet records of one spider's runs, ranked per outlet (1 = newest), in SQLite.
_SQLITE_BASELINE = (
    "SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o.outlet_id"
    " ORDER BY r.finished_at DESC, r.run_id DESC) AS rank"
    " FROM outlet_runs o JOIN runs r ON r.run_id = o.run_id"
    " WHERE r.spider = ? AND o.tripped = 0"
)

#: The same in PostgreSQL (``{s}`` is the schema).
_POSTGRES_BASELINE = (
    "SELECT o.*, ROW_NUMBER() OVER (PARTITION BY o.outlet_id"
    " ORDER BY r.finished_at DESC, r.run_id DESC) AS rank"
    " FROM {s}.outlet_runs o JOIN {s}.runs r ON r.run_id = o.run_id"
    " WHERE r.spider = %s AND NOT o.tripped"
)


class SQLiteRuns:
    """Run history and checkpoints in SQLite."""

    _db: sqlite3.Connection
    _lock: threading.RLock

    def record_run(self, run: RunRecord) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?, ?)",
                (
                    run.run_id,
                    run.spider,
                    iso_time(run.started_at),
                    iso_time(run.finished_at),
                    run.finish_reason,
                    run.exit_code,
                ),
            )
            self._db.execute("DELETE FROM outlet_runs WHERE run_id = ?", (run.run_id,))
            self._db.executemany(
                "INSERT INTO outlet_runs VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        run.run_id,
                        o.outlet_id,
                        o.found,
                        o.parsed,
                        json.dumps(o.coverage, sort_keys=True),
                        int(o.tripped),
                    )
                    for o in run.outlets
                ],
            )

    def recent_runs(self, spider: str, limit: int) -> list[RunRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM runs WHERE spider = ? ORDER BY finished_at DESC, run_id DESC"
                " LIMIT ?",
                (spider, limit),
            ).fetchall()
            query = "SELECT * FROM outlet_runs WHERE run_id = ? ORDER BY outlet_id"
            return [self._run_record(row, query) for row in rows]

    def baseline_runs(self, spider: str, limit: int) -> list[RunRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT runs.* FROM runs WHERE spider = ? AND run_id IN"
                f" (SELECT run_id FROM ({_SQLITE_BASELINE}) WHERE rank <= ?)"
                " ORDER BY finished_at DESC, run_id DESC",
                (spider, spider, limit),
            ).fetchall()
            query = (
                f"SELECT * FROM ({_SQLITE_BASELINE}) WHERE run_id = ? AND rank <= ?"
                " ORDER BY outlet_id"
            )
            return [self._run_record(row, query, (spider,), (limit,)) for row in rows]

    def _run_record(
        self, row: sqlite3.Row, query: str, before: tuple = (), after: tuple = ()
    ) -> RunRecord:
        outlets = [
            OutletRun(
                outlet_id=o["outlet_id"],
                found=o["found"],
                parsed=o["parsed"],
                coverage=json.loads(o["coverage"]),
                tripped=bool(o["tripped"]),
            )
            for o in self._db.execute(query, (*before, row["run_id"], *after))
        ]
        return RunRecord(
            run_id=row["run_id"],
            spider=row["spider"],
            started_at=parse_time(row["started_at"]) or clock.now(),
            finished_at=parse_time(row["finished_at"]) or clock.now(),
            finish_reason=row["finish_reason"],
            exit_code=row["exit_code"],
            outlets=outlets,
        )

    def get_checkpoint(self, name: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT value FROM checkpoints WHERE name = ?", (name,)
            ).fetchone()
        return json.loads(row[0]) if row else None

    def set_checkpoint(self, name: str, value: dict[str, Any]) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO checkpoints (name, value, updated_at) VALUES (?, ?, ?)",
                (name, json.dumps(value, sort_keys=True), iso_time(clock.now())),
            )


class PostgresRuns:
    """Run history and checkpoints in PostgreSQL."""

    _q: Callable[[str], str]
    _run: Callable[..., Any]

    def record_run(self, run: RunRecord) -> None:
        def work(c: Any) -> None:
            with c.transaction():
                c.execute(
                    self._q(
                        "INSERT INTO {s}.runs VALUES (%s, %s, %s, %s, %s, %s)"
                        " ON CONFLICT (run_id) DO UPDATE SET spider = EXCLUDED.spider,"
                        " started_at = EXCLUDED.started_at, finished_at = EXCLUDED.finished_at,"
                        " finish_reason = EXCLUDED.finish_reason, exit_code = EXCLUDED.exit_code"
                    ),
                    (run.run_id, run.spider, run.started_at, run.finished_at,
                     run.finish_reason, run.exit_code),
                )
                c.execute(self._q("DELETE FROM {s}.outlet_runs WHERE run_id = %s"), (run.run_id,))
                c.cursor().executemany(
                    self._q("INSERT INTO {s}.outlet_runs VALUES (%s, %s, %s, %s, %s, %s)"),
                    [
                        (run.run_id, o.outlet_id, o.found, o.parsed,
                         json.dumps(o.coverage, sort_keys=True), o.tripped)
                        for o in run.outlets
                    ],
                )

        self._run(work)

    def _runs(self, c: Any, rows: list[Any], outlets_of: Callable[[str], list[Any]]) -> list:
        out = []
        for row in rows:
            out.append(
                RunRecord(
                    run_id=row[0],
                    spider=row[1],
                    started_at=row[2],
                    finished_at=row[3],
                    finish_reason=row[4],
                    exit_code=row[5],
                    outlets=[
                        OutletRun(o[1], found=o[2], parsed=o[3], coverage=_coverage(o[4]),
                                  tripped=bool(o[5]))
                        for o in outlets_of(row[0])
                    ],
                )
            )
        return out

    def recent_runs(self, spider: str, limit: int) -> list[RunRecord]:
        def work(c: Any) -> list[RunRecord]:
            rows = c.execute(
                self._q(
                    "SELECT * FROM {s}.runs WHERE spider = %s"
                    " ORDER BY finished_at DESC, run_id DESC LIMIT %s"
                ),
                (spider, limit),
            ).fetchall()
            query = self._q(
                "SELECT run_id, outlet_id, found, parsed, coverage, tripped FROM {s}.outlet_runs"
                " WHERE run_id = %s ORDER BY outlet_id"
            )
            return self._runs(c, rows, lambda rid: c.execute(query, (rid,)).fetchall())

        return self._run(work)

    def baseline_runs(self, spider: str, limit: int) -> list[RunRecord]:
        def work(c: Any) -> list[RunRecord]:
            base = self._q(_POSTGRES_BASELINE)
            rows = c.execute(
                self._q(
                    f"SELECT r.* FROM {{s}}.runs r WHERE r.spider = %s AND r.run_id IN"
                    f" (SELECT run_id FROM ({base}) b WHERE rank <= %s)"
                    " ORDER BY r.finished_at DESC, r.run_id DESC"
                ),
                (spider, spider, limit),
            ).fetchall()
            query = (
                "SELECT run_id, outlet_id, found, parsed, coverage, tripped FROM"
                f" ({base}) b WHERE run_id = %s AND rank <= %s ORDER BY outlet_id"
            )
            return self._runs(
                c, rows, lambda rid: c.execute(query, (spider, rid, limit)).fetchall()
            )

        return self._run(work)

    def get_checkpoint(self, name: str) -> dict[str, Any] | None:
        row = self._run(
            lambda c: c.execute(
                self._q("SELECT value FROM {s}.checkpoints WHERE name = %s"), (name,)
            ).fetchone()
        )
        return dict(row[0]) if row else None

    def set_checkpoint(self, name: str, value: dict[str, Any]) -> None:
        doc = json.dumps(value, sort_keys=True)
        self._run(
            lambda c: c.execute(
                self._q(
                    "INSERT INTO {s}.checkpoints (name, value, updated_at) VALUES (%s, %s, %s)"
                    " ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value,"
                    " updated_at = EXCLUDED.updated_at"
                ),
                (name, doc, clock.now()),
            )
        )


def _coverage(value: Any) -> dict[str, float | None]:
    data = (json.loads(value) if isinstance(value, str | bytes) else value) or {}
    return {str(k): v for k, v in data.items()}
