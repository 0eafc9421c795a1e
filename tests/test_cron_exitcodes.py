"""Cron safety: the run lock, the exit codes, the run summary and the deploy files."""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from newsbot.exitcodes import PRECEDENCE, ExitCode, pick
from newsbot.runlock import LockHeld, RunLock, held_here
from tests.s3server import REPO, deliver, env_for, local_feed_records, run, why

OUTLET = "prothomalo"


class ExplodingSpiderMiddleware:
    """Test helper: the spider callback for the first article page raises."""

    def __init__(self) -> None:
        self.exploded = False

    def process_spider_output(self, response: Any, result: Any) -> Any:
        yield from result
        if response.meta.get("newsbot_kind") == "article" and not self.exploded:
            self.exploded = True
            raise ValueError("callback blew up")

    async def process_spider_output_async(self, response: Any, result: Any) -> Any:
        async for item in result:
            yield item
        if response.meta.get("newsbot_kind") == "article" and not self.exploded:
            self.exploded = True
            raise ValueError("callback blew up")


def last_run(workdir: Path) -> dict[str, Any]:
    return json.loads((workdir / ".newsbot" / "last-run.json").read_text(encoding="utf-8"))


def test_exit_codes_are_distinct_and_ordered() -> None:
    values = [c.value for c in ExitCode]
    assert len(values) == len(set(values))
    assert ExitCode.OK == 0 and all(c != 0 for c in ExitCode if c is not ExitCode.OK)
    assert pick([]) is ExitCode.OK
    assert pick([ExitCode.CANARY_TRIPPED, ExitCode.DELIVERY_FAILED]) is ExitCode.DELIVERY_FAILED
    assert pick([ExitCode.CANARY_TRIPPED, ExitCode.SPIDER_ERRORS]) is ExitCode.SPIDER_ERRORS
    assert PRECEDENCE.index(ExitCode.DELIVERY_FAILED) < PRECEDENCE.index(ExitCode.CANARY_TRIPPED)


def test_successful_run_writes_summary_beside_the_feed(tmp_path: Path, web: Any) -> None:
    proc = run(tmp_path, env_for(web.base_url), OUTLET)
    assert proc.returncode == ExitCode.OK, why(proc)
    (feed,) = [p for p in (tmp_path / "feeds").rglob("*.jsonl") if "rejects" not in p.name]
    assert re.fullmatch(r"feeds/bn_world/\d{4}-\d\d-\d\d/\d{8}T\d{6}Z\.jsonl",
                        feed.relative_to(tmp_path).as_posix())
    beside = feed.with_name(feed.name.replace(".jsonl", ".summary.json"))
    summary = json.loads(beside.read_text(encoding="utf-8"))
    assert summary == last_run(tmp_path)
    records = local_feed_records(tmp_path)
    assert summary["exit_code"] == 0 and summary["exit_status"] == "ok"
    assert summary["problems"] == []
    assert summary["finish_reason"] == "finished"
    assert summary["duration_seconds"] > 0
    assert summary["outlets"][OUTLET]["scraped"] == len(records)
    assert summary["outlets"][OUTLET]["new"] == len(records)
    assert summary["items"]["scraped"] == len(records)
    drops = {k[len("newsbot/drop/"):]: v for k, v in summary["stats"].items()
             if k.startswith("newsbot/drop/")}
    assert summary["drops"] == drops and drops
    (result,) = summary["delivery"]["feeds"]
    assert result["status"] == "stored" and result["items"] == len(records)
    assert result["uri"] == feed.relative_to(tmp_path).as_posix()
    assert summary["canary"]["evaluated"] is True


def test_second_run_while_one_runs_exits_at_once(tmp_path: Path, web: Any) -> None:
    lock_path = tmp_path / ".newsbot" / "run.lock"
    with RunLock(lock_path):
        began = time.monotonic()
        proc = run(tmp_path, env_for(web.base_url), OUTLET)
        took = time.monotonic() - began
        assert proc.returncode == ExitCode.LOCK_HELD
        assert "another newsbot run holds the lock" in proc.stderr
        assert "not starting a second run" in proc.stderr
        assert "Spider opened" not in proc.stderr
        assert took < 30
        assert not (tmp_path / "feeds").exists()
        # the deliver command respects the lock too
        assert deliver(tmp_path, env_for(web.base_url)).returncode == ExitCode.LOCK_HELD
    assert run(tmp_path, env_for(web.base_url), OUTLET).returncode == ExitCode.OK


