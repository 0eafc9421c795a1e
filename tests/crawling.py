"""Running ``scrapy crawl bn_world`` against the bundled sample web, as a user would.

Each crawl is a subprocess (Scrapy's reactor cannot restart in one process) whose working
directory is a fresh folder, so feeds, spool and state land there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsbot.sampleweb import expected
from tests.recordschema import assert_valid

REPO = Path(__file__).resolve().parent.parent

# The sample web's outlets (the registry's listed outlets plus the sample aggregator).
SAMPLE_OUTLETS = (
    "prothomalo,kalerkantho,ittefaq,jugantor,bbcbangla,anandabazar,"
    "bonikbarta,manabzamin,nayadiganta,bhorerkagoj,songkolon"
)


@dataclass
class CrawlResult:
    """What one crawl left behind."""

    returncode: int
    workdir: Path
    log: str
    feeds: list[Path] = field(default_factory=list)
    rejects: list[Path] = field(default_factory=list)

    def items(self) -> list[dict[str, Any]]:
        """Every record of every main feed the run wrote, in file order (each checked against
        the published record schema)."""
        records = [json.loads(line) for path in self.feeds for line in _lines(path)]
        assert_valid(records, f"in the feeds of {self.workdir}")
        return records

    def rejected(self) -> list[dict[str, Any]]:
        """Every line of the rejects feeds."""
        return [json.loads(line) for path in self.rejects for line in _lines(path)]


def bengali_article_urls(*outlets: str) -> set[str]:
    """Canonical URLs of the sample web's Bengali articles of these outlets."""
    return {
        a.canonical_url
        for a in expected.expected_articles()
        if a.lang == "bn" and a.outlet_id in outlets
    }


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def written_feeds(workdir: Path, before: set[Path]) -> list[Path]:
    """The JSON Lines files under ``workdir`` that are not in ``before``, main feeds checked
    against the record schema, so every crawl's records are validated whether or not its test
    reads them."""
    written = sorted(set(workdir.rglob("*.jsonl")) - before)
    for path in written:
        if not path.name.endswith(".rejects.jsonl"):
            assert_valid((json.loads(line) for line in _lines(path)), f"in {path}")
    return written


def crawl_env(base_url: str, **extra: str) -> dict[str, str]:
    """Environment for a crawl routed to the sample web at ``base_url``."""
    env = dict(os.environ)
    env.update(
        NEWSBOT_SAMPLE_WEB=base_url,
        SCRAPY_SETTINGS_MODULE="newsbot.sampleweb.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
    )
    env.update(extra)
    return env


def run_crawl(
    workdir: Path,
    base_url: str,
    *args: str,
    outlets: str = SAMPLE_OUTLETS,
    env: dict[str, str] | None = None,
    timeout: float = 240,
) -> CrawlResult:
    """Run ``scrapy crawl bn_world`` in ``workdir`` against the sample web; wait for it."""
    workdir.mkdir(parents=True, exist_ok=True)
    before = set(workdir.rglob("*.jsonl"))
    cmd = [sys.executable, "-m", "scrapy", "crawl", "bn_world", "-a", f"outlets={outlets}"]
    proc = subprocess.run(
        [*cmd, *args],
        cwd=workdir,
        env=env or crawl_env(base_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    written = written_feeds(workdir, before)
    return CrawlResult(
        returncode=proc.returncode,
        workdir=workdir,
        log=proc.stderr,
        feeds=[p for p in written if not p.name.endswith(".rejects.jsonl")],
        rejects=[p for p in written if p.name.endswith(".rejects.jsonl")],
    )
