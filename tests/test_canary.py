"""Outlet canary: the comparison rules on synthetic run records, and a redesign on the sample web
caught end to end."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from newsbot.exitcodes import ExitCode
from newsbot.extensions.canary import CanaryExtension, compare, unreachable_alert
from newsbot.sampleweb import expected
from newsbot.sampleweb.server import serve
from newsbot.state import OutletRun, RunRecord, SQLiteStateStore
from tests.s3server import env_for, run, why

T0 = datetime(2026, 11, 1, tzinfo=UTC)
OUTLET_QUIET = "ittefaq"
FULL = {"title": 1.0, "body": 1.0, "published": 1.0, "authors": 0.8}


def outlet(oid: str, found: int, coverage: dict[str, float | None] | None = None,
           parsed: int | None = None, tripped: bool = False) -> OutletRun:
    return OutletRun(oid, found=found, parsed=found if parsed is None else parsed,
                     coverage=dict(coverage or FULL), tripped=tripped)


def history(*runs: list[OutletRun]) -> list[RunRecord]:
    """Run records, newest first."""
    return [
        RunRecord(f"r{i}", "bn_world", T0 + timedelta(hours=i), T0 + timedelta(hours=i, minutes=5),
                  "finished", 0, list(outlets))
        for i, outlets in enumerate(runs)
    ]


def test_nothing_to_compare_on_the_first_run() -> None:
    assert compare({"a": outlet("a", 0)}, []) == []


def test_outlet_dropping_to_zero_trips() -> None:
    past = history([outlet("a", 10), outlet("b", 8)], [outlet("a", 12), outlet("b", 9)])
    current = {"a": outlet("a", 11)}  # b found nothing at all
    (alert,) = compare(current, past)
    assert (alert.outlet_id, alert.kind, alert.baseline, alert.current) == ("b", "zero_articles",
                                                                           8.5, 0.0)
    assert current["b"].tripped and not current["a"].tripped
    assert "no articles found" in alert.message


def test_coverage_falling_by_more_than_the_share_trips() -> None:
    past = history([outlet("a", 10)], [outlet("a", 10)])
    ok = {"a": outlet("a", 10, {**FULL, "authors": 0.5})}  # 0.8 -> 0.5: lost 37.5 %
    assert compare(ok, past, max_drop=0.5) == []
    bad = {"a": outlet("a", 10, {**FULL, "authors": 0.3, "published": 0.0})}
    alerts = compare(bad, past, max_drop=0.5)
    assert sorted((a.field, a.baseline, a.current) for a in alerts) == [
        ("authors", 0.8, 0.3), ("published", 1.0, 0.0),
    ]
    assert all(a.kind == "coverage_drop" for a in alerts)
    # the share is a setting: with 0.9 only the field that vanished trips
    assert [a.field for a in compare(bad, past, max_drop=0.9)] == ["published"]


def test_small_samples_and_accepted_outlets_do_not_trip() -> None:
    past = history([outlet("a", 10)])
    few = {"a": outlet("a", 2, {**FULL, "published": 0.0})}
    assert compare(few, past, min_articles=3) == []
    bad = {"a": outlet("a", 10, {**FULL, "published": 0.0})}
    assert compare(bad, past, accept={"a"}) == []


def test_tripped_records_are_not_the_baseline() -> None:
    broken = {**FULL, "published": 0.0}
    past = history([outlet("a", 10, broken, tripped=True)], [outlet("a", 10)])
    # still broken: compared with the last good run, so it keeps tripping
    assert [a.field for a in compare({"a": outlet("a", 10, broken)}, past)] == ["published"]


def test_an_outlet_whose_pages_were_all_skipped_is_quiet_not_broken() -> None:
    past = history([outlet("a", 10)], [outlet("a", 12)])
    # every article page skipped as already delivered: found, nothing parsed, nothing new
    current = {"a": outlet("a", 11, {k: None for k in FULL}, parsed=0)}
    fresh = T0 + timedelta(hours=30)
    assert compare(current, past, newest=lambda _: fresh, stale_hours=48,
                   now=T0 + timedelta(hours=40)) == []
    assert not current["a"].tripped


def test_an_outlet_with_nothing_new_for_too_long_is_stale() -> None:
    past = history([outlet("a", 10)], [outlet("b", 5)], [outlet("b", 6)])
    current = {"a": outlet("a", 11, {k: None for k in FULL}, parsed=0),
               "b": outlet("b", 4, {k: None for k in FULL}, parsed=0)}
    newest = {"a": T0, "b": T0 + timedelta(hours=70)}
    (alert,) = compare(current, past, newest=newest.get, stale_hours=48,
                       now=T0 + timedelta(hours=72))
    assert (alert.outlet_id, alert.kind, alert.baseline, alert.current) == ("a", "stale", 48, 72)
    assert current["a"].tripped and not current["b"].tripped
    # something new this run, or the rule switched off: no alert
    current["a"].new = 1
    assert compare(current, past, newest=newest.get, stale_hours=48,
                   now=T0 + timedelta(hours=72)) == []
    current["a"].new = 0
    assert compare(current, past, newest=newest.get, stale_hours=0,
                   now=T0 + timedelta(hours=72)) == []


class BnWorld(Spider):
    name = "bn_world"


def test_baseline_survives_a_run_of_tripped_records(tmp_path: Any) -> None:
    """After NEWSBOT_CANARY_HISTORY tripped runs the outlet keeps its last good baseline."""
    crawler = get_crawler(BnWorld, {
        "NEWSBOT_STATE_PATH": str(tmp_path / "state.sqlite3"), "NEWSBOT_CANARY_HISTORY": 2,
    })
    crawler.spider = BnWorld()
    ext = CanaryExtension(crawler)
    store = SQLiteStateStore(tmp_path / "state.sqlite3")
    try:
        good = outlet("a", 10)
        for i, record in enumerate([good, outlet("a", 0, tripped=True),
                                    outlet("a", 0, tripped=True)]):
            start = datetime(2020, 1, 1, i, tzinfo=UTC)  # long before this run
            store.record_run(RunRecord(f"r{i}", "bn_world", start, start + timedelta(minutes=5),
                                       "finished", 5, [record]))
        report = ext.evaluate("finished")  # "a" still finds nothing
        assert [(a.outlet_id, a.kind, a.baseline) for a in report.alerts] == [
            ("a", "zero_articles", 10.0)
        ]
        assert report.baseline_runs == 1
        # the broken run is recorded tripped: it never becomes the baseline
        (newest,) = store.recent_runs("bn_world", 1)
        assert newest.run_id not in {"r0", "r1", "r2"}
        assert [(o.outlet_id, o.found, o.tripped) for o in newest.outlets] == [("a", 0, True)]
        assert [r.run_id for r in store.baseline_runs("bn_world", 2)] == ["r0"]
    finally:
        store.close()


def test_outlets_outside_this_run_are_not_judged() -> None:
    past = history([outlet("a", 10), outlet("b", 10)])
    assert compare({"a": outlet("a", 10)}, past, outlets={"a"}) == []


# -- end to end -----------------------------------------------------------------------------------


def redesign_outlet() -> str:
    """The outlet whose redesign is simulated: jugantor once the sample web has its articles."""
    counts: dict[str, int] = {}
    for a in expected.expected_articles():
        if a.lang == "bn":
            counts[a.outlet_id] = counts.get(a.outlet_id, 0) + 1
    return "jugantor" if counts.get("jugantor", 0) >= 3 else "prothomalo"


@pytest.fixture(scope="module")
def redesign(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("canary")
    victim = redesign_outlet()
    outlets = ",".join(sorted({victim, "kalerkantho"}))
    # every article page is fetched in both runs (the comparison needs parsed pages)
    args = ("-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000",
            "-s", "NEWSBOT_REFETCH_SCHEDULE_HOURS=", "-s", "NEWSBOT_CONDITIONAL_REQUESTS=False")
    out: dict[str, Any] = {"workdir": workdir, "victim": victim}
    for name, redesigned in (("before", ()), ("after", (victim,))):
        server = serve(port=0, redesigned=redesigned)
        try:
            proc = run(workdir, env_for(server.base_url), outlets, *args)
        finally:
            server.close()
        summary = json.loads((workdir / ".newsbot" / "last-run.json").read_text())
        out[name] = (proc, summary)
    return out


def test_normal_run_does_not_trip(redesign: dict[str, Any]) -> None:
    proc, summary = redesign["before"]
    assert proc.returncode == ExitCode.OK, why(proc)
    assert summary["canary"]["tripped"] is False
    assert summary["canary"]["outlets"][redesign["victim"]]["parsed"] >= 3


def test_redesign_trips_the_canary(redesign: dict[str, Any]) -> None:
    proc, summary = redesign["after"]
    victim = redesign["victim"]
    assert proc.returncode == ExitCode.CANARY_TRIPPED, why(proc)
    canary = summary["canary"]
    assert canary["tripped"] and canary["baseline_runs"] == 1
    assert {a["outlet_id"] for a in canary["alerts"]} == {victim}
    assert summary["exit_status"] == "canary_tripped"
    assert "canary_tripped" in summary["problems"]
    warnings = [line for line in proc.stderr.splitlines() if "Canary: outlet" in line]
    assert warnings and all(victim in line for line in warnings)
    assert len(warnings) == len(canary["alerts"])


def test_runs_are_kept_in_the_store(redesign: dict[str, Any]) -> None:
    store = SQLiteStateStore(redesign["workdir"] / ".newsbot" / "state.sqlite3")
    try:
        after, before = store.recent_runs("bn_world", 5)
    finally:
        store.close()
    assert (before.exit_code, after.exit_code) == (0, ExitCode.CANARY_TRIPPED)
    victim = redesign["victim"]
    assert [o.tripped for o in after.outlets if o.outlet_id == victim] == [True]
    assert [o.tripped for o in before.outlets if o.outlet_id == victim] == [False]


@pytest.fixture(scope="module")
def quiet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One outlet crawled three times with nothing new: twice now, once three days later."""
    from newsbot import clock

    workdir = tmp_path_factory.mktemp("quiet")
    skip_all = ("-s", "NEWSBOT_REFETCH_WINDOW_HOURS=0")  # every delivered page is skipped
    later = (clock.now() + timedelta(hours=72)).isoformat()
    out: dict[str, Any] = {}
    server = serve(port=0)
    try:
        for name, args, extra in (("first", (), {}), ("again", skip_all, {}),
                                  ("later", skip_all, {"NEWSBOT_NOW": later})):
            proc = run(workdir, env_for(server.base_url, **extra), OUTLET_QUIET, *args)
            summary = json.loads((workdir / ".newsbot" / "last-run.json").read_text())
            out[name] = (proc, summary)
    finally:
        server.close()
    return out


