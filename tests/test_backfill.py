"""``python -m newsbot backfill``: CC-NEWS-style WARC files built from the sample web (with
foreign hosts, a corrupt gzip member, a revisit, an image and a duplicate capture), read from a
monthly listing over HTTP on 127.0.0.1, from the local S3 server, resumed from checkpoints, and
sharing the incremental state with live crawls."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsbot import clock
from newsbot.archive.records import iter_entries
from newsbot.exitcodes import ExitCode
from newsbot.sampleweb import SampleWebServer, expected
from newsbot.state import SQLiteStateStore
from tests import warcs
from tests.crawling import crawl_env, run_crawl
from tests.s3server import MotoServer, moto  # noqa: F401  (fixture)

OUTLETS = ("prothomalo", "ittefaq")
FOREIGN_EN = "https://www.example-news.com/world/story-1"
FOREIGN_BN = "https://bangla.example.net/news/42"


@dataclass
class Archive:
    """Two CC-NEWS files of one month, their listing, and what they should yield."""

    root: Path
    month: str
    files: list[Path]
    listing: str
    first: dict[str, expected.ExpectedArticle]  # canonical URL -> article, file 1
    second: dict[str, expected.ExpectedArticle]
    dates: tuple[datetime, datetime]

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@pytest.fixture(scope="module")
def archive(web: SampleWebServer, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    root = tmp_path_factory.mktemp("ccnews")
    start = month_start(month_start(clock.now()) - timedelta(days=40))
    dates = (start + timedelta(days=2, hours=1), start + timedelta(days=12, hours=1))
    articles = [a for a in expected.expected_articles()
                if a.lang == "bn" and a.outlet_id in OUTLETS]
    half = len(articles) // 2
    groups = (articles[:half], articles[half:])
    english = next(a for a in expected.expected_articles() if a.lang == "en")
    files = []
    for n, (group, when) in enumerate(zip(groups, dates, strict=True), start=1):
        members = []
        for article in group:
            status, headers, body = warcs.fetch(web.base_url, article.url)
            assert status == 200
            members += [warcs.request(article.url, date=when),
                        warcs.response(article.url, body, date=when, headers=headers)]
        # other hosts, odd records, a duplicate capture
        _, headers, body = warcs.fetch(web.base_url, english.url)
        members.append(warcs.response(FOREIGN_EN, body, date=when, headers=headers))
        members.append(warcs.revisit(group[0].url, date=when))
        members.append(warcs.response(f"https://www.{OUTLETS[0]}.com/logo-{n}.png",
                                      b"\x89PNG\r\n\x1a\n" + bytes(500), date=when,
                                      headers=[("Content-Type", "image/png")]))
        _, headers, body = warcs.fetch(web.base_url, group[1].url)
        members.append(warcs.response(group[1].url, body, date=when, headers=headers))
        members.insert(3, warcs.corrupt(warcs.response(group[2].url, body, date=when)))
        name = f"CC-NEWS-{when:%Y%m%d%H%M%S}-{n:05d}.warc.gz"
        files.append(warcs.write(root / "crawl-data" / "CC-NEWS" / f"{when:%Y/%m}" / name,
                                 members))
    # a Bengali page on a host of no registered outlet, at the end of the second file
    other = next(a for a in expected.expected_articles()
                 if a.lang == "bn" and a.outlet_id not in OUTLETS)
    _, headers, body = warcs.fetch(web.base_url, other.url)
    with open(files[1], "ab") as fh:
        fh.write(warcs.response(FOREIGN_BN, body, date=dates[1], headers=headers))
    month = f"{dates[0]:%Y-%m}"
    listing = root / "crawl-data" / "CC-NEWS" / f"{dates[0]:%Y/%m}" / "warc.paths.gz"
    listing.write_bytes(gzip.compress(
        "".join(f.relative_to(root).as_posix() + "\n" for f in files).encode()))
    return Archive(root, month, files, listing.relative_to(root).as_posix(),
                   {a.canonical_url: a for a in groups[0]},
                   {a.canonical_url: a for a in groups[1]}, dates)


@pytest.fixture(scope="module")
def served(archive: Archive) -> Any:
    server = warcs.FileServer(archive.root)
    yield server
    server.close()


@dataclass
class Run:
    proc: subprocess.CompletedProcess[str]
    workdir: Path
    summary: dict[str, Any]
    records: list[dict[str, Any]]
    rejects: list[dict[str, Any]]


def backfill(workdir: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    workdir.mkdir(parents=True, exist_ok=True)
    before = set(workdir.rglob("*.jsonl"))
    proc = subprocess.run([sys.executable, "-m", "newsbot", "backfill", *args], cwd=workdir,
                          env=env or crawl_env("http://127.0.0.1:9"), capture_output=True,
                          text=True, timeout=300)
    new = sorted(set(workdir.rglob("*.jsonl")) - before)
    feeds = [p for p in new if not p.name.endswith(".rejects.jsonl")]
    rejects = [p for p in new if p.name.endswith(".rejects.jsonl")]
    summary_path = workdir / ".newsbot" / "last-run.json"
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    lines = lambda paths: [json.loads(x) for p in paths for x in p.read_text().splitlines()]  # noqa: E731
    return Run(proc, workdir, summary, lines(feeds), lines(rejects))


def test_a_month_over_http(tmp_path: Path, archive: Archive, served: Any) -> None:
    run = backfill(tmp_path, "--month", archive.month, "--base", served.base_url)
    assert run.proc.returncode == ExitCode.OK, run.proc.stderr[-3000:]
    wanted = {**archive.first, **archive.second}
    by_url = {r["canonical_url"]: r for r in run.records}
    assert set(by_url) == set(wanted) and len(run.records) == len(wanted)
    for url, article in wanted.items():
        assert by_url[url]["title"] == article.title
        assert by_url[url]["outlet_id"] == article.outlet_id
        assert by_url[url]["revision"] == 0
    first_day = {datetime.fromisoformat(by_url[u]["fetched_at"]) for u in archive.first}
    assert first_day == {archive.dates[0]}
    assert all(r["url"] not in (FOREIGN_EN, FOREIGN_BN) for r in run.records)
    assert run.summary["delivery"]["feeds"][0]["uri"].startswith("feeds/backfill/")
    drops = run.summary["drops"]
    assert drops["foreign_host"] == 3  # the English page twice, the Bengali one once
    assert drops["warc_corrupt"] == 2 and drops["revisit"] == 2 and drops["not_text"] == 2
    assert drops["duplicate_capture"] == 2
    reasons = {r["reason"] for r in run.rejects}
    assert {"warc_corrupt", "revisit", "not_text", "duplicate_capture"} <= reasons
    assert "foreign_host" not in reasons  # counted per file, not a line each
    # read again: both files are done, nothing is delivered twice
    again = backfill(tmp_path, "--month", archive.month, "--base", served.base_url)
    assert again.proc.returncode == ExitCode.OK, again.proc.stderr[-3000:]
    assert again.records == []
    assert "read by an earlier backfill" in again.proc.stderr


def test_from_to_keeps_captures_of_those_days(
    tmp_path: Path, archive: Archive, served: Any
) -> None:
    day = f"{archive.dates[1]:%Y-%m-%d}"
    run = backfill(tmp_path, "--month", archive.month, "--base", served.base_url,
                   "--from", day, "--to", day)
    assert run.proc.returncode == ExitCode.OK, run.proc.stderr[-3000:]
    assert {r["canonical_url"] for r in run.records} == set(archive.second)
    # every response of the first file of a registered host: its articles, the image, the
    # duplicate (the other site's page is passed over before its date is read)
    assert run.summary["drops"]["out_of_range"] == len(archive.first) + 2
    assert run.summary["drops"]["foreign_host"] == 3  # both files: two English, one Bengali


def test_all_bengali_keeps_bengali_pages_of_other_hosts(
    tmp_path: Path, archive: Archive, served: Any
) -> None:
    url = served.base_url + archive.rel(archive.files[1])
    run = backfill(tmp_path, "--warc", url, "--all-bengali")
    assert run.proc.returncode == ExitCode.OK, run.proc.stderr[-3000:]
    (foreign,) = [r for r in run.records if r["url"] == FOREIGN_BN]
    assert foreign["outlet_id"] is None and foreign["language"] == "bn"
    assert all(r["url"] != FOREIGN_EN for r in run.records)
    assert run.summary["drops"]["foreign_host"] == 1  # the English page


def test_anonymous_s3(tmp_path: Path, archive: Archive, moto: MotoServer) -> None:  # noqa: F811
    bucket = moto.new_bucket()
    key = archive.rel(archive.files[0])
    client = moto.client()
    client.put_object(Bucket=bucket, Key=key, Body=archive.files[0].read_bytes())
    # readable by anyone, as Common Crawl's bucket is
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    env = {k: v for k, v in crawl_env("http://127.0.0.1:9").items() if not k.startswith("AWS_")}
    run = backfill(tmp_path, "--warc", f"s3://{bucket}/{key}", "--s3-endpoint", moto.endpoint,
                   env=env)
    assert run.proc.returncode == ExitCode.OK, run.proc.stderr[-3000:]
    assert {r["canonical_url"] for r in run.records} == set(archive.first)


def test_resumes_at_the_checkpoint(tmp_path: Path, archive: Archive, served: Any) -> None:
    uris = [served.base_url + archive.rel(f) for f in archive.files]
    run = backfill(tmp_path, "--warc", *uris, "--max-files", "1")
    assert run.proc.returncode == ExitCode.OK, run.proc.stderr[-3000:]
    assert {r["canonical_url"] for r in run.records} == set(archive.first)
    store = SQLiteStateStore(tmp_path / ".newsbot" / "state.sqlite3")
    try:
        assert store.get_checkpoint(f"warc:{uris[0]}") == {
            "done": True, "offset": archive.files[0].stat().st_size}
        assert store.get_checkpoint(f"warc:{uris[1]}") is None
        # pretend an earlier run stopped in the middle of the second file
        with open(archive.files[1], "rb") as fh:
            entries = [e for e in iter_entries(fh) if e.kind == "capture"]
        middle = entries[len(entries) // 2]
        store.set_checkpoint(f"warc:{uris[1]}", {"offset": middle.offset, "done": False})
    finally:
        store.close()
    rest = backfill(tmp_path, "--warc", *uris)
    assert rest.proc.returncode == ExitCode.OK, rest.proc.stderr[-3000:]
    after = {e.capture.url for e in entries[len(entries) // 2:]}
    got = {r["url"] for r in rest.records}
    assert got and got <= after
    assert not got & {a.url for a in archive.second.values()} - after
    assert f"Resuming {uris[1]} at byte {middle.offset}" in rest.proc.stderr


def test_an_unreadable_file_is_an_error_and_not_marked_done(
    tmp_path: Path, served: Any
) -> None:
    missing = served.base_url + "crawl-data/CC-NEWS/nope.warc.gz"
    run = backfill(tmp_path, "--warc", missing)
    assert run.proc.returncode == ExitCode.SPIDER_ERRORS, run.proc.stderr[-3000:]
    assert "Cannot read" in run.proc.stderr
    store = SQLiteStateStore(tmp_path / ".newsbot" / "state.sqlite3")
    try:
        assert not (store.get_checkpoint(f"warc:{missing}") or {}).get("done")
    finally:
        store.close()


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    for args in ([], ["--month", "2024-13"], ["--warc", "x.warc.gz", "--from", "yesterday"]):
        run = backfill(tmp_path, *args)
        assert run.proc.returncode == ExitCode.USAGE, args


def _modified(body: bytes, article: expected.ExpectedArticle) -> bytes:
    old = article.body[0].encode("utf-8")
    assert old in body
    return body.replace(old, "এই অনুচ্ছেদটি পরে বদলানো হয়েছে, নতুন তথ্য যোগ করা হয়েছে।".encode())


def test_state_is_shared_with_live_crawls(
    tmp_path: Path, web: SampleWebServer
) -> None:
    live_at = clock.now() - timedelta(days=10)
    env = crawl_env(web.base_url, NEWSBOT_NOW=live_at.isoformat())
    live = run_crawl(tmp_path, web.base_url, outlets=OUTLETS[0], env=env)
    assert live.returncode == 0, live.log[-3000:]
    delivered = {r["canonical_url"] for r in live.items()}
    crawled = [a for a in expected.expected_articles()
               if a.outlet_id == OUTLETS[0] and a.canonical_url in delivered]
    assert len(crawled) >= 4
    old_changed, old_same, new_changed, new_same = crawled[:4]
    not_crawled = next(a for a in expected.expected_articles()
                       if a.outlet_id == OUTLETS[1] and a.lang == "bn")
    older, newer = live_at - timedelta(days=5), live_at + timedelta(days=5)
    members = []
    for article, when, change in ((old_changed, older, True), (old_same, older, False),
                                  (new_changed, newer, True), (new_same, newer, False),
                                  (not_crawled, older, False)):
        _, headers, body = warcs.fetch(web.base_url, article.url)
        members.append(warcs.response(article.url, _modified(body, article) if change else body,
                                      date=when, headers=headers))
    path = warcs.write(tmp_path / "archive" / "old.warc.gz", members)
    run = backfill(tmp_path, "--warc", str(path))
    assert run.proc.returncode == ExitCode.OK, run.proc.stderr[-3000:]
    by_url = {r["canonical_url"]: r for r in run.records}
    assert set(by_url) == {new_changed.canonical_url, not_crawled.canonical_url}
    assert by_url[new_changed.canonical_url]["revision"] == 1
    assert by_url[not_crawled.canonical_url]["revision"] == 0
    drops = run.summary["drops"]
    assert drops["older_capture"] == 1 and drops["unchanged"] == 2
    (older_line,) = [r for r in run.rejects if r["reason"] == "older_capture"]
    assert older_line["url"] == old_changed.url


def big_archive(tmp_path: Path, web: SampleWebServer) -> tuple[Path, set[str]]:
    """A WARC long enough to stop a backfill in the middle of it, and its canonical URLs."""
    when = clock.now() - timedelta(days=30)
    members, wanted = [], set()
    pages = [(a, *warcs.fetch(web.base_url, a.url)) for a in expected.expected_articles()
             if a.lang == "bn" and a.outlet_id in OUTLETS]
    for n in range(8):  # each round under its own canonical URLs
        for article, _, headers, body in pages:
            canonical = f"{article.canonical_url}-r{n}"
            body = body.replace(article.canonical_url.encode(), canonical.encode())
            members.append(warcs.response(f"{article.url}?r={n}", body, date=when,
                                          headers=headers))
            wanted.add(canonical)
    return warcs.write(tmp_path / "big.warc.gz", members), wanted


def start_and_stop(tmp_path: Path, path: Path, sig: int) -> int:
    """Start a backfill of ``path``; send ``sig`` once its feed holds some articles."""
    import os
    import time as _time

    spool = tmp_path / ".newsbot" / "spool"
    with open(tmp_path / "first.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "newsbot", "backfill", "--warc", str(path)],
                                cwd=tmp_path, env=crawl_env("http://127.0.0.1:9"), stdout=log,
                                stderr=log)
    deadline = _time.monotonic() + 120
    while _time.monotonic() < deadline and proc.poll() is None:
        data = list(spool.glob("*.data")) if spool.is_dir() else []
        if data and max(p.stat().st_size for p in data) > 50_000:
            break
        _time.sleep(0.02)
    assert proc.poll() is None, "the backfill ended before it could be stopped"
    os.kill(proc.pid, sig)
    return proc.wait(timeout=120)


def delivered_urls(tmp_path: Path) -> list[str]:
    return [json.loads(x)["canonical_url"]
            for p in (tmp_path / "feeds").rglob("*.jsonl")
            if not p.name.endswith(".rejects.jsonl") for x in p.read_text().splitlines()]


def test_a_killed_backfill_loses_nothing_and_delivers_nothing_twice(
    tmp_path: Path, web: SampleWebServer
) -> None:
    import signal

    path, wanted = big_archive(tmp_path, web)
    start_and_stop(tmp_path, path, signal.SIGKILL)
    assert list(tmp_path.glob("feeds/**/*.jsonl")) == []  # nothing of it was delivered
    run = backfill(tmp_path, "--warc", str(path))
    assert run.proc.returncode == ExitCode.OK, run.proc.stderr[-3000:]
    assert "Discarded the unfinished feed" in run.proc.stderr
    assert sorted(delivered_urls(tmp_path)) == sorted(wanted)  # every one, once


def test_a_stopped_backfill_resumes_at_its_offset(tmp_path: Path, web: SampleWebServer) -> None:
    import signal

    path, wanted = big_archive(tmp_path, web)
    code = start_and_stop(tmp_path, path, signal.SIGTERM)
    assert code == ExitCode.INTERRUPTED, (tmp_path / "first.log").read_text()[-3000:]
    first = delivered_urls(tmp_path)
    assert 0 < len(first) < len(wanted)
    store = SQLiteStateStore(tmp_path / ".newsbot" / "state.sqlite3")
    try:
        checkpoint = store.get_checkpoint(f"warc:{path}")
    finally:
        store.close()
    assert checkpoint is not None and not checkpoint["done"]
    assert 0 < checkpoint["offset"] < path.stat().st_size
    run = backfill(tmp_path, "--warc", str(path))
    assert run.proc.returncode == ExitCode.OK, run.proc.stderr[-3000:]
    assert f"Resuming {path} at byte {checkpoint['offset']}" in run.proc.stderr
    assert run.summary["items"]["unchanged"] == 0  # nothing read twice
    assert sorted(delivered_urls(tmp_path)) == sorted(wanted)


def test_a_private_object_read_anonymously_is_an_error_that_says_so(
    tmp_path: Path, archive: Archive, moto: MotoServer  # noqa: F811
) -> None:
    bucket = moto.new_bucket()  # not public
    key = archive.rel(archive.files[0])
    moto.client().put_object(Bucket=bucket, Key=key, Body=archive.files[0].read_bytes())
    env = {k: v for k, v in crawl_env("http://127.0.0.1:9").items() if not k.startswith("AWS_")}
    run = backfill(tmp_path, "--warc", f"s3://{bucket}/{key}", "--s3-endpoint", moto.endpoint,
                   env=env)
    assert run.proc.returncode == ExitCode.SPIDER_ERRORS
    assert "refused an anonymous read" in run.proc.stderr
    assert run.records == []
