"""Every run is bounded: sitemap depth, URLs per sitemap and per outlet, run time, the systemd
unit's limit, and a lock held by a frozen run is reported with its age."""

from __future__ import annotations

import configparser
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from scrapy.http import Request, TextResponse
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from newsbot import clock
from newsbot.exitcodes import ExitCode
from newsbot.spiders.bn_world import BnWorldSpider
from tests.s3server import REPO, deliver, env_for, run, why

OUTLET = "prothomalo"
HOST = "https://www.prothomalo.com"


def last_run(workdir: Path) -> dict[str, Any]:
    return json.loads((workdir / ".newsbot" / "last-run.json").read_text(encoding="utf-8"))


def spider(**settings: Any) -> BnWorldSpider:
    crawler = get_crawler(BnWorldSpider, settings)
    return BnWorldSpider.from_crawler(crawler, outlets=OUTLET)


def xml(url: str, body: str, **meta: Any) -> TextResponse:
    request = Request(url, meta={"newsbot_kind": "sitemap", **meta})
    return TextResponse(url, body=body.encode("utf-8"), encoding="utf-8", request=request,
                        headers={"Content-Type": "application/xml"})


def sitemap_index(n: int) -> str:
    locs = "".join(f"<sitemap><loc>{HOST}/sitemap/part-{i}.xml</loc></sitemap>" for i in range(n))
    return f'<?xml version="1.0"?><sitemapindex>{locs}</sitemapindex>'


def urlset(n: int, start: int = 0) -> str:
    locs = "".join(
        f"<url><loc>{HOST}/world/asia/story-{i:06d}</loc></url>" for i in range(start, start + n)
    )
    return f'<?xml version="1.0"?><urlset>{locs}</urlset>'


def test_sitemap_index_depth_is_capped() -> None:
    s = spider(NEWSBOT_SITEMAP_MAX_DEPTH=2)
    first = list(s.parse(xml(f"{HOST}/sitemap.xml", sitemap_index(3))))
    # child sitemaps are requested one at a time; the others wait in the spider
    assert len(first) == 1 and first[0].meta["newsbot_sitemap_depth"] == 1
    assert [depth for _, depth in s._sitemaps] == [1, 1]
    second = list(s.parse(xml(first[0].url, sitemap_index(2), **first[0].meta)))
    # the first child was an index too: its children queue at depth 2, the next child goes out
    assert [r.meta["newsbot_sitemap_depth"] for r in second] == [1]
    assert [depth for _, depth in s._sitemaps] == [1, 2, 2]
    # an index nested deeper than the bound (a sitemap loop, say) is not followed
    assert list(s.parse(xml(f"{HOST}/sitemap/part-0.xml", sitemap_index(4),
                            newsbot_sitemap_depth=2))) == []
    assert [depth for _, depth in s._sitemaps] == [1, 2, 2]
    assert s.crawler.stats.get_value("newsbot/capped/sitemap_depth") == 4


def test_urls_per_sitemap_and_per_outlet_are_capped() -> None:
    s = spider(NEWSBOT_MAX_URLS_PER_SITEMAP=50, NEWSBOT_MAX_ARTICLES_PER_OUTLET=120)
    first = list(s.parse(xml(f"{HOST}/sitemap-1.xml", urlset(1000))))
    assert len(first) == 50
    assert s.crawler.stats.get_value("newsbot/capped/sitemap_urls") == 950
    requests = [r for i in range(1, 4)
                for r in s.parse(xml(f"{HOST}/sitemap-{i + 1}.xml", urlset(50, i * 1000)))]
    assert len(first) + len(requests) == 120
    assert s.crawler.stats.get_value("newsbot/capped/outlet_articles") == 200 - 120


def test_defaults_bound_every_run() -> None:
    settings = get_project_settings()
    for name in ("NEWSBOT_SITEMAP_MAX_DEPTH", "NEWSBOT_MAX_URLS_PER_SITEMAP",
                 "NEWSBOT_MAX_ARTICLES_PER_OUTLET", "CLOSESPIDER_TIMEOUT",
                 "NEWSBOT_LOCK_STALE_AFTER"):
        assert settings.getint(name) > 0, name
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.read(REPO / "deploy" / "newsbot.service")
    runtime = service["Service"]["RuntimeMaxSec"]
    assert runtime.endswith("min")
    minutes = int(runtime[:-3])
    # the crawl's own limit fires first (a clean close, exit 8), systemd's after it
    assert settings.getint("CLOSESPIDER_TIMEOUT") < minutes * 60
    assert minutes * 60 < settings.getint("NEWSBOT_LOCK_STALE_AFTER")


def test_run_time_limit_ends_the_run_cleanly(tmp_path: Path, web: Any) -> None:
    slow = ["-s", "CLOSESPIDER_TIMEOUT=3", "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", "DOWNLOAD_DELAY=0.5", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    proc = run(tmp_path, env_for(web.base_url), OUTLET, *slow)
    assert proc.returncode == ExitCode.INTERRUPTED, why(proc)
    summary = last_run(tmp_path)
    assert summary["finish_reason"] == "closespider_timeout"
    assert summary["exit_status"] == "interrupted"


def hold_lock(path: Path, since: str) -> subprocess.Popen[str]:
    """A process holding the run lock, as if it had started at ``since``."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import time; from newsbot.runlock import RunLock; "
         f"RunLock({str(path)!r}).acquire(); print('held', flush=True); time.sleep(120)"],
        cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, "NEWSBOT_NOW": since},
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_lock_of_a_hung_run_is_reported_with_its_age(tmp_path: Path, web: Any) -> None:
    lock = tmp_path / ".newsbot" / "run.lock"
    hung_since = (clock.now() - timedelta(hours=3, minutes=5)).isoformat()
    holder = hold_lock(lock, hung_since)
    try:
        proc = run(tmp_path, env_for(web.base_url), OUTLET)
        assert proc.returncode == ExitCode.LOCK_STALE, why(proc)
        assert f"pid {holder.pid}" in proc.stderr
        assert "for 3 h 05 min" in proc.stderr and "frozen or hung" in proc.stderr
        done = deliver(tmp_path, env_for(web.base_url))
        assert done.returncode == ExitCode.LOCK_STALE and "for 3 h 05 min" in done.stderr
    finally:
        holder.kill()
        holder.wait()
    fresh = hold_lock(lock, clock.now().isoformat())
    try:
        proc = run(tmp_path, env_for(web.base_url), OUTLET)
        assert proc.returncode == ExitCode.LOCK_HELD, why(proc)
        assert " s)" in proc.stderr and "frozen" not in proc.stderr
    finally:
        fresh.kill()
        fresh.wait()
