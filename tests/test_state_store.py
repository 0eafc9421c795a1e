"""The incremental state store, the incremental pipeline and the refetch middleware, as units."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import Settings

from newsbot import clock
from newsbot.drops import Drop
from newsbot.items import Article
from newsbot.middlewares.refetch import RefetchMiddleware
from newsbot.pipelines.incremental import IncrementalPipeline
from newsbot.state import (
    FeedRecord,
    OutletRun,
    RunRecord,
    SQLiteStateStore,
    StateStore,
    Version,
    fingerprint,
    open_store,
)

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
URL = "https://www.prothomalo.com/world/asia/abc123"


class Stats:
    """The part of Scrapy's stats collector the components use."""

    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None:
        self.values[key] = self.values.get(key, start) + count


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStateStore:
    s = SQLiteStateStore(tmp_path / "state.sqlite3")
    yield s
    s.close()


def article(title: str = "শিরোনাম", body: list[str] | None = None, **kw: object) -> Article:
    return Article(
        url=kw.pop("url", URL),  # type: ignore[arg-type]
        canonical_url=kw.pop("canonical_url", URL),  # type: ignore[arg-type]
        outlet_id="prothomalo",
        title=title,
        body=body if body is not None else ["প্রথম অনুচ্ছেদ।", "দ্বিতীয় অনুচ্ছেদ।"],
        published=kw.pop("published", "2026-11-27T09:15:00+06:00"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def test_fingerprint_ignores_normalisation_but_not_content() -> None:
    body = ["বাংলাদেশের   খবর।", "", "আরও  খবর।"]
    decomposed = [unicodedata.normalize("NFD", p) for p in body]
    assert fingerprint("শিরোনাম ", body) == fingerprint("শিরোনাম", decomposed)
    assert fingerprint("শিরোনাম", body) == fingerprint("শিরোনাম", "বাংলাদেশের খবর।\n\nআরও খবর।")
    assert fingerprint("শিরোনাম", body) != fingerprint("শিরোনাম", ["বাংলাদেশের খবর।"])
    assert fingerprint("শিরোনাম", body) != fingerprint("অন্য শিরোনাম", body)
    # paragraph boundaries matter
    assert fingerprint("t", ["a b", "c"]) != fingerprint("t", ["a", "b c"])


def test_store_keeps_first_and_last_seen_and_delivery(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    store = SQLiteStateStore(path)
    store.record_seen(URL, fingerprint="f1", url=URL + "?utm_source=x", outlet_id="p", when=NOW)
    later = NOW + timedelta(hours=5)
    store.record_seen(URL, fingerprint="f2", outlet_id=None, when=later)
    state = store.lookup(URL)
    assert state is not None
    assert (state.first_seen, state.last_seen) == (NOW, later)
    assert state.fingerprint == "f2" and state.outlet_id == "p"
    assert not state.held and state.latest() is None
    # a fetched URL that differs from the canonical one finds the same article
    assert store.lookup_url(URL + "?utm_source=x").canonical_url == URL

    store.mark_pending("e1", [FeedRecord(URL, "f1", 0)])
    assert store.lookup(URL).pending == Version("f1", 0)
    assert store.lookup(URL).held
    store.mark_delivered("e1", [FeedRecord(URL, "f1", 0)], target="feeds/x.jsonl", when=later)
    store.close()

    reopened = SQLiteStateStore(path)  # persistent
    state = reopened.lookup(URL)
    assert state.delivered == Version("f1", 0)
    assert state.pending is None  # the entry's pending marks went with the delivery
    assert state.delivered_to == "feeds/x.jsonl"
    # an older revision delivered late never overwrites a newer one
    reopened.mark_delivered("e2", [FeedRecord(URL, "f3", 2)], target="b", when=later)
    reopened.mark_delivered("e3", [FeedRecord(URL, "f2", 1)], target="c", when=later)
    assert reopened.lookup(URL).delivered == Version("f3", 2)
    reopened.close()


def test_pending_marks_of_vanished_spool_entries_are_forgotten(store: SQLiteStateStore) -> None:
    store.mark_pending("kept", [FeedRecord("https://a.example/1", "x", 0)])
    store.mark_pending("gone", [FeedRecord("https://a.example/2", "y", 0)])
    assert store.forget_pending(keep={"kept"}) == 1
    assert store.lookup("https://a.example/1").held
    assert store.lookup("https://a.example/2") is None


def test_pending_records_are_read_in_pages_all_of_them_once(
    store: SQLiteStateStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Delivery reads a run's pending marks page by page: every record once, the other entry's
    marks left out, whatever the page size."""
    monkeypatch.setattr(SQLiteStateStore, "PENDING_PAGE", 7)
    records = [FeedRecord(f"https://a.example/{i:03d}", f"f{i}", i % 3) for i in range(50)]
    # a generator: marking pending never needs the whole list
    store.mark_pending("e1", (r for r in records))
    store.mark_pending("e2", [FeedRecord("https://a.example/zzz", "other", 0)])
    paged = list(store.iter_pending_records("e1"))
    assert paged == store.pending_records("e1")
    assert sorted((r.canonical_url, r.fingerprint, r.revision) for r in paged) == sorted(
        (r.canonical_url, r.fingerprint, r.revision) for r in records
    )
    assert store.mark_delivered("e1", store.iter_pending_records("e1"), target="t") == 50
    assert store.pending_records("e1") == []
    assert store.lookup("https://a.example/007").delivered == Version("f7", 1)


def test_run_records_round_trip_newest_first(store: SQLiteStateStore) -> None:
    for hour in (1, 3, 2):
        store.record_run(
            RunRecord(
                run_id=f"r{hour}",
                spider="bn_world",
                started_at=NOW + timedelta(hours=hour),
                finished_at=NOW + timedelta(hours=hour, minutes=5),
                finish_reason="finished",
                outlets=[OutletRun("p", found=hour, parsed=hour, coverage={"title": 1.0})],
            )
        )
    runs = store.recent_runs("bn_world", 2)
    assert [r.run_id for r in runs] == ["r3", "r2"]
    assert runs[0].outlets[0].found == 3 and runs[0].outlets[0].coverage == {"title": 1.0}
    assert store.recent_runs("other", 5) == []


def test_backend_is_chosen_by_setting(tmp_path: Path) -> None:
    settings = Settings({"NEWSBOT_STATE_PATH": str(tmp_path / "s" / "x.sqlite3")})
    store = open_store(settings)
    assert isinstance(store, SQLiteStateStore) and isinstance(store, StateStore)
    assert (tmp_path / "s" / "x.sqlite3").exists()
    store.close()


# -- incremental pipeline -------------------------------------------------------------------------


def pipeline(store: StateStore, **settings: object) -> tuple[IncrementalPipeline, Stats]:
    stats = Stats()
    return IncrementalPipeline(Settings(settings), stats, store), stats


def deliver(store: StateStore, entry: str, *items: Article) -> None:
    store.mark_delivered(
        entry,
        [FeedRecord(a.canonical_url, fingerprint(a.title, a.body), a.revision) for a in items],
        target="t",
        when=NOW,
    )


def test_new_article_gets_revision_zero_unchanged_is_dropped(store: SQLiteStateStore) -> None:
    pipe, stats = pipeline(store)
    first = pipe.process_item(article())
    assert first.revision == 0
    deliver(store, "e1", first)

    pipe2, stats2 = pipeline(store)  # the next run
    with pytest.raises(Drop) as dropped:
        pipe2.process_item(article())
    assert dropped.value.reason == "unchanged"
    assert stats.values == {"newsbot/incremental/new": 1}
    assert stats2.values == {"newsbot/incremental/unchanged": 1}


def test_changed_content_is_a_revision(store: SQLiteStateStore) -> None:
    pipe, _ = pipeline(store)
    deliver(store, "e1", pipe.process_item(article()))
    pipe2, stats2 = pipeline(store)
    revised = pipe2.process_item(article(body=["প্রথম অনুচ্ছেদ।", "সংশোধিত অনুচ্ছেদ।"]))
    assert revised.revision == 1
    assert stats2.values == {"newsbot/incremental/revised": 1}
    deliver(store, "e2", revised)
    pipe3, _ = pipeline(store)
    assert pipe3.process_item(article(title="নতুন শিরোনাম")).revision == 2


def test_undelivered_article_is_emitted_again(store: SQLiteStateStore) -> None:
    pipe, _ = pipeline(store)
    pipe.process_item(article())  # emitted, but the run died before its feed was stored
    pipe2, _ = pipeline(store)
    assert pipe2.process_item(article()).revision == 0


def test_spooled_article_is_not_emitted_again(store: SQLiteStateStore) -> None:
    pipe, _ = pipeline(store)
    item = pipe.process_item(article())
    store.mark_pending("spooled", [FeedRecord(URL, fingerprint(item.title, item.body), 0)])
    pipe2, _ = pipeline(store)
    with pytest.raises(Drop, match="unchanged"):
        pipe2.process_item(article())


def test_same_article_twice_in_one_run_is_dropped(store: SQLiteStateStore) -> None:
    pipe, _ = pipeline(store)
    pipe.process_item(article())
    with pytest.raises(Drop) as dropped:
        pipe.process_item(article(url=URL + "?ref=home"))
    assert dropped.value.reason == "duplicate_url"


def test_incremental_off_emits_everything(store: SQLiteStateStore) -> None:
    pipe, _ = pipeline(store)
    deliver(store, "e1", pipe.process_item(article()))
    pipe2, _ = pipeline(store, NEWSBOT_INCREMENTAL=False)
    assert pipe2.process_item(article()).revision == 0


# -- refetch middleware ---------------------------------------------------------------------------


def request(url: str, kind: str | None) -> Request:
    return Request(url, meta={"newsbot_kind": kind} if kind else {})


def seen_and_delivered(store: StateStore, url: str, published: str | None, first_seen: datetime):
    store.record_seen(url, fingerprint="f", outlet_id="p", published=published, when=first_seen)
    store.mark_delivered("e", [FeedRecord(url, "f", 0)], target="t", when=first_seen)


def test_refetch_window(store: SQLiteStateStore) -> None:
    stats = Stats()
    mw = RefetchMiddleware(store, stats, window_hours=48)
    old = "https://www.prothomalo.com/world/old1"
    young = "https://www.prothomalo.com/world/young1"
    nodate = "https://www.prothomalo.com/world/nodate1"
    undelivered = "https://www.prothomalo.com/world/undelivered1"
    seen_and_delivered(store, old, "2026-11-20T09:00:00+06:00", NOW - timedelta(hours=1))
    seen_and_delivered(store, young, "2026-11-28T20:00:00+06:00", NOW - timedelta(days=9))
    seen_and_delivered(store, nodate, None, NOW - timedelta(hours=49))
    store.record_seen(undelivered, fingerprint="f", published="2026-11-01T00:00:00Z", when=NOW)

    assert mw.should_skip(request(old, "article"), now=NOW) is not None
    assert mw.should_skip(request(old + "?utm_source=fb", "article"), now=NOW) is not None
    # age counts from the published time, else from first seen
    assert mw.should_skip(request(young, "article"), now=NOW) is None
    assert mw.should_skip(request(nodate, "article"), now=NOW) is not None
    assert mw.should_skip(request(nodate, "article"), now=NOW - timedelta(hours=2)) is None
    # never delivered: fetched again, whatever its age
    assert mw.should_skip(request(undelivered, "article"), now=NOW) is None
    # only article requests are ever skipped
    for kind in ("listing", "feed", "sitemap", None):
        assert mw.should_skip(request(old, kind), now=NOW) is None
    forced = Request(old, meta={"newsbot_kind": "article", "newsbot_refetch": True})
    assert mw.should_skip(forced, now=NOW) is None

    with pytest.raises(IgnoreRequest):
        mw.process_request(request(old, "article"))
    assert mw.process_request(request(old, "listing")) is None
    assert stats.values == {"newsbot/refetch/skipped": 1, "newsbot/refetch/skipped/p": 1}


def test_refetch_window_setting_and_off_switch(store: SQLiteStateStore) -> None:
    url = "https://www.prothomalo.com/world/x1"
    seen_and_delivered(store, url, None, clock.now() - timedelta(hours=30))
    assert RefetchMiddleware(store, None, 48).should_skip(request(url, "article")) is None
    assert RefetchMiddleware(store, None, 24).should_skip(request(url, "article")) is not None
    off = RefetchMiddleware(store, None, 24, enabled=False)
    assert off.should_skip(request(url, "article")) is None


# -- source fingerprints --------------------------------------------------------------------------


def test_cleaner_changes_are_no_revision_source_changes_are(store: SQLiteStateStore) -> None:
    pipe, _ = pipeline(store)
    first = article(body=["প্রথম অনুচ্ছেদ।", "আমাদের সঙ্গে থাকুন।"], source_fingerprint="S1")
    out = pipe.process_item(first)
    record = FeedRecord(URL, fingerprint(out.title, out.body), 0)
    store.mark_pending("e1", [record])
    assert store.lookup(URL).pending.source == "S1"
    store.mark_delivered("e1", [record], target="t", when=NOW)
    assert store.lookup(URL).delivered == Version(record.fingerprint, 0, "S1")
    # The cleaner learned to drop the last line; the page is the same.
    pipe2, _ = pipeline(store)
    with pytest.raises(Drop, match="unchanged"):
        pipe2.process_item(article(body=["প্রথম অনুচ্ছেদ।"], source_fingerprint="S1"))
    # The page changed.
    edited = pipe2.process_item(article(body=["সংশোধিত অনুচ্ছেদ।"], source_fingerprint="S2"))
    assert edited.revision == 1


def test_a_store_made_before_source_fingerprints_is_migrated(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE articles (canonical_url TEXT PRIMARY KEY, url TEXT, outlet_id TEXT,"
        " fingerprint TEXT, published TEXT, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
        " delivered_fingerprint TEXT, delivered_revision INTEGER, delivered_at TEXT,"
        " delivered_to TEXT);"
        "CREATE TABLE pending (entry_id TEXT NOT NULL, canonical_url TEXT NOT NULL,"
        " fingerprint TEXT NOT NULL, revision INTEGER NOT NULL,"
        " PRIMARY KEY (entry_id, canonical_url));"
    )
    db.execute(
        "INSERT INTO articles VALUES (?, NULL, 'prothomalo', 'F', NULL, 'x', 'x', 'F', 2, 'x',"
        " 't')",
        (URL,),
    )
    db.commit()
    db.close()
    old = SQLiteStateStore(path)
    try:
        assert old.lookup(URL).delivered == Version("F", 2, None)
        old.record_seen(URL, fingerprint="F", source="S")
        assert old.lookup(URL).source == "S"
    finally:
        old.close()
