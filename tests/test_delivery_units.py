"""Delivery parts as units: URI parameters, feed checks, the S3 feed add-on, the spool, targets
and crash recovery (a real moto S3 server for the S3 parts)."""

from __future__ import annotations

import gzip
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore import exceptions as bx
from scrapy.extensions.feedexport import apply_uri_params
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsbot.delivery import cli
from newsbot.delivery.addon import DeliveryAddon, s3_feed_uri
from newsbot.delivery.context import DeliveryContext
from newsbot.delivery.errors import DeliveryError, FeedConfigError
from newsbot.delivery.exporter import DeliveryFeedExporter, check_feeds
from newsbot.delivery.spool import Spool, SpoolEntry, read_feed_records
from newsbot.delivery.targets import (
    FileTarget,
    S3Config,
    S3Target,
    describe_s3_error,
    split_s3_uri,
)
from newsbot.delivery.uri import feed_uri_params, has_batch_placeholder, time_params
from newsbot.exitcodes import ExitCode
from newsbot.state import SQLiteStateStore, fingerprint
from tests.s3server import MotoServer, SilentEndpoint, moto  # noqa: F401  (fixture)

LINES = [
    {"canonical_url": f"https://www.prothomalo.com/world/a{i}", "title": f"শিরোনাম {i}",
     "body": [f"অনুচ্ছেদ {i}।"], "revision": 0, "outlet_id": "prothomalo"}
    for i in range(3)
]


