"""Every error is visible: a bug in extraction code is an ``extract_failed`` drop logged at
ERROR with its cause and exit code 4; a profile that cannot be read or a selector that does not
compile stops the run at start-up with exit code 7, naming the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newsbot.exitcodes import ExitCode
from newsbot.sampleweb import expected
from tests.s3server import env_for, local_feed_records, run, why

OUTLET = "prothomalo"


def victim_url() -> str:
    return next(a.url for a in expected.expected_articles()
                if a.outlet_id == OUTLET and a.lang == "bn")


class BrokenMetadataReader:
    """Test spider middleware (enabled only to install the fault): reading the metadata of one
    article page raises, as a bug in newsbot's own code would."""

    def __init__(self) -> None:
        import newsbot.extract.metadata as metadata

        original = metadata._fill
        victim = victim_url()

        def fill(meta: Any, sel: Any, url: str) -> None:
            if url == victim:
                raise KeyError("simulated bug in metadata reading")
            original(meta, sel, url)

        metadata._fill = fill

    @classmethod
    def from_crawler(cls, crawler: Any) -> BrokenMetadataReader:
        return cls()

    async def process_spider_output_async(self, response: Any, result: Any) -> Any:
        async for item in result:
            yield item


def last_run(workdir: Path) -> dict[str, Any]:
    return json.loads((workdir / ".newsbot" / "last-run.json").read_text(encoding="utf-8"))


def test_a_bug_in_extraction_is_an_error_and_a_counted_drop(tmp_path: Path, web: Any) -> None:
    mw = json.dumps({f"{__name__}.BrokenMetadataReader": 1})
    proc = run(tmp_path, env_for(web.base_url), OUTLET, "-s", f"SPIDER_MIDDLEWARES={mw}")
    assert proc.returncode == ExitCode.SPIDER_ERRORS, why(proc)
    summary = last_run(tmp_path)
    assert summary["drops"].get("extract_failed") == 1
    errors = [line for line in proc.stderr.splitlines() if " ERROR: " in line]
    assert any(victim_url() in line for line in errors), errors
    assert "simulated bug in metadata reading" in proc.stderr
    rejected = [json.loads(x) for p in (tmp_path / "feeds").rglob("*.rejects.jsonl")
                for x in p.read_text(encoding="utf-8").splitlines() if x]
    assert [r["reason"] for r in rejected if r["url"] == victim_url()] == ["extract_failed"]
    # the other articles were delivered
    urls = {r["url"] for r in local_feed_records(tmp_path)}
    assert urls and victim_url() not in urls


def crawl_with_profile(tmp_path: Path, web: Any, version: str) -> Any:
    """A crawl of the outlet with a profile folder holding one profile file for it."""
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "prothomalo.toml").write_text(
        f'outlet_id = "prothomalo"\n\n[[versions]]\n{version}', encoding="utf-8"
    )
    work = tmp_path / "work"
    proc = run(work, env_for(web.base_url), OUTLET, "-s", f"NEWSBOT_PROFILES_DIR={profiles}")
    return proc, work


def test_a_profile_that_cannot_be_read_stops_the_run(tmp_path: Path, web: Any) -> None:
    proc, work = crawl_with_profile(
        tmp_path, web,
        'version = "2"\ndetect = "article"\ntitle = ["h1::text"]\n'
        'body = ["//div[@class=\'story\'"]\n',
    )
    assert proc.returncode == ExitCode.CONFIG_ERROR, why(proc)
    assert "prothomalo.toml, line 7" in proc.stderr
    assert not list(work.rglob("*.jsonl"))  # nothing crawled, nothing written


def test_a_profile_folder_replaces_the_bundled_profile(tmp_path: Path, web: Any) -> None:
    # A version that recognises the outlet's pages: one that recognised none would trip the
    # canary (profile_miss), as a redesign does.
    proc, work = crawl_with_profile(
        tmp_path, web, 'version = "9"\ndetect = "div.story-content"\ntitle = ["h1::text"]\n'
    )
    assert proc.returncode == ExitCode.OK, why(proc)
    assert local_feed_records(work)
