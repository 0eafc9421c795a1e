"""Names of a scaled-out run: run id, worker id, claim owner, and the Redis keys of the run.

=============================== ===============================================================
setting / env variable          meaning
=============================== ===============================================================
``NEWSBOT_REDIS_URL``           Redis of the shared crawl; set = this crawl is a worker
``NEWSBOT_RUN_ID``              the run the worker joins (default: the start of the current
                                ``NEWSBOT_RUN_SLOT_MINUTES`` slot, e.g. ``20261207T2030Z``:
                                workers started by the same timer tick join the same run)
``NEWSBOT_RUN_SLOT_MINUTES``    30
``NEWSBOT_WORKER_ID``           this worker's name (default: host name and a hash of the
                                working directory); appears in S3 keys and claims
``NEWSBOT_CLUSTER_IDLE_CLOSE``  seconds the run's queue must stay empty before a worker closes
``NEWSBOT_CLUSTER_KEY_TTL``     seconds a run's Redis keys live after the last heartbeat
=============================== ===============================================================
"""

from __future__ import annotations

import hashlib
import re
import secrets
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from newsbot import clock, conf
from newsbot.services import REDIS_URL_SETTING, setting_or_env

KEY_ROOT = "newsbot"
#: Marks this process in claim owners (a worker restarted under the same name is another owner).
PROCESS_TOKEN = secrets.token_hex(4)
_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def run_slot(moment: datetime, minutes: int) -> str:
    """``20261207T2030Z``: the start of the ``minutes``-long slot holding ``moment`` (UTC)."""
    moment = moment.astimezone(UTC).replace(second=0, microsecond=0)
    minutes = max(1, minutes)
    since_midnight = moment.hour * 60 + moment.minute
    start = moment.replace(hour=0, minute=0) + timedelta(
        minutes=since_midnight - since_midnight % minutes
    )
    return start.strftime("%Y%m%dT%H%MZ")


def default_worker_id() -> str:
    """The host name and a short hash of the working directory (stable across restarts)."""
    digest = hashlib.sha1(str(Path.cwd().resolve()).encode()).hexdigest()[:6]
    return f"{socket.gethostname()}-{digest}"


def safe_name(value: str) -> str:
    """``value`` usable in Redis keys, S3 keys and file names."""
    return _SAFE.sub("-", value).strip("-") or "x"


@dataclass(frozen=True)
class ClusterConfig:
    """Who this worker is and which run it belongs to."""

    redis_url: str
    run_id: str
    worker_id: str
    idle_close: float = 30.0
    key_ttl: int = 6 * 3600

    @classmethod
    def from_settings(cls, settings: Any) -> ClusterConfig:
        """The names the settings (or the environment) give."""
        run_id = setting_or_env(settings, "NEWSBOT_RUN_ID")
        if not run_id:
            run_id = run_slot(clock.now(), int(conf.getint(settings, "NEWSBOT_RUN_SLOT_MINUTES")))
        worker = setting_or_env(settings, "NEWSBOT_WORKER_ID") or default_worker_id()
        return cls(
            redis_url=setting_or_env(settings, REDIS_URL_SETTING),
            run_id=safe_name(run_id),
            worker_id=safe_name(worker),
            idle_close=conf.getfloat(settings, "NEWSBOT_CLUSTER_IDLE_CLOSE"),
            key_ttl=conf.getint(settings, "NEWSBOT_CLUSTER_KEY_TTL"),
        )

    @property
    def enabled(self) -> bool:
        """Whether this crawl is a worker of a shared run."""
        return bool(self.redis_url)

    @property
    def owner(self) -> str:
        """The claim owner: run, worker and this process."""
        return f"{self.run_id}/{self.worker_id}/{PROCESS_TOKEN}"

    def key(self, spider: str, name: str) -> str:
        """A Redis key of this run: ``newsbot:<spider>:<run>:<name>``."""
        return f"{KEY_ROOT}:{spider}:{self.run_id}:{name}"

    def run_keys(self, spider: str) -> list[str]:
        """The run's long-lived keys (they expire ``key_ttl`` seconds after the last heartbeat;
        the ``activity`` mark expires ``idle_close`` seconds after the last push or pop)."""
        names = ("requests", "dupefilter", "seeded", "workers", "participants")
        return [self.key(spider, n) for n in names]