def test_a_bad_spider_argument_or_outlet_setting_stops_the_run_with_one_line(
    tmp_path: Path, web: Any
) -> None:
    env = env_for(web.base_url)
    cases = [
        (["nosuch"], ExitCode.USAGE, "-a outlets: unknown outlet id 'nosuch'"),
        ([OUTLET, "-a", "start_urls=https://example.com/x"], ExitCode.USAGE,
         "-a start_urls outside every registered outlet"),
        (["", "-s", "NEWSBOT_OUTLETS=nosuch"], ExitCode.CONFIG_ERROR,
         "NEWSBOT_OUTLETS: unknown outlet id 'nosuch'"),
    ]
    for args, code, message in cases:
        proc = run(tmp_path, env, *args)
        assert (proc.returncode, message in proc.stderr) == (code, True), proc.stderr[-2000:]
        assert "Traceback" not in proc.stderr and "Spider opened" not in proc.stderr
    assert not (tmp_path / "feeds").exists()
    unknown = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "bn_wrold"], cwd=tmp_path,
                             env=env, capture_output=True, text=True, timeout=120)
    assert unknown.returncode == ExitCode.USAGE
    assert "no spider named 'bn_wrold'" in unknown.stderr and "Traceback" not in unknown.stderr


def test_run_lock_is_exclusive(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    with RunLock(path):
        assert held_here(path)
        with pytest.raises(LockHeld, match=f"pid {os.getpid()}"):
            RunLock(path).acquire()
    assert not held_here(path)
    with RunLock(path):
        pass


def test_lock_of_a_killed_run_is_free(tmp_path: Path) -> None:
    path = tmp_path / "run.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from newsbot.runlock import RunLock; "
         f"RunLock({str(path)!r}).acquire(); print('held', flush=True); time.sleep(60)"],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(LockHeld, match=f"pid {holder.pid}"):
            RunLock(path).acquire()
    finally:
        holder.kill()
        holder.wait()
    with RunLock(path) as lock:
        assert lock.held


def test_callback_errors_exit_code(tmp_path: Path, web: Any) -> None:
    mw = json.dumps({f"{__name__}.ExplodingSpiderMiddleware": 1})
    proc = run(tmp_path, env_for(web.base_url), OUTLET, "-s", f"SPIDER_MIDDLEWARES={mw}")
    assert proc.returncode == ExitCode.SPIDER_ERRORS, why(proc)
    summary = last_run(tmp_path)
    assert summary["errors"]["callback_errors"] >= 1
    assert summary["errors"]["spider_exceptions"] == {"ValueError": 1}
    assert summary["exit_status"] == "spider_errors"
    # the other articles were still delivered
    assert len(local_feed_records(tmp_path)) == summary["items"]["scraped"] > 0


def test_interrupted_run_exit_code(tmp_path: Path, web: Any) -> None:
    proc = run(tmp_path, env_for(web.base_url), OUTLET, "-s", "CLOSESPIDER_ITEMCOUNT=2")
    assert proc.returncode == ExitCode.INTERRUPTED, why(proc)
    summary = last_run(tmp_path)
    assert summary["finish_reason"] == "closespider_itemcount"
    assert summary["canary"]["evaluated"] is False
    # what was scraped was delivered
    assert len(local_feed_records(tmp_path)) == summary["items"]["scraped"] >= 2


# -- deploy files ---------------------------------------------------------------------------------

DEPLOY = REPO / "deploy"


def test_crontab_example_runs_the_crawl_and_the_spool() -> None:
    jobs = [
        line for line in (DEPLOY / "crontab.example").read_text().splitlines()
        if line.strip() and not line.startswith("#") and "=" not in line.split()[0]
    ]
    commands = []
    for job in jobs:
        fields = job.split(None, 5)
        assert len(fields) == 6, job
        for field in fields[:5]:
            assert re.fullmatch(r"[\d*/,-]+", field), job
        commands.append(fields[5])
    assert any("scrapy crawl bn_world" in c for c in commands)
    assert any("python -m newsbot deliver" in c for c in commands)
    # cron treats a bare % as a newline: every % must be escaped
    for command in commands:
        assert not re.search(r"(?<!\\)%", command), command
    assert "AWS_SECRET_ACCESS_KEY=" not in "".join(commands)


def test_systemd_units() -> None:
    service = configparser.ConfigParser(strict=False, interpolation=None)
    service.read(DEPLOY / "newsbot.service")
    exec_start = shlex.split(service["Service"]["ExecStart"])
    assert exec_start[0].endswith("/scrapy") and exec_start[1:3] == ["crawl", "bn_world"]
    assert service["Service"]["Type"] == "oneshot"
    assert str(int(ExitCode.LOCK_HELD)) in service["Service"]["SuccessExitStatus"].split()
    assert service["Service"]["EnvironmentFile"].lstrip("-").startswith("/etc/")
    timer = configparser.ConfigParser(strict=False, interpolation=None)
    timer.read(DEPLOY / "newsbot.timer")
    assert timer["Timer"]["Unit"] == "newsbot.service"
    assert timer["Timer"]["OnCalendar"]
    assert timer["Timer"]["Persistent"] == "true"
