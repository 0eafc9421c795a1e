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
    for reason in ("http_404", "language:en", "language:hi", "language:as", "language:bn-Latn",
                   "duplicate_url"):
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


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".newsbot/demo" not in p.as_posix()
    }


def test_demo_in_a_production_checkout_touches_no_production_file(tmp_path: Path) -> None:
    """Production feeds, spool (an entry still being written), state, templates and summary,
    and S3 settings in the environment: the demo leaves every file as it was and exits 0."""
    feed = tmp_path / "feeds" / "bn_world" / "2026-11-29" / "20261129T060000Z.jsonl"
    feed.parent.mkdir(parents=True)
    feed.write_text('{"url": "https://www.prothomalo.com/world/asia/x", "revision": 0}\n',
                    encoding="utf-8")
    dot = tmp_path / ".newsbot"
    entry = dot / "spool" / "20261207T000000Z-live"
    entry.mkdir(parents=True)
    (entry / "data.jsonl.part").write_text('{"url": "https://a/1"}\n', encoding="utf-8")
    (entry / "manifest.json").write_text('{"state": "writing"}', encoding="utf-8")
    (dot / "state.sqlite3").write_bytes(b"SQLite format 3\x00production state")
    (dot / "templates.json").write_text('{"prothomalo": {}}', encoding="utf-8")
    (dot / "last-run.json").write_text('{"exit_code": 0}', encoding="utf-8")
    before = _snapshot(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(REPO), NEWSBOT_S3_BUCKET="production-bucket",
               NEWSBOT_S3_PREFIX="corpus", AWS_ACCESS_KEY_ID="AKIAPRODUCTION",
               AWS_SECRET_ACCESS_KEY="production-secret", AWS_ENDPOINT_URL="http://127.0.0.1:9",
               NEWSBOT_SPOOL_DIR=str(dot / "spool"), NEWSBOT_STATE_PATH=str(dot / "state.sqlite3"))
    env.pop("NEWSBOT_SAMPLE_WEB", None)
    proc = subprocess.run(
        [sys.executable, "-m", "newsbot", "demo", "--outlets", "prothomalo,songkolon"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert _snapshot(tmp_path) == before
    written = re.search(r"feed\s+(\S+\.jsonl)$", proc.stdout, re.M).group(1)
    assert written.startswith(".newsbot/demo/")
    log = (tmp_path / ".newsbot" / "demo" / "crawl.log").read_text(encoding="utf-8")
    assert "production-bucket" not in log and "production-secret" not in log
