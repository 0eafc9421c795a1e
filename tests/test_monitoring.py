"""Alerts the Scrapy way: the spidermon suite (canary, delivery, drop rate) and its actions.

End to end: a webhook receiver on 127.0.0.1 gets one alert when the canary trips and one when
delivery fails (a local S3 server without the bucket); Slack and e-mail run in spidermon's fake
mode (the message goes to the log). Exit codes stay what the run summary decided, secrets stay
out of logs and summaries, and a run without alerts never imports spidermon."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Spider
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from spidermon.contrib.scrapy.runners import SpiderMonitorRunner

from newsbot.exitcodes import ExitCode
from newsbot.monitoring import monitors
from newsbot.monitoring import webhook as webhook_action
from newsbot.monitoring.addon import (
    EMAIL_ACTION,
    SLACK_ACTION,
    SPIDERMON_EXTENSION,
    SUITE,
    WEBHOOK_ACTION,
    MonitoringAddon,
    MonitoringConfigError,
)
from newsbot.monitoring.monitors import RunMonitorSuite, drop_rate
from newsbot.monitoring.webhook import SendWebhook, WebhookError, failure_message
from newsbot.sampleweb.server import serve
from tests.crawling import crawl_env, run_crawl
from tests.s3server import (
    MotoServer,
    env_for,
    free_port,
    moto,  # noqa: F401  (fixture)
    run,
    why,
)
from tests.test_canary import redesign_outlet
from tests.webhookserver import WebhookServer, webhook  # noqa: F401  (fixture)

TOKEN = "hook-token-5f1e9c"
SLACK_TOKEN = "xoxb-slack-token-77aa"
SMTP_PASSWORD = "smtp-password-31c4"
SECRET_VALUES = (TOKEN, SLACK_TOKEN, SMTP_PASSWORD)


def summary_text(workdir: Path) -> str:
    return (workdir / ".newsbot" / "last-run.json").read_text(encoding="utf-8")


def assert_no_secrets(*texts: str) -> None:
    for text in texts:
        for secret in SECRET_VALUES:
            assert secret not in text


# -- the add-on -----------------------------------------------------------------------------------


def addon_settings(env: dict[str, str], monkeypatch: pytest.MonkeyPatch, **values: Any) -> Settings:
    for name in ("NEWSBOT_ALERT_WEBHOOK_URL", "SPIDERMON_SLACK_RECIPIENTS", "SPIDERMON_EMAIL_TO",
                 "SPIDERMON_SLACK_SENDER_TOKEN", "SPIDERMON_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings({"EXTENSIONS": {"newsbot.extensions.summary.SummaryExtension": 510}})
    settings.setdict(values, priority="cmdline")
    MonitoringAddon().update_settings(settings)
    return settings


def test_without_a_channel_spidermon_stays_off(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = addon_settings({}, monkeypatch)
    assert not settings.getbool("SPIDERMON_ENABLED")
    assert SPIDERMON_EXTENSION not in settings.getdict("EXTENSIONS")
    assert not settings.getlist("SPIDERMON_ENGINE_STOP_MONITORS")


def test_each_channel_adds_its_action(monkeypatch: pytest.MonkeyPatch) -> None:
    hook = addon_settings({"NEWSBOT_ALERT_WEBHOOK_URL": "http://127.0.0.1:1/h"}, monkeypatch)
    assert hook.getbool("SPIDERMON_ENABLED")
    assert hook.getdict("EXTENSIONS")[SPIDERMON_EXTENSION] == 600
    assert hook.getlist("SPIDERMON_ENGINE_STOP_MONITORS") == [SUITE]
    assert hook.getlist("NEWSBOT_ALERT_ACTIONS") == [WEBHOOK_ACTION]
    assert hook.get("NEWSBOT_ALERT_WEBHOOK_URL") == "http://127.0.0.1:1/h"  # from the environment
    everything = addon_settings(
        {"NEWSBOT_ALERT_WEBHOOK_URL": "http://127.0.0.1:1/h",
         "SPIDERMON_EMAIL_TO": "ops@localhost"},
        monkeypatch,
        SPIDERMON_SLACK_RECIPIENTS="#newsbot",
    )
    assert everything.getlist("NEWSBOT_ALERT_ACTIONS") == [WEBHOOK_ACTION, SLACK_ACTION,
                                                           EMAIL_ACTION]
    assert everything.getlist("SPIDERMON_EMAIL_TO") == ["ops@localhost"]


@pytest.mark.parametrize(
    "name", ["NEWSBOT_ALERT_WEBHOOK_URL", "SPIDERMON_SLACK_SENDER_TOKEN", "SPIDERMON_SMTP_PASSWORD"]
)
def test_a_secret_in_settings_is_refused(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(MonitoringConfigError, match=f"{name} must come from the environment"):
        addon_settings({}, monkeypatch, **{name: "s3cr3t"})


def test_drop_rate_counts_the_ignored_reasons_as_fine() -> None:
    summary = {"items": {"scraped": 6}, "drops": {"http_404": 2, "unchanged": 50,
                                                  "duplicate_url": 3}}
    # the ignored drops are fine outcomes: 2 bad of 6 + 2 + 50 + 3
    rate, drops, total = drop_rate(summary)
    assert (round(rate, 4), drops, total) == (round(2 / 61, 4), {"http_404": 2}, 61)
    assert drop_rate(summary, ignore=[])[0] == 55 / 61
    assert drop_rate({"items": {"scraped": 0}, "drops": {}})[0] == 0.0


def test_failure_message_is_the_assertion_text() -> None:
    error = 'Traceback (most recent call last):\n  File "x"\nAssertionError: outlet a: gone\nmore\n'
    assert failure_message(error) == "outlet a: gone\nmore"


class _NoCrawler:
    spider = None


def no_run() -> tuple[Any, Any]:
    """Monitor data and result for an action run outside a crawl."""
    return SimpleNamespace(crawler=_NoCrawler()), SimpleNamespace(monitors_failed_results=[])


def test_an_unreachable_webhook_fails_without_showing_its_url() -> None:
    action = SendWebhook(url=f"http://127.0.0.1:{free_port()}/hook?token={TOKEN}", timeout=2)
    action.data, action.result = no_run()
    with pytest.raises(WebhookError) as caught:
        action.run_action()
    assert "could not be reached" in str(caught.value) and TOKEN not in str(caught.value)


def test_a_webhook_error_status_fails_the_action(webhook: WebhookServer) -> None:  # noqa: F811
    webhook.status = 500
    action = SendWebhook(url=webhook.url(TOKEN))
    action.data, action.result = no_run()
    with pytest.raises(WebhookError, match="HTTP 500"):
        action.run_action()
    assert len(webhook.received) == 1


class BnWorld(Spider):
    name = "bn_world"


def run_suite(
    summary: dict[str, Any], monkeypatch: pytest.MonkeyPatch, **settings: Any
) -> Any:
    """Run the monitor suite on ``summary`` with spidermon's own runner; returns its result."""
    for module in (monitors, webhook_action):
        monkeypatch.setattr(module, "summary_of", lambda crawler: summary)
    crawler = get_crawler(BnWorld, settings)
    crawler.spider = spider = BnWorld()
    return SpiderMonitorRunner(spider=spider).run(
        RunMonitorSuite(crawler=crawler), stats={}, crawler=crawler, spider=spider
    )


