"""Cheap re-runs: the refetch schedule, conditional requests and the sample web's 304 answers.

Unit tests on the middleware and the store, and two crawls of the sample web in one working
directory: the second, later by the clock (``NEWSBOT_NOW``), refetches only the articles whose
refetch point passed in between, conditionally; one of them was edited and is delivered as a
revision, the other answers 304 and counts as unchanged."""

from __future__ import annotations

import copy
import http.client
import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response

from newsbot import clock
from newsbot.middlewares.refetch import FetchValidators, RefetchMiddleware, parse_schedule
from newsbot.pipelines.incremental import IncrementalPipeline
from newsbot.sampleweb import expected
from newsbot.sampleweb.model import load
from newsbot.sampleweb.server import serve
from newsbot.state import FeedRecord, SQLiteStateStore, parse_time
from tests.s3server import env_for, run, why

OUTLET = "prothomalo"
URL = "https://www.prothomalo.com/world/asia/abc123"
PUBLISHED = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStateStore:
    s = SQLiteStateStore(tmp_path / "state.sqlite3")
    yield s
    s.close()


def deliver(store: SQLiteStateStore, fp: str, when: datetime, etag: str | None = '"v1"') -> None:
    store.record_seen(URL, fingerprint=fp, outlet_id=OUTLET, published=PUBLISHED.isoformat(),
                      when=when)
    store.record_fetch(URL, when=when, fingerprint=fp, etag=etag,
                       last_modified="Sat, 28 Nov 2026 06:00:00 GMT")
    store.mark_delivered("e", [FeedRecord(URL, fp, 0)], target="t", when=when)


def article_request() -> Request:
    return Request(URL, meta={"newsbot_kind": "article"})


def test_schedule_fetches_at_each_refetch_point_once(store: SQLiteStateStore) -> None:
    mw = RefetchMiddleware(store, Stats(), window_hours=48, schedule_hours=(1, 6, 24, 48))
    deliver(store, "f1", PUBLISHED + timedelta(minutes=20))

    def at(**kw: float) -> datetime:
        return PUBLISHED + timedelta(**kw)

    assert mw.should_skip(article_request(), now=at(minutes=50)) is not None  # before 1 h
    assert mw.should_skip(article_request(), now=at(hours=1, minutes=5)) is None  # 1 h passed
    store.record_fetch(URL, when=at(hours=1, minutes=5))  # answered 304
    assert mw.should_skip(article_request(), now=at(hours=3)) is not None
    assert mw.should_skip(article_request(), now=at(hours=6)) is None
    store.record_fetch(URL, when=at(hours=7))
    # a run that missed the 24 h point still refetches once after it
    assert mw.should_skip(article_request(), now=at(hours=30)) is None
    store.record_fetch(URL, when=at(hours=30))
    assert mw.should_skip(article_request(), now=at(hours=40)) is not None
    assert mw.should_skip(article_request(), now=at(hours=49)) is not None  # outside the window
    # an empty schedule refetches on every run inside the window
    every = RefetchMiddleware(store, None, window_hours=48, schedule_hours=())
    assert every.should_skip(article_request(), now=at(hours=40)) is None
    assert parse_schedule("") == () and parse_schedule("6, 1") == (1.0, 6.0)
    assert parse_schedule([1, 6, 24, 48]) == (1.0, 6.0, 24.0, 48.0)


def test_due_refetch_is_conditional_and_304_counts(store: SQLiteStateStore) -> None:
    stats = Stats()
    mw = RefetchMiddleware(store, stats, window_hours=48, schedule_hours=())
    deliver(store, "f1", PUBLISHED)
    req = article_request()
    with clock.use(PUBLISHED + timedelta(hours=2)):
        assert mw.process_request(req) is None
        assert req.headers[b"If-None-Match"] == b'"v1"'
        assert req.headers[b"If-Modified-Since"] == b"Sat, 28 Nov 2026 06:00:00 GMT"
        assert 304 in req.meta["handle_httpstatus_list"]
        mw.process_response(req, Response(URL, status=304, request=req))
    assert store.lookup(URL).fetched_at == PUBLISHED + timedelta(hours=2)
    assert stats.values["newsbot/refetch/not_modified"] == 1
    assert stats.values[f"newsbot/refetch/not_modified/{OUTLET}"] == 1
    # turned off: a plain request
    plain = article_request()
    with clock.use(PUBLISHED + timedelta(hours=3)):
        RefetchMiddleware(store, None, 48, schedule_hours=(), conditional=False).process_request(
            plain
        )
    assert b"If-None-Match" not in plain.headers


def test_validators_of_undelivered_content_are_never_sent(store: SQLiteStateStore) -> None:
    deliver(store, "f1", PUBLISHED)
    # a later run fetched new content (f2) and was killed before delivering it
    store.record_seen(URL, fingerprint="f2", outlet_id=OUTLET, when=PUBLISHED + timedelta(hours=2))
    store.record_fetch(URL, when=PUBLISHED + timedelta(hours=2), fingerprint="f2", etag='"v2"')
    assert store.lookup(URL).validators() == {}
    req = article_request()
    with clock.use(PUBLISHED + timedelta(hours=3)):
        RefetchMiddleware(store, None, 48, schedule_hours=()).process_request(req)
    assert b"If-None-Match" not in req.headers  # a 304 would hide the undelivered version
    # once f2 is delivered, its validators are the ones sent
    store.mark_delivered("e2", [FeedRecord(URL, "f2", 1)], target="t", when=None)
    assert store.lookup(URL).validators()["If-None-Match"] == '"v2"'


