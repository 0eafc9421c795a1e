"""`make demo-cluster`'s command: Redis and PostgreSQL under the working directory, two workers
over the sample web, the summary per worker and merged; every article once."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.crawling import REPO, bengali_article_urls

OUTLETS = "prothomalo,ittefaq,jugantor"


def test_demo_cluster_runs_two_workers_and_merges_their_summaries() -> None:
    # a folder the unprivileged PostgreSQL user can reach (pytest's own is private to root)
    workdir = Path(tempfile.mkdtemp(prefix="newsbot-demo-cluster-"))
    workdir.chmod(0o755)
    try:
        env = dict(os.environ, PYTHONPATH=str(REPO))
        for name in ("NEWSBOT_SAMPLE_WEB", "NEWSBOT_REDIS_URL", "NEWSBOT_STATE_URL"):
            env.pop(name, None)
        proc = subprocess.run(
            [sys.executable, "-m", "newsbot", "demo-cluster", "--outlets", OUTLETS],
            cwd=workdir, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        out = proc.stdout
        headers = re.findall(r"^newsbot demo-cluster.*$", out, re.M)
        assert headers == [
            "newsbot demo-cluster, worker-1: its share of run 'demo'",
            "newsbot demo-cluster, worker-2: its share of run 'demo'",
            "newsbot demo-cluster: run 'demo', 2 workers merged",
        ]
        written = [int(n) for n in re.findall(r"articles written\s+(\d+)", out)]
        wanted = bengali_article_urls(*OUTLETS.split(","))
        assert written[0] + written[1] == written[2] == len(wanted)
        delivered = []
        for feed in (workdir / ".newsbot" / "demo-cluster").rglob("feeds/**/*.jsonl"):
            if not feed.name.endswith(".rejects.jsonl"):
                delivered += [json.loads(x)["canonical_url"] for x in feed.read_text().splitlines()]
        assert sorted(delivered) == sorted(wanted)
        assert sorted(p.name for p in workdir.iterdir()) == [".newsbot"]  # nothing elsewhere
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