def run_summary(scraped: int, drops: dict[str, int]) -> dict[str, Any]:
    return {
        "exit_code": 0, "exit_status": "ok", "started_at": "2026-11-29T19:41:20+00:00",
        "items": {"scraped": scraped}, "drops": drops, "canary": {"tripped": False},
        "delivery": {"failed": False, "feeds": [], "spool_pending": 0},
    }  # fmt: skip


def test_a_high_drop_rate_alerts(
    monkeypatch: pytest.MonkeyPatch, webhook: WebhookServer  # noqa: F811
) -> None:
    summary = run_summary(10, {"not_article": 25, "http_404": 5, "unchanged": 100})
    monkeypatch.setenv("NEWSBOT_ALERT_WEBHOOK_URL", webhook.url(TOKEN))
    result = run_suite(summary, monkeypatch, NEWSBOT_ALERT_ACTIONS=[WEBHOOK_ACTION],
                       NEWSBOT_ALERT_WEBHOOK_URL=webhook.url(TOKEN),
                       NEWSBOT_MONITOR_MAX_DROP_RATE=0.1)
    assert [r.item.monitor_name for r in result.monitors_failed_results] == ["Drop rate"]
    (alert,) = webhook.received
    (failed,) = alert["body"]["failed"]
    assert failed["message"] == (
        "21% of 140 pages and items were dropped (limit 10%); most: not_article 25, http_404 5"
    )
    # within the default limit: no alert
    assert not run_suite(summary, monkeypatch).monitors_failed_results
    # too few pages to judge: skipped
    few = run_suite(run_summary(1, {"not_article": 5}), monkeypatch)
    assert not few.monitors_failed_results and len(few.skipped) == 1


# -- end to end -----------------------------------------------------------------------------------


def test_a_run_without_alerts_does_not_need_spidermon(tmp_path: Path, web: Any) -> None:
    blocker = tmp_path / "blocker" / "spidermon"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('spidermon is not installed here')\n")
    env = crawl_env(web.base_url)
    env["PYTHONPATH"] = os.pathsep.join([str(blocker.parent), env["PYTHONPATH"]])
    for name in ("NEWSBOT_ALERT_WEBHOOK_URL", "SPIDERMON_SLACK_RECIPIENTS", "SPIDERMON_EMAIL_TO"):
        env.pop(name, None)
    result = run_crawl(tmp_path / "run", web.base_url, outlets="songkolon", env=env)
    assert result.returncode == ExitCode.OK, result.log[-3000:]
    assert "Spidermon" not in result.log
    # the same run with an alert channel: refused before crawling, not a crash
    env["NEWSBOT_ALERT_WEBHOOK_URL"] = f"http://127.0.0.1:{free_port()}/hook"
    refused = run_crawl(tmp_path / "refused", web.base_url, outlets="songkolon", env=env)
    assert refused.returncode == ExitCode.CONFIG_ERROR, refused.log[-3000:]
    assert "spidermon cannot be imported" in refused.log


