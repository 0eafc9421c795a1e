"""A generic webhook alert: a spidermon action that POSTs the failed checks as JSON."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import Any

from spidermon.core.actions import Action
from spidermon.exceptions import NotConfigured

from newsbot import __version__, clock, conf, default_settings
from newsbot.extensions.summary import summary_of


class WebhookError(Exception):
    """The webhook did not take the alert (the message never holds the URL: it may carry a
    token)."""


def failure_message(error: str) -> str:
    """The assertion message of a failed monitor's traceback text."""
    match = re.search(r"AssertionError: (.*)\Z", error.strip(), re.S)
    return (match.group(1) if match else error.strip().splitlines()[-1]).strip()


class SendWebhook(Action):
    """POSTs ``{"source", "spider", "sent_at", "exit_code", "exit_status", "summary",
    "failed": [{"check", "message"}]}`` to ``NEWSBOT_ALERT_WEBHOOK_URL``."""

    def __init__(
        self, url: str | None = None,
        timeout: float = default_settings.NEWSBOT_ALERT_WEBHOOK_TIMEOUT,
    ):
        super().__init__()
        if not url:
            raise NotConfigured("NEWSBOT_ALERT_WEBHOOK_URL is not set")
        self.url = url
        self.timeout = timeout

    @classmethod
    def from_crawler_kwargs(cls, crawler: Any) -> dict[str, Any]:
        return {
            "url": conf.get(crawler.settings, "NEWSBOT_ALERT_WEBHOOK_URL"),
            "timeout": conf.getfloat(crawler.settings, "NEWSBOT_ALERT_WEBHOOK_TIMEOUT"),
        }

    def payload(self) -> dict[str, Any]:
        """The alert's JSON body."""
        crawler = self.data.crawler
        summary = summary_of(crawler) or {}
        return {
            "source": f"newsbot/{__version__}",
            "spider": crawler.spider.name if crawler.spider else None,
            "sent_at": clock.now().isoformat(timespec="seconds"),
            "exit_code": summary.get("exit_code"),
            "exit_status": summary.get("exit_status"),
            "started_at": summary.get("started_at"),
            "failed": [
                {"check": r.item.name, "message": failure_message(r.error or "")}
                for r in self.result.monitors_failed_results
            ],
        }

    def run_action(self) -> None:
        body = json.dumps(self.payload(), ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise WebhookError(f"the webhook answered HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = type(getattr(exc, "reason", exc)).__name__
            raise WebhookError(f"the webhook could not be reached: {reason}") from None
