"""`make demo`'s command: serves the sample web, crawls it, prints a one-screen summary."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.crawling import REPO
from tests.recordschema import assert_valid


def test_demo_crawls_the_sample_web_and_summarises_it(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("NEWSBOT_SAMPLE_WEB", None)
    proc = subprocess.run(
        [sys.executable, "-m", "newsbot", "demo"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    out = proc.stdout
    assert len(out.splitlines()) <= 40  # one screen
    fetched = int(re.search(r"pages fetched\s+(\d+)", out).group(1))
    written = int(re.search(r"articles written\s+(\d+)", out).group(1))
    drops = int(re.search(r"drops\s+(\d+)", out).group(1))
    assert written >= 79
    assert fetched > written + drops
    for reason in ("http_404", "language:en", "language:hi", "duplicate_url"):
        assert re.search(rf"^\s+{re.escape(reason)}\s+\d+$", out, re.M), reason
    for outlet in ("prothomalo", "songkolon", "anandabazar"):
        assert re.search(rf"^\s+{outlet}\s+\d+$", out, re.M), outlet
    feed = tmp_path / re.search(r"feed\s+(\S+\.jsonl)$", out, re.M).group(1)
    lines = feed.read_text(encoding="utf-8").splitlines()
    assert len(lines) == written
    assert all(json.loads(line)["language"] == "bn" for line in lines)
    assert_valid([json.loads(line) for line in lines], "in the demo feed")
    report = tmp_path / re.search(r"report\s+(\S+\.html)$", out, re.M).group(1)
    html = report.read_text(encoding="utf-8")
    assert "newsbot run report: bn_world" in html and "<b>songkolon</b>" in html
    # A second demo shows a full crawl again: demo state is reset each time.
    again = subprocess.run(
        [sys.executable, "-m", "newsbot", "demo"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert again.returncode == 0
    assert int(re.search(r"articles written\s+(\d+)", again.stdout).group(1)) == written
