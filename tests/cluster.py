"""Several ``scrapy crawl bn_world`` workers of one shared run, each in its own folder (its own
spool, lock and feeds), against the sample web, Redis and PostgreSQL started by the tests."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.s3server import crawl_cmd, env_for, local_feed_records


@dataclass
class Cluster:
    """Workers ``w0``, ``w1``, … under ``base``, sharing ``redis_url`` and ``state_url``."""

    base: Path
    web_url: str
    redis_url: str
    state_url: str
    schema: str
    outlets: str
    args: list[str] = field(default_factory=list)
    procs: dict[str, subprocess.Popen[str]] = field(default_factory=dict)
    run_id: str = ""

    def env(self, worker: str, run_id: str, **extra: str) -> dict[str, str]:
        """The environment of ``worker`` in run ``run_id``."""
        return env_for(
            self.web_url,
            NEWSBOT_REDIS_URL=self.redis_url,
            NEWSBOT_STATE_URL=self.state_url,
            NEWSBOT_STATE_SCHEMA=self.schema,
            NEWSBOT_RUN_ID=run_id,
            NEWSBOT_WORKER_ID=worker,
            **extra,
        )

    def workdir(self, worker: str) -> Path:
        """The worker's folder."""
        path = self.base / worker
        path.mkdir(parents=True, exist_ok=True)
        return path

    def start(self, run_id: str, workers: int = 3, *args: str, **extra: str) -> None:
        """Start ``workers`` workers of run ``run_id``; each logs to
        ``<workdir>/crawl-<run_id>.log``."""
        self.run_id = run_id
        for n in range(workers):
            name = f"w{n}"
            workdir = self.workdir(name)
            with open(workdir / f"crawl-{run_id}.log", "w", encoding="utf-8") as log:
                self.procs[name] = subprocess.Popen(
                    crawl_cmd(self.outlets, *self.args, *args),
                    cwd=workdir, env=self.env(name, run_id, **extra),
                    stdout=log, stderr=log, text=True,
                )

    def wait(self, timeout: float = 180) -> dict[str, int]:
        """Wait for every started worker; their exit codes."""
        codes = {}
        for name, proc in self.procs.items():
            codes[name] = proc.wait(timeout=timeout)
        self.procs = {}
        return codes

    def run(self, run_id: str, workers: int = 3, *args: str, **extra: str) -> dict[str, int]:
        """Start and wait for a whole run."""
        self.start(run_id, workers, *args, **extra)
        try:
            return self.wait()
        finally:
            self.stop()

    def stop(self) -> None:
        """Kill every worker still running (test clean-up)."""
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
        self.procs = {}

    def log(self, worker: str, run_id: str = "") -> str:
        """The worker's crawl log of run ``run_id`` (default: the latest run started)."""
        path = self.workdir(worker) / f"crawl-{run_id or self.run_id}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def scraped(self, worker: str) -> int:
        """Items the worker has scraped so far (from its log)."""
        return self.log(worker).count("Scraped from <200")

    def records(self) -> list[dict[str, Any]]:
        """Every record every worker delivered to its local feeds."""
        return [r for d in sorted(self.base.iterdir()) if d.is_dir()
                for r in local_feed_records(d)]

    def delivered(self) -> Counter[str]:
        """How many times each canonical URL was delivered, over all workers."""
        return Counter(r["canonical_url"] for r in self.records())

    def summaries(self, worker: str) -> list[dict[str, Any]]:
        """The worker's run summaries, oldest first."""
        paths = sorted((self.workdir(worker) / "feeds").rglob("*.summary.json"))
        return [json.loads(p.read_text(encoding="utf-8")) for p in paths]

    def why(self, codes: dict[str, int]) -> str:
        """Exit codes and the ERROR lines and tails of the workers' logs."""
        out = [f"exit codes {codes}"]
        for name in codes:
            log = self.log(name)
            errors = [ln for ln in log.splitlines() if "ERROR" in ln or "Traceback" in ln]
            out += [f"--- {name}", *errors[:15], log[-1200:]]
        return "\n".join(out)
