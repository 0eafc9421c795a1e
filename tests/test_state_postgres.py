"""The PostgreSQL state store against a real PostgreSQL server: the same behaviour as SQLite
(the SQLite store's own tests run again on it), claims between workers, pending marks per
spool, schema migration, learned templates, and a clear error when the server is unreachable."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from scrapy.settings import Settings

from newsbot import clock
from newsbot.cleaning.templates import TemplateStore
from newsbot.cluster.templates import SharedTemplates
from newsbot.services import ServiceUnavailable
from newsbot.state import FeedRecord, OutletRun, RunRecord, SQLiteStateStore, Version, open_store
from newsbot.state.migrations import POSTGRES_MIGRATIONS
from newsbot.state.postgres import PostgresStateStore
from newsbot.text import line_key
from tests.s3server import free_port
from tests.services import PostgresServer, new_schema, postgres  # noqa: F401  (fixture)

# The SQLite store's behaviour tests, run again here with the PostgreSQL ``store`` fixture.
from tests.test_state_store import (  # noqa: F401
    NOW,
    URL,
    test_changed_content_is_a_revision,
    test_cleaner_changes_are_no_revision_source_changes_are,
    test_incremental_off_emits_everything,
    test_new_article_gets_revision_zero_unchanged_is_dropped,
    test_pending_marks_of_vanished_spool_entries_are_forgotten,
    test_refetch_window,
    test_refetch_window_setting_and_off_switch,
    test_run_records_round_trip_newest_first,
    test_same_article_twice_in_one_run_is_dropped,
    test_spooled_article_is_not_emitted_again,
    test_undelivered_article_is_emitted_again,
)


def make(server: PostgresServer, schema: str, **kw: object) -> PostgresStateStore:
    return PostgresStateStore(server.url, schema=schema, **kw)  # type: ignore[arg-type]


@pytest.fixture
def store(postgres: PostgresServer) -> Iterator[PostgresStateStore]:  # noqa: F811
    s = make(postgres, new_schema(), spool_id="spool-a", owner="run1/w1/p1")
    yield s
    s.close()


def test_round_trip_like_sqlite(postgres: PostgresServer) -> None:  # noqa: F811
    schema = new_schema()
    s = make(postgres, schema)
    s.record_seen(URL, fingerprint="f1", url=URL + "?utm_source=x", outlet_id="p", when=NOW)
    later = NOW + timedelta(hours=5)
    s.record_seen(URL, fingerprint="f2", outlet_id=None, when=later)
    state = s.lookup(URL)
    assert (state.first_seen, state.last_seen) == (NOW, later)
    assert state.fingerprint == "f2" and state.outlet_id == "p"
    assert not state.held
    assert s.lookup_url(URL + "?utm_source=x").canonical_url == URL
    s.mark_pending("e1", [FeedRecord(URL, "f1", 0)])
    assert s.lookup(URL).pending == Version("f1", 0)
    s.mark_delivered("e1", [FeedRecord(URL, "f1", 0)], target="feeds/x.jsonl", when=later)
    s.close()

    reopened = make(postgres, schema)  # persistent, and opening again migrates nothing
    state = reopened.lookup(URL)
    assert state.delivered == Version("f1", 0) and state.pending is None
    assert state.delivered_to == "feeds/x.jsonl" and state.delivered_at == later
    reopened.mark_delivered("e2", [FeedRecord(URL, "f3", 2)], target="b", when=later)
    reopened.mark_delivered("e3", [FeedRecord(URL, "f2", 1)], target="c", when=later)
    assert reopened.lookup(URL).delivered == Version("f3", 2)
    assert reopened.schema_version() == len(POSTGRES_MIGRATIONS)
    reopened.close()


def test_canary_baseline_same_as_sqlite(postgres: PostgresServer, tmp_path) -> None:  # noqa: F811
    sqlite = SQLiteStateStore(tmp_path / "s.sqlite3")
    pg = make(postgres, new_schema())
    for n, tripped in ((1, False), (2, True), (3, False), (4, False)):
        run = RunRecord(
            run_id=f"r{n}", spider="bn_world", started_at=NOW + timedelta(hours=n),
            finished_at=NOW + timedelta(hours=n, minutes=1), finish_reason="finished",
            exit_code=5 if tripped else 0,
            outlets=[OutletRun("a", n, n, {"title": 1.0, "body": 0.5}, tripped=tripped),
                     OutletRun("b", n * 2, n, {"title": None})],
        )
        sqlite.record_run(run)
        pg.record_run(run)
    for limit in (1, 2, 5):
        assert pg.baseline_runs("bn_world", limit) == sqlite.baseline_runs("bn_world", limit)
        assert pg.recent_runs("bn_world", limit) == sqlite.recent_runs("bn_world", limit)
    assert [r.run_id for r in pg.baseline_runs("bn_world", 1)] == ["r4"]
    sqlite.close()
    pg.close()


def test_pending_marks_are_per_spool(postgres: PostgresServer) -> None:  # noqa: F811
    schema = new_schema()
    a = make(postgres, schema, spool_id="host:/w1/spool")
    b = make(postgres, schema, spool_id="host:/w2/spool")
    a.mark_pending("ea", [FeedRecord("https://x.example/1", "f", 0)])
    b.mark_pending("eb", [FeedRecord("https://x.example/2", "g", 0)])
    # worker a's spool holds nothing any more: it forgets its own marks, never b's
    assert a.forget_pending(keep=set()) == 1
    assert a.lookup("https://x.example/1") is None
    assert a.lookup("https://x.example/2").held
    assert a.pending_records("eb") == []
    assert [r.canonical_url for r in b.pending_records("eb")] == ["https://x.example/2"]
    a.close()
    b.close()


def test_one_claim_wins_and_a_dead_workers_claim_lapses(postgres: PostgresServer) -> None:  # noqa: F811
    schema = new_schema()
    w1 = make(postgres, schema, owner="run1/w1/p", lease_seconds=60)
    w2 = make(postgres, schema, owner="run1/w2/p", lease_seconds=60)
    with clock.use(NOW):
        assert w1.claim(URL, 0)
        assert w1.claim(URL, 0)  # its own claim again
        assert not w2.claim(URL, 0)
        assert w2.claim(URL, 1)  # another revision is another claim
    with clock.use(NOW + timedelta(seconds=50)):
        assert w1.heartbeat() == 1  # w1 is alive: lease extended to +110 s
    with clock.use(NOW + timedelta(seconds=100)):
        assert not w2.claim(URL, 0)
    # w1 dies (no more heartbeats): after the lease its claim is free for the next run
    with clock.use(NOW + timedelta(seconds=111)):
        assert w2.claim(URL, 0)
    w1.close()
    w2.close()


def test_spooled_or_delivered_versions_stay_claimed(postgres: PostgresServer) -> None:  # noqa: F811
    schema = new_schema()
    w1 = make(postgres, schema, owner="w1", spool_id="s1", lease_seconds=1)
    w2 = make(postgres, schema, owner="w2", spool_id="s2", lease_seconds=1)
    with clock.use(NOW):
        assert w1.claim(URL, 0)
        w1.mark_pending("e1", [FeedRecord(URL, "f1", 0)])
        assert w1.release_claims() == 0  # spooled: not released at close
    with clock.use(NOW + timedelta(hours=1)):
        assert not w2.claim(URL, 0)
        # the spooled feed is lost (e.g. its spool was wiped): the version is free again
        w1.forget_entry("e1")
        assert w2.claim(URL, 0)
        w2.mark_delivered("e2", [FeedRecord(URL, "f1", 0)], target="t")
    with clock.use(NOW + timedelta(days=10)):
        assert not w1.claim(URL, 0)
    w1.close()
    w2.close()


def test_released_claims_are_free_at_once(postgres: PostgresServer) -> None:  # noqa: F811
    schema = new_schema()
    w1 = make(postgres, schema, owner="w1", lease_seconds=600)
    w2 = make(postgres, schema, owner="w2", lease_seconds=600)
    assert w1.claim(URL, 0) and not w2.claim(URL, 0)
    assert w1.release_claims() == 1
    assert w2.claim(URL, 0)
    w1.close()
    w2.close()


def test_concurrent_claims_have_one_winner(postgres: PostgresServer) -> None:  # noqa: F811
    schema = new_schema()
    stores = [make(postgres, schema, owner=f"w{i}") for i in range(4)]
    urls = [f"https://x.example/{n}" for n in range(40)]
    won: dict[int, list[str]] = {i: [] for i in range(4)}

    def worker(i: int) -> None:
        for url in urls:
            if stores[i].claim(url, 0):
                won[i].append(url)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [u for urls_ in won.values() for u in urls_]
    assert sorted(claimed) == sorted(urls)
    for s in stores:
        s.close()


def test_workers_starting_together_migrate_once(postgres: PostgresServer) -> None:  # noqa: F811
    schema = new_schema()
    errors: list[BaseException] = []
    opened: list[PostgresStateStore] = []

    def open_one() -> None:
        try:
            opened.append(make(postgres, schema))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert opened[0].schema_version() == len(POSTGRES_MIGRATIONS)
    for s in opened:
        s.close()


def test_templates_are_merged_between_workers(store: PostgresStateStore) -> None:
    def merge(old: dict, new: dict) -> dict:
        return {**old, **new}

    assert store.load_templates("bn_world") is None
    store.save_templates("bn_world", {"a": 1}, merge)
    assert store.save_templates("bn_world", {"b": 2}, merge) == {"a": 1, "b": 2}
    assert store.load_templates("bn_world") == {"a": 1, "b": 2}


def test_state_url_selects_postgres(postgres: PostgresServer, monkeypatch) -> None:  # noqa: F811
    schema = new_schema()
    monkeypatch.setenv("NEWSBOT_STATE_URL", postgres.url)
    s = open_store(Settings({"NEWSBOT_STATE_SCHEMA": schema}))
    assert isinstance(s, PostgresStateStore) and s.schema == schema
    s.close()


def test_unreachable_server_is_a_clear_error_without_the_password() -> None:
    url = f"postgresql://newsbot:s3cret-pw@127.0.0.1:{free_port()}/newsbot"
    with pytest.raises(ServiceUnavailable) as raised:
        PostgresStateStore(url)
    message = str(raised.value)
    assert "unreachable" in message and "127.0.0.1" in message
    assert "s3cret-pw" not in message and "newsbot:***@" in message


def test_learned_templates_add_up_between_workers(store: PostgresStateStore) -> None:
    footer = "সম্পাদক: নাম ঠিকানা"
    learners = []
    for _ in range(2):
        shared = SharedTemplates(store, "bn_world")
        learned = TemplateStore(min_share=0.5, min_pages=3)
        shared.load_into(learned)
        learners.append((shared, learned))
    # each worker sees two pages of the outlet: neither alone reaches three pages
    for n, (_, learned) in enumerate(learners):
        for page in range(2):
            url = f"https://www.ittefaq.com.bd/{n}{page}"
            learned.observe("ittefaq", url, [footer, f"খবর {n}{page}"])
        assert not learned.is_template("ittefaq", line_key(footer))
    for shared, learned in learners:
        shared.save(learned)
    together = TemplateStore(min_share=0.5, min_pages=3)
    assert SharedTemplates(store, "bn_world").load_into(together)
    assert together.outlets["ittefaq"].pages == 4
    assert together.templates("ittefaq") == [footer]


def test_two_workers_cleaning_one_article_differently_emit_it_once(
    postgres: PostgresServer,  # noqa: F811
) -> None:
    from newsbot.drops import Drop
    from newsbot.pipelines.incremental import IncrementalPipeline
    from tests.test_state_store import article

    schema = new_schema()
    w1 = make(postgres, schema, owner="run/w1/p")
    w2 = make(postgres, schema, owner="run/w2/p")
    first = IncrementalPipeline({}, None, w1).process_item(article())
    assert first.revision == 0
    # w2 learned another template line, so its body differs: still the same revision 0
    with pytest.raises(Drop, match="claimed_elsewhere"):
        IncrementalPipeline({}, None, w2).process_item(article(body=["প্রথম অনুচ্ছেদ।"]))
    w1.close()
    w2.close()


def test_newest_first_seen_and_delivery_mark(store: PostgresStateStore) -> None:
    assert store.newest_first_seen("prothomalo") is None
    store.record_seen(URL, fingerprint="F", outlet_id="prothomalo", when=NOW, source="S")
    store.record_seen(URL + "2", fingerprint="G", outlet_id="prothomalo",
                      when=NOW + timedelta(hours=2))
    assert store.newest_first_seen("prothomalo") == NOW + timedelta(hours=2)
    store_id, generation = store.delivery_mark()
    store.mark_delivered("e1", [FeedRecord(URL, "F", 0)], target="t", when=NOW)
    assert store.delivery_mark() == (store_id, generation + 1)
    assert store.lookup(URL).delivered == Version("F", 0, "S")


def test_checkpoints_round_trip(store: PostgresStateStore) -> None:
    assert store.get_checkpoint("warc:a") is None
    store.set_checkpoint("warc:a", {"offset": 10, "done": False})
    store.set_checkpoint("warc:a", {"offset": 99, "done": True})
    assert store.get_checkpoint("warc:a") == {"offset": 99, "done": True}


def test_fetches_and_validators_like_sqlite(store: PostgresStateStore) -> None:
    store.record_seen(URL, fingerprint="F", outlet_id="prothomalo", when=NOW, source="S")
    store.mark_delivered("e1", [FeedRecord(URL, "F", 0)], target="t", when=NOW)
    store.record_fetch(URL, when=NOW, fingerprint="F", etag='"v1"', last_modified="Sun, x")
    state = store.lookup(URL)
    assert (state.fetched_at, state.etag, state.validated_fingerprint) == (NOW, '"v1"', "F")
    assert state.validators() == {"If-None-Match": '"v1"', "If-Modified-Since": "Sun, x"}
    later = NOW + timedelta(hours=6)
    store.record_fetch(URL, when=later)  # a 304
    state = store.lookup(URL)
    assert state.fetched_at == later and state.etag == '"v1"'