def test_an_outlet_with_nothing_new_does_not_trip(quiet: dict[str, Any]) -> None:
    proc, summary = quiet["again"]
    assert proc.returncode == ExitCode.OK, why(proc)
    # every article delivered by the first run was skipped; nothing is new
    delivered = quiet["first"][1]["items"]["new"]
    assert delivered > 0 and summary["items"]["refetch_skipped"] >= delivered
    assert summary["items"]["new"] == summary["items"]["revised"] == 0
    record = summary["canary"]["outlets"][OUTLET_QUIET]
    assert record["found"] >= delivered and record["parsed"] == 0
    assert summary["canary"]["tripped"] is False


def test_an_outlet_quiet_for_longer_than_the_limit_is_reported(quiet: dict[str, Any]) -> None:
    proc, summary = quiet["later"]
    assert proc.returncode == ExitCode.CANARY_TRIPPED, why(proc)
    (alert,) = summary["canary"]["alerts"]
    assert (alert["outlet_id"], alert["kind"], alert["baseline"]) == (OUTLET_QUIET, "stale", 48)
    assert alert["current"] >= 72


def test_a_run_where_no_page_answered_is_unreachable() -> None:
    assert unreachable_alert({"downloader/request_count": 12}).kind == "unreachable"
    assert unreachable_alert({"downloader/request_count": 12,
                              "downloader/response_count": 1}) is None
    assert unreachable_alert({}) is None  # nothing asked: nothing to say


def test_a_first_run_that_reaches_nothing_does_not_exit_0(tmp_path: Any) -> None:
    """Every request refused (the sample web's address is a closed port): no history, and still
    the canary trips and the run exits 5, every page a counted fetch error."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    proc = run(tmp_path, env_for(f"http://127.0.0.1:{closed}"), "prothomalo")
    assert proc.returncode == ExitCode.CANARY_TRIPPED, why(proc)
    summary = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text(encoding="utf-8"))
    assert [a["kind"] for a in summary["canary"]["alerts"]] == ["unreachable"]
    assert summary["stats"].get("downloader/response_count", 0) == 0
    assert summary["stats"]["downloader/request_count"] > 0