def test_canary_trip_sends_one_alert(
    tmp_path: Path, webhook: WebhookServer  # noqa: F811
) -> None:
    victim = redesign_outlet()
    outlets = ",".join(sorted({victim, "kalerkantho"}))
    args = ("-s", "NEWSBOT_REFETCH_WINDOW_HOURS=1000000",
            "-s", "NEWSBOT_REFETCH_SCHEDULE_HOURS=", "-s", "NEWSBOT_CONDITIONAL_REQUESTS=False")
    runs = {}
    for name, redesigned in (("before", ()), ("after", (victim,))):
        server = serve(port=0, redesigned=redesigned)
        try:
            env = env_for(server.base_url, NEWSBOT_ALERT_WEBHOOK_URL=webhook.url(TOKEN))
            proc = run(tmp_path, env, outlets, *args)
        finally:
            server.close()
        runs[name] = (proc, json.loads(summary_text(tmp_path)))
        if name == "before":
            assert proc.returncode == ExitCode.OK, why(proc)
            assert "[Spidermon] OK" in proc.stderr  # the suite ran and passed
            assert webhook.received == []  # no alert for a good run

    proc, summary = runs["after"]
    assert proc.returncode == ExitCode.CANARY_TRIPPED == summary["exit_code"], why(proc)
    (alert,) = webhook.received
    assert alert["path"] == f"/hook?token={TOKEN}"
    assert alert["content_type"].startswith("application/json")
    body = alert["body"]
    assert (body["spider"], body["exit_code"], body["exit_status"]) == (
        "bn_world", ExitCode.CANARY_TRIPPED, "canary_tripped")
    (failed,) = body["failed"]
    assert failed["check"].startswith("Outlet canary/")
    assert f"outlet {victim}:" in failed["message"]
    assert_no_secrets(proc.stderr, summary_text(tmp_path))


def test_delivery_failure_alerts_every_channel(
    tmp_path: Path, web: Any, moto: MotoServer, webhook: WebhookServer  # noqa: F811
) -> None:
    bucket = "newsbot-alerts-no-bucket"
    env = env_for(
        web.base_url,
        **moto.env(NEWSBOT_S3_BUCKET=bucket),
        NEWSBOT_ALERT_WEBHOOK_URL=webhook.url(TOKEN),
        SPIDERMON_SLACK_SENDER_TOKEN=SLACK_TOKEN,
        SPIDERMON_SMTP_PASSWORD=SMTP_PASSWORD,
    )
    channels = [
        "-s", "SPIDERMON_SLACK_FAKE=True", "-s", "SPIDERMON_SLACK_SENDER_NAME=newsbot",
        "-s", "SPIDERMON_SLACK_RECIPIENTS=#newsbot-alerts",
        "-s", "SPIDERMON_EMAIL_FAKE=True", "-s", "SPIDERMON_EMAIL_TO=ops@localhost",
        "-s", "SPIDERMON_EMAIL_SENDER=newsbot@localhost", "-s", "SPIDERMON_SMTP_HOST=127.0.0.1",
        "-s", "SPIDERMON_SMTP_USER=newsbot",
    ]  # fmt: skip
    proc = run(tmp_path, env, "prothomalo", *channels)
    assert proc.returncode == ExitCode.DELIVERY_FAILED, why(proc)
    (alert,) = webhook.received
    body = alert["body"]
    assert body["exit_code"] == ExitCode.DELIVERY_FAILED
    checks = {f["check"].split("/")[0]: f["message"] for f in body["failed"]}
    assert set(checks) == {"Delivery"}
    assert f"S3 bucket '{bucket}' does not exist" in checks["Delivery"]
    assert "python -m newsbot deliver" in checks["Delivery"]
    log = proc.stderr
    # spidermon's own actions ran too: Slack and e-mail in fake mode log what they would send
    assert "SendSlackMessageSpiderFinished... OK" in log
    assert "SendSmtpEmail... OK" in log
    assert "Subject: newsbot bn_world: 1 check(s) failed" in log
    assert "SendWebhook... OK" in log
    assert_no_secrets(log, summary_text(tmp_path))


def test_an_alert_that_cannot_be_sent_changes_no_exit_code(
    tmp_path: Path, web: Any, moto: MotoServer  # noqa: F811
) -> None:
    dead = f"http://127.0.0.1:{free_port()}/hook?token={TOKEN}"
    env = env_for(web.base_url, **moto.env(NEWSBOT_S3_BUCKET="newsbot-alerts-dead-hook"),
                  NEWSBOT_ALERT_WEBHOOK_URL=dead)
    proc = run(tmp_path, env, "prothomalo", "-s", "NEWSBOT_ALERT_WEBHOOK_TIMEOUT=2")
    assert proc.returncode == ExitCode.DELIVERY_FAILED, why(proc)
    assert "SendWebhook... ERROR" in proc.stderr
    assert "WebhookError: the webhook could not be reached" in proc.stderr
    assert_no_secrets(proc.stderr, summary_text(tmp_path))