def jsonl(lines: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode("utf-8")


# -- URIs and feed settings -----------------------------------------------------------------------


def test_time_params_are_clean_for_keys() -> None:
    params = time_params(datetime(2026, 11, 29, 19, 41, 20, tzinfo=UTC), batch_id=3)
    assert params == {
        "year": "2026", "month": "11", "day": "29", "date": "2026-11-29",
        "stamp": "20261129T194120Z", "batch": "00003",
    }


def test_feed_uri_params_fill_scrapy_params() -> None:
    class Spider:
        name = "bn_world"
        crawler = None

    params = feed_uri_params({"batch_id": 2, "name": "bn_world"}, Spider())  # type: ignore[arg-type]
    uri = apply_uri_params(s3_feed_uri("bkt", "corpus/world/", gzip=True, batched=True), params)
    assert re.fullmatch(
        r"s3://bkt/corpus/world/bn_world/\d{4}/\d\d/\d\d/\d{8}T\d{6}Z-00002\.jsonl\.gz", uri
    ), uri
    local = apply_uri_params("feeds/%(name)s/%(date)s/%(stamp)s.jsonl", params)
    assert re.fullmatch(r"feeds/bn_world/\d{4}-\d\d-\d\d/\d{8}T\d{6}Z\.jsonl", local), local


def test_batch_without_placeholder_is_refused() -> None:
    assert has_batch_placeholder("x/%(stamp)s-%(batch)s.jsonl")
    assert has_batch_placeholder("x/%(batch_id)05d.jsonl")
    assert not has_batch_placeholder("x/%(stamp)s.jsonl")
    check_feeds({"x/%(stamp)s-%(batch)s.jsonl": {"batch_item_count": 10}})
    check_feeds({"x/%(stamp)s.jsonl": {"batch_item_count": 0}})
    with pytest.raises(FeedConfigError, match="batch placeholder"):
        check_feeds({"x/%(stamp)s.jsonl": {"batch_item_count": 10}})
    with pytest.raises(FeedConfigError, match="same batch_item_count"):
        check_feeds({
            "a/%(batch)s.jsonl": {"batch_item_count": 10},
            "b/%(batch)s.jsonl": {"batch_item_count": 20},
        })


LOCAL_FEEDS = {
    "feeds/%(name)s/%(date)s/%(stamp)s.jsonl": {
        "format": "jsonlines", "item_classes": ["newsbot.items.Article"],
    },
}


def test_addon_adds_s3_feed_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_S3_BUCKET", "env-bucket")
    monkeypatch.setenv("NEWSBOT_S3_PREFIX", "/corpus/")
    monkeypatch.setenv("NEWSBOT_S3_GZIP", "1")
    monkeypatch.setenv("NEWSBOT_S3_BATCH_ITEMS", "50")
    settings = Settings({"FEEDS": LOCAL_FEEDS})
    DeliveryAddon().update_settings(settings)
    feeds = settings.getdict("FEEDS")
    assert list(feeds) == [
        "s3://env-bucket/corpus/%(name)s/%(year)s/%(month)s/%(day)s/%(stamp)s-%(batch)s.jsonl.gz"
    ]
    options = next(iter(feeds.values()))
    assert options["batch_item_count"] == 50
    assert options["postprocessing"] == ["scrapy.extensions.postprocessing.GzipPlugin"]
    assert options["item_classes"] == ["newsbot.items.Article"]
    check_feeds(feeds)


def test_addon_settings_win_and_local_feed_can_stay(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_S3_BUCKET", "env-bucket")
    settings = Settings({
        "FEEDS": LOCAL_FEEDS, "NEWSBOT_S3_BUCKET": "set-bucket", "NEWSBOT_S3_KEEP_LOCAL": True,
    })
    DeliveryAddon().update_settings(settings)
    feeds = settings.getdict("FEEDS")
    assert set(feeds) == {
        *LOCAL_FEEDS, "s3://set-bucket/%(name)s/%(year)s/%(month)s/%(day)s/%(stamp)s.jsonl",
    }


def test_addon_kept_local_feeds_are_batched_like_the_s3_feed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NEWSBOT_S3_BUCKET", raising=False)
    settings = Settings({
        "FEEDS": LOCAL_FEEDS, "NEWSBOT_S3_BUCKET": "bkt", "NEWSBOT_S3_KEEP_LOCAL": "1",
        "NEWSBOT_S3_BATCH_ITEMS": "5",
    })
    DeliveryAddon().update_settings(settings)
    feeds = settings.getdict("FEEDS")
    check_feeds(feeds)  # one batch size for all feeds: the run can start
    local = feeds["feeds/%(name)s/%(date)s/%(stamp)s-%(batch)s.jsonl"]
    assert local["batch_item_count"] == 5 and local["item_classes"] == ["newsbot.items.Article"]
    assert len(feeds) == 2


def test_credentials_in_settings_are_refused_without_s3_feeds() -> None:
    crawler = get_crawler(settings_dict={"FEEDS": LOCAL_FEEDS, "AWS_SECRET_ACCESS_KEY": "x"})
    with pytest.raises(FeedConfigError, match="environment"):
        DeliveryFeedExporter(crawler)


def test_addon_does_nothing_without_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSBOT_S3_BUCKET", raising=False)
    settings = Settings({"FEEDS": LOCAL_FEEDS})
    DeliveryAddon().update_settings(settings)
    assert settings.getdict("FEEDS") == LOCAL_FEEDS


def test_credentials_are_refused_in_settings_and_uris() -> None:
    with pytest.raises(FeedConfigError, match="environment"):
        S3Config.from_settings(Settings({"AWS_SECRET_ACCESS_KEY": "s3cr3t"}))
    with pytest.raises(FeedConfigError) as exc:
        split_s3_uri("s3://AKIA:s3cr3t@bucket/key")
    assert "s3cr3t" not in str(exc.value)


def test_s3_errors_are_one_clear_line() -> None:
    config = S3Config(endpoint_url="http://127.0.0.1:9", max_attempts=2, read_timeout=7)
    def client_error(code: str) -> bx.ClientError:
        return bx.ClientError({"Error": {"Code": code, "Message": "m"}}, "PutObject")
    assert "does not exist" in describe_s3_error(client_error("NoSuchBucket"), config, "b")
    assert "refused the credentials" in describe_s3_error(
        client_error("InvalidAccessKeyId"), config, "b"
    )
    refused = bx.EndpointConnectionError(endpoint_url="http://127.0.0.1:9/b/k")
    assert describe_s3_error(refused, config, "b") == (
        "cannot connect to S3 endpoint http://127.0.0.1:9 (after 2 attempts)"
    )
    hung = bx.ReadTimeoutError(endpoint_url="http://127.0.0.1:9/b/k")
    assert "did not answer within 7 s" in describe_s3_error(hung, config, "b")
    assert "credentials" in describe_s3_error(bx.NoCredentialsError(), config, "b")


# -- spool ----------------------------------------------------------------------------------------


def spooled(spool: Spool, uri: str, data: bytes) -> Any:
    entry = spool.create(uri, spider="bn_world")
    entry.data_path.write_bytes(data)
    return entry


def test_group_seal_survives_a_crash_between_its_steps(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    a = spooled(spool, "feeds/a.jsonl", jsonl(LINES))
    b = spooled(spool, "s3://bkt/b.jsonl", jsonl(LINES[:1]))
    # crash after the group file was written, before the manifests were updated
    a.sealed = b.sealed = True
    a.size, b.size = len(jsonl(LINES)), len(jsonl(LINES[:1]))
    (spool.dir / f"{a.id}.seal").write_text(json.dumps([a.to_dict(), b.to_dict()]))
    found = {e.id: e for e in Spool(spool.dir).sealed()}
    assert set(found) == {a.id, b.id}
    assert not list(spool.dir.glob("*.seal"))


def test_seal_records_digest_and_items(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    entry = spooled(spool, "feeds/a.jsonl", jsonl(LINES))
    spool.seal([entry])
    (reread,) = spool.sealed()
    assert reread.items == 3 and reread.size == len(jsonl(LINES)) and len(reread.sha256) == 64


def test_unfinished_entries_of_dead_runs_are_discarded(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    mine = spooled(spool, "feeds/mine.jsonl", b"{}\n")
    dead = spooled(spool, "feeds/dead.jsonl", b'{"half": ')
    data = json.loads(dead.manifest_path.read_text())
    data["pid"] = 2**22 + 12345  # no such process
    data["owner"] = "another-process"
    dead.manifest_path.write_text(json.dumps(data))
    other = spooled(spool, "feeds/other.jsonl", b"{}\n")
    data = json.loads(other.manifest_path.read_text())
    data["pid"] = os.getppid()  # alive
    data["owner"] = "another-process"
    other.manifest_path.write_text(json.dumps(data))

    assert [e.id for e in spool.discard_stale(exclusive=False)] == [dead.id]
    assert {e.id for e in spool.entries()} == {mine.id, other.id}
    # holding the run lock, every unfinished entry of another process is stale
    assert [e.id for e in spool.discard_stale(exclusive=True)] == [other.id]
    assert [e.id for e in spool.entries()] == [mine.id]


def test_unfinished_entries_of_an_earlier_process_with_the_same_pid_are_discarded(
    tmp_path: Path,
) -> None:
    """In a container every run is PID 1: the PID does not tell runs apart."""
    spool = Spool(tmp_path / "spool")
    mine = spooled(spool, "feeds/mine.jsonl", b"{}\n")
    earlier = spooled(spool, "feeds/earlier.jsonl", b'{"half": ')
    data = json.loads(earlier.manifest_path.read_text())
    data["owner"] = "an-earlier-run"
    assert data["pid"] == os.getpid()
    earlier.manifest_path.write_text(json.dumps(data))
    assert [e.id for e in spool.discard_stale(exclusive=True)] == [earlier.id]
    assert [e.id for e in spool.entries()] == [mine.id]
    assert not earlier.data_path.exists()


def test_removal_cut_short_leaves_no_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spool = Spool(tmp_path / "spool")
    entry = spooled(spool, "feeds/a.jsonl", jsonl(LINES))
    real_unlink = Path.unlink

    def killed(path: Path, missing_ok: bool = False) -> None:
        if path.suffix == ".data":
            raise KeyboardInterrupt  # the process dies here
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", killed)
    with pytest.raises(KeyboardInterrupt):
        spool.remove(entry)
    monkeypatch.undo()
    assert spool.entries() == []  # no entry without data
    spool.discard_stale(exclusive=True)
    assert list(spool.dir.iterdir()) == []


def test_feed_records_read_gzip_and_plain(tmp_path: Path) -> None:
    plain, packed = tmp_path / "a.jsonl", tmp_path / "a.jsonl.gz"
    plain.write_bytes(jsonl(LINES))
    packed.write_bytes(gzip.compress(jsonl(LINES)))
    assert read_feed_records(plain) == read_feed_records(packed)
    first = read_feed_records(plain)[0]
    assert first.canonical_url == LINES[0]["canonical_url"]
    assert first.fingerprint == fingerprint(LINES[0]["title"], LINES[0]["body"])


# -- delivery and recovery ------------------------------------------------------------------------


def context_for(tmp_path: Path, **settings: Any) -> tuple[DeliveryContext, SQLiteStateStore]:
    store = SQLiteStateStore(tmp_path / "state.sqlite3")
    values = {"NEWSBOT_SPOOL_DIR": str(tmp_path / "spool"), **settings}
    return DeliveryContext(Settings(values), store=store), store


def test_local_feed_moves_into_place_and_marks_delivered(tmp_path: Path) -> None:
    ctx, store = context_for(tmp_path)
    dest = tmp_path / "feeds" / "x" / "f.jsonl"
    entry = spooled(ctx.spool, str(dest), jsonl(LINES))
    ctx.seal([entry])
    assert all(store.lookup(x["canonical_url"]).pending for x in LINES)
    result = ctx.deliver(entry)
    assert result.status == "stored" and dest.read_bytes() == jsonl(LINES)
    assert ctx.spool.entries() == []
    assert set(store.delivered_urls()) == {x["canonical_url"] for x in LINES}
    assert all(store.lookup(x["canonical_url"]).pending is None for x in LINES)


def test_crash_after_local_rename_is_recovered_without_duplicates(tmp_path: Path) -> None:
    ctx, store = context_for(tmp_path)
    dest = tmp_path / "feeds" / "f.jsonl"
    entry = spooled(ctx.spool, str(dest), jsonl(LINES))
    ctx.seal([entry])
    ctx.target_for(entry.uri).store(entry)  # ... and the process dies here
    assert store.delivered_urls() == {}

    ctx2, store2 = context_for(tmp_path)
    (result,) = ctx2.flush()
    assert result.status == "stored" and result.origin == "spool"
    assert dest.read_bytes() == jsonl(LINES)
    assert set(store2.delivered_urls()) == {x["canonical_url"] for x in LINES}
    assert ctx2.spool.entries() == []


class CountingClient:
    """A botocore client that counts put_object calls."""

    def __init__(self, client: Any):
        self.client = client
        self.puts = 0

    def put_object(self, **kw: Any) -> Any:
        self.puts += 1
        return self.client.put_object(**kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def test_crash_after_s3_upload_is_not_uploaded_twice(
    tmp_path: Path, moto: MotoServer, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    for key, value in moto.env().items():
        monkeypatch.setenv(key, value)
    bucket = moto.new_bucket()
    uri = f"s3://{bucket}/p/bn_world/f.jsonl"
    ctx, store = context_for(tmp_path)
    entry = spooled(ctx.spool, uri, jsonl(LINES))
    ctx.seal([entry])
    target = ctx.target_for(uri)
    assert isinstance(target, S3Target)
    target.store(entry)  # uploaded, then the process dies before its bookkeeping
    assert store.delivered_urls() == {}

    ctx2, store2 = context_for(tmp_path)
    counting = CountingClient(S3Config.from_settings(Settings()).client())
    real_target_for = ctx2.target_for

    def target_for(u: str) -> Any:
        t = real_target_for(u)
        t._client = counting
        return t

    ctx2.target_for = target_for  # type: ignore[method-assign]
    (result,) = ctx2.flush()
    assert result.status == "stored"
    assert counting.puts == 0  # recognised by its SHA-256 metadata
    assert moto.objects(bucket) == {"p/bn_world/f.jsonl": jsonl(LINES)}
    assert set(store2.delivered_urls()) == {x["canonical_url"] for x in LINES}


def test_failed_target_is_not_retried_in_the_same_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in MotoServer().env(AWS_ENDPOINT_URL="http://127.0.0.1:9").items():
        monkeypatch.setenv(key, value)
    ctx, _ = context_for(
        tmp_path, AWS_ENDPOINT_URL="http://127.0.0.1:9", NEWSBOT_S3_MAX_ATTEMPTS=1,
        NEWSBOT_S3_CONNECT_TIMEOUT=2,
    )
    entries = [spooled(ctx.spool, f"s3://bkt/k{i}.jsonl", jsonl(LINES)) for i in range(2)]
    ctx.seal(entries)
    with pytest.raises(DeliveryError) as first:
        ctx.deliver(entries[0])
    assert not first.value.skipped
    with pytest.raises(DeliveryError) as second:
        ctx.deliver(entries[1])
    assert second.value.skipped
    assert len(ctx.spool.sealed()) == 2


def test_s3_max_attempts_counts_attempts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in MotoServer().env().items():
        monkeypatch.setenv(key, value)
    hung = SilentEndpoint()
    try:
        config = S3Config(endpoint_url=hung.endpoint, read_timeout=0.5, max_attempts=1)
        spool = Spool(tmp_path / "spool")
        entry = spooled(spool, "s3://bkt/k.jsonl", jsonl(LINES))
        spool.seal([entry])
        with pytest.raises(DeliveryError, match="after 1 attempt\\)"):
            S3Target(entry.uri, config).store(entry)
        assert len(hung.conns) == 1
    finally:
        hung.close()


def test_write_only_credentials_do_not_block_recovery() -> None:
    class WriteOnly:
        def head_object(self, **kw: Any) -> Any:
            raise bx.ClientError({"Error": {"Code": "403", "Message": "Forbidden"}}, "HeadObject")

    target = S3Target("s3://bkt/k.jsonl", S3Config(), client=WriteOnly())
    entry = SpoolEntry(id="x", uri=target.uri, sealed=True, size=1, sha256="0" * 64)
    assert target.holds(entry) is False  # not "refused the credentials": upload again


def test_broken_spooled_feed_does_not_block_the_others(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ctx, _ = context_for(tmp_path)
    broken = spooled(ctx.spool, str(tmp_path / "feeds" / "a.jsonl"), jsonl(LINES[:1]) + b"{oops\n")
    good = spooled(ctx.spool, str(tmp_path / "feeds" / "b.jsonl"), jsonl(LINES[1:]))
    ctx.spool.seal([broken, good])

    ctx2, store2 = context_for(tmp_path)
    with caplog.at_level("INFO"):
        results = ctx2.flush()
    assert sorted((r.spool_entry, r.status) for r in results) == [
        (broken.id, "spooled"), (good.id, "stored"),
    ]
    assert set(store2.delivered_urls()) == {x["canonical_url"] for x in LINES[1:]}
    assert [e.id for e in ctx2.spool.entries()] == [broken.id]
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and broken.id in errors[0].getMessage()


def test_stored_s3_feed_without_spooled_data_is_finished(
    tmp_path: Path, moto: MotoServer, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    """Killed while removing a delivered entry: the data is gone, the manifest is not."""
    for key, value in moto.env().items():
        monkeypatch.setenv(key, value)
    bucket = moto.new_bucket()
    ctx, _ = context_for(tmp_path)
    first = spooled(ctx.spool, f"s3://{bucket}/a.jsonl", jsonl(LINES[:1]))
    second = spooled(ctx.spool, f"s3://{bucket}/b.jsonl", jsonl(LINES[1:]))
    ctx.seal([first, second])
    ctx.target_for(first.uri).store(first)
    first.data_path.unlink()  # ... and the process dies before the manifest goes

    ctx2, store2 = context_for(tmp_path)
    results = ctx2.flush()
    assert [(r.spool_entry, r.status) for r in results] == [
        (first.id, "stored"), (second.id, "stored"),
    ]
    assert ctx2.spool.entries() == []
    assert set(store2.delivered_urls()) == {x["canonical_url"] for x in LINES}


def test_lost_feed_is_emitted_again_and_not_a_failure(tmp_path: Path) -> None:
    ctx, store = context_for(tmp_path)
    dest = tmp_path / "feeds" / "f.jsonl"
    entry = spooled(ctx.spool, str(dest), jsonl(LINES))
    ctx.seal([entry])
    ctx.target_for(entry.uri).store(entry)
    dest.unlink()  # a watcher took the file; the process died before its bookkeeping
    store.close()

    settings = Settings({
        "NEWSBOT_SPOOL_DIR": str(tmp_path / "spool"),
        "NEWSBOT_STATE_PATH": str(tmp_path / "state.sqlite3"),
        "NEWSBOT_LOCK_PATH": str(tmp_path / "run.lock"),
    })
    ctx2, store2 = context_for(tmp_path)
    (result,) = ctx2.flush()
    assert result.status == "lost" and not ctx2.failed
    # its articles are no longer held, so the crawl emits them again
    states = [store2.lookup(x["canonical_url"]) for x in LINES]
    assert all(state is None or not state.held for state in states)
    assert ctx2.spool.entries() == []
    assert cli.deliver(settings) == ExitCode.OK


def test_local_feed_moved_away_at_once_is_still_delivered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_store = FileTarget.store

    def store_then_watcher_takes_it(self: FileTarget, entry: Any) -> None:
        real_store(self, entry)
        self.path.rename(self.path.with_name("taken.jsonl"))

    monkeypatch.setattr(FileTarget, "store", store_then_watcher_takes_it)
    ctx, store = context_for(tmp_path)
    entry = spooled(ctx.spool, str(tmp_path / "feeds" / "f.jsonl"), jsonl(LINES))
    ctx.seal([entry])
    assert ctx.deliver(entry).status == "stored"
    assert set(store.delivered_urls()) == {x["canonical_url"] for x in LINES}


def test_spooled_s3_feed_goes_to_the_configured_endpoint(
    tmp_path: Path, moto: MotoServer, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    for key, value in moto.env().items():
        monkeypatch.setenv(key, value)
    bucket = moto.new_bucket()
    ctx, _ = context_for(tmp_path)
    entry = ctx.spool.create(f"s3://{bucket}/a.jsonl", endpoint="http://127.0.0.1:9")
    entry.data_path.write_bytes(jsonl(LINES))
    ctx.seal([entry])
    # the endpoint was fixed since: the feed goes where the configuration says, with a warning
    with caplog.at_level("INFO"):
        (result,) = context_for(tmp_path)[0].flush()
    assert result.status == "stored"
    assert moto.objects(bucket) == {"a.jsonl": jsonl(LINES)}
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert "http://127.0.0.1:9" in warning and moto.endpoint in warning


def test_unsealed_feed_failure_says_it_is_not_kept(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ctx, _ = context_for(tmp_path)
    entry = spooled(ctx.spool, "feeds/a.jsonl", jsonl(LINES))
    with caplog.at_level("INFO"):
        result = ctx.report_failure(DeliveryError("could not seal the feed"), entry)
    assert result.status == "failed"
    (line,) = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert "emitted again" in line and "kept complete" not in line