def test_pipeline_stores_validators_with_the_fingerprint(store: SQLiteStateStore) -> None:
    holder = FetchValidators()
    mw = RefetchMiddleware(store, None, 48, validators=holder)
    req = article_request()
    mw.process_response(req, HtmlResponse(URL, status=200, request=req, body=b"<html></html>",
                                          headers={"ETag": '"abc"'}))
    assert len(holder) == 1
    from newsbot.items import Article

    pipe = IncrementalPipeline({}, None, store, holder)
    item = pipe.process_item(Article(url=URL, canonical_url=URL, title="t", body=["b"]))
    state = store.lookup(URL)
    assert len(holder) == 0 and state.etag == '"abc"'
    assert state.validated_fingerprint == state.fingerprint and item.revision == 0


def _get(base_url: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("GET", "/world/south-america/YKcFgQ649D",
                 headers={"Host": "www.prothomalo.com", **headers})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_sample_web_answers_conditional_requests(sample_web: str) -> None:
    full = _get(sample_web, {})
    etag, modified = full.getheader("ETag"), full.getheader("Last-Modified")
    assert full.status == 200 and etag and modified
    assert _get(sample_web, {"If-None-Match": etag}).status == 304
    assert _get(sample_web, {"If-None-Match": '"other"'}).status == 200
    assert _get(sample_web, {"If-Modified-Since": modified}).status == 304
    earlier = format_datetime(parse_time(
        datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
        - timedelta(hours=1)), usegmt=True)
    assert _get(sample_web, {"If-Modified-Since": earlier}).status == 200
    # If-None-Match decides when both are sent
    assert _get(sample_web, {"If-None-Match": '"other"', "If-Modified-Since": modified}).status \
        == 200


def _records(paths: set[Path]) -> list[dict[str, Any]]:
    out = []
    for path in sorted(paths):
        out += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
    return out


def _feeds(workdir: Path) -> set[Path]:
    return {p for p in (workdir / "feeds").rglob("*.jsonl") if not p.name.endswith("rejects.jsonl")}


@pytest.fixture(scope="module")
def reruns(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("reruns")
    base = load()
    wanted = [a for a in expected.expected_articles(base)
              if a.lang == "bn" and a.outlet_id == OUTLET]
    now = clock.now()
    ages = {a.canonical_url: now - parse_time(a.published) for a in wanted}
    by_age = sorted(wanted, key=lambda a: ages[a.canonical_url])
    edited, untouched = by_age[0], by_age[len(by_age) // 2]
    shift = timedelta(hours=2)
    # refetch points one hour after these two articles' current ages: both come due between
    # the runs (and any other article whose point falls in those two hours)
    points = sorted({ages[a.canonical_url] + timedelta(hours=1) for a in (edited, untouched)})
    hours = ",".join(f"{p.total_seconds() / 3600:.4f}" for p in points)
    due = {u for u, age in ages.items() if any(age < p <= age + shift for p in points)}
    args = ("-s", "NEWSBOT_REFETCH_WINDOW_HOURS=100000",
            "-s", f"NEWSBOT_REFETCH_SCHEDULE_HOURS={hours}")
    changed = copy.deepcopy(base)
    target = next(a for a in changed.articles.values() if a.url == edited.url)
    target.body = [*target.body[:-1], target.body[-1] + " সংশোধনী: তথ্যটি হালনাগাদ করা হয়েছে।"]
    out: dict[str, Any] = {"wanted": wanted, "edited": edited.canonical_url,
                           "untouched": untouched.canonical_url, "due": due}
    with serve(web=base) as server:
        out["run1"] = run(workdir, env_for(server.base_url), OUTLET, *args)
    out["feeds1"] = _feeds(workdir)
    later = (now + shift).isoformat()
    with serve(web=changed) as server:
        out["run2"] = run(workdir, env_for(server.base_url, NEWSBOT_NOW=later), OUTLET, *args)
        out["log2"] = list(server.access_log)
    out["records2"] = _records(_feeds(workdir) - out["feeds1"])
    out["summary2"] = json.loads((workdir / ".newsbot" / "last-run.json").read_text())
    return out


def test_edited_article_is_caught_by_a_scheduled_conditional_refetch(
    reruns: dict[str, Any],
) -> None:
    assert reruns["run1"].returncode == 0, why(reruns["run1"])
    assert {r["canonical_url"] for r in _records(reruns["feeds1"])} == {
        a.canonical_url for a in reruns["wanted"]}
    assert reruns["run2"].returncode == 0, why(reruns["run2"])
    records = reruns["records2"]
    assert [(r["canonical_url"], r["revision"]) for r in records] == [(reruns["edited"], 1)]
    assert "সংশোধনী" in records[0]["body"][-1]


def test_rerun_fetches_only_due_articles_and_counts_304_as_unchanged(
    reruns: dict[str, Any],
) -> None:
    stats = reruns["summary2"]["stats"]
    due, wanted = reruns["due"], reruns["wanted"]
    assert {reruns["edited"], reruns["untouched"]} <= due < {a.canonical_url for a in wanted}
    assert stats["newsbot/refetch/conditional"] == len(due)
    assert stats["newsbot/refetch/not_modified"] == len(due) - 1
    assert stats["newsbot/refetch/skipped_schedule"] == len(wanted) - len(due)
    assert stats["newsbot/refetch/skipped"] == len(wanted) - len(due)
    assert reruns["summary2"]["drops"]["unchanged"] == len(due) - 1
    # article pages requested from the site in the second run: the due ones only
    paths = {a.canonical_url.split("prothomalo.com", 1)[1]: a.canonical_url for a in wanted}
    requested = {paths[t] for _, t, _ in reruns["log2"] if t in paths}
    assert requested == due
    # the canary counts articles found unchanged (skipped or 304) as found
    assert reruns["summary2"]["canary"]["outlets"][OUTLET]["found"] >= len(wanted)
