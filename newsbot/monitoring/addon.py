"""Turns spidermon on when an alert channel is configured (a Scrapy add-on, always listed in
``ADDONS``; without a channel it does nothing and spidermon is not even imported).

==================================== ===============================================================
setting (or environment variable)    meaning
==================================== ===============================================================
``NEWSBOT_ALERT_WEBHOOK_URL``        environment only: POST a JSON alert to this URL
``SPIDERMON_SLACK_RECIPIENTS``       Slack channels/users; with ``SPIDERMON_SLACK_SENDER_NAME`` and
                                     ``SPIDERMON_SLACK_SENDER_TOKEN`` (environment only)
``SPIDERMON_EMAIL_TO``               e-mail over SMTP; with ``SPIDERMON_EMAIL_SENDER``,
                                     ``SPIDERMON_SMTP_HOST``, ``SPIDERMON_SMTP_PORT``,
                                     ``SPIDERMON_SMTP_USER`` and ``SPIDERMON_SMTP_PASSWORD``
                                     (environment only)
``NEWSBOT_MONITORING_ENABLED``       run the monitors even without a channel (results in the log)
==================================== ===============================================================

Secrets come from the environment only: a run whose settings carry one stops before crawling
with exit code 7 (``CONFIG_ERROR``), like S3 credentials in settings.

The suite runs when the engine stops, after the run summary decided the exit code: spidermon
reports and alerts, it never changes the exit code.
"""

from __future__ import annotations

import importlib
import os

from scrapy.settings import BaseSettings

from newsbot import conf
from newsbot.delivery.errors import FeedConfigError

SUITE = "newsbot.monitoring.monitors.RunMonitorSuite"
SPIDERMON_EXTENSION = "spidermon.contrib.scrapy.extensions.Spidermon"
WEBHOOK_ACTION = "newsbot.monitoring.webhook.SendWebhook"
SLACK_ACTION = "spidermon.contrib.actions.slack.notifiers.SendSlackMessageSpiderFinished"
EMAIL_ACTION = "spidermon.contrib.actions.email.smtp.SendSmtpEmail"
#: Values that would leak if kept in settings files or on command lines.
SECRETS = ("NEWSBOT_ALERT_WEBHOOK_URL", "SPIDERMON_SLACK_SENDER_TOKEN", "SPIDERMON_SMTP_PASSWORD")
#: Plain settings that may also come from the environment.
FROM_ENV = (
    "SPIDERMON_SLACK_RECIPIENTS",
    "SPIDERMON_SLACK_SENDER_NAME",
    "SPIDERMON_EMAIL_TO",
    "SPIDERMON_EMAIL_SENDER",
    "SPIDERMON_SMTP_HOST",
    "SPIDERMON_SMTP_PORT",
    "SPIDERMON_SMTP_USER",
)
DEFAULT_EMAIL_SUBJECT = (
    "newsbot {{ data.spider.name }}: {{ result.monitors_failed_results|length }} check(s) failed"
)


class MonitoringConfigError(FeedConfigError):
    """The alert configuration would leak a secret or cannot work; the crawl must not start."""


def alert_actions(settings: BaseSettings) -> list[str]:
    """The spidermon actions the settings configure (import paths)."""
    actions = []
    if conf.get(settings, "NEWSBOT_ALERT_WEBHOOK_URL"):
        actions.append(WEBHOOK_ACTION)
    if settings.getlist("SPIDERMON_SLACK_RECIPIENTS") or settings.getbool("SPIDERMON_SLACK_FAKE"):
        actions.append(SLACK_ACTION)
    if settings.getlist("SPIDERMON_EMAIL_TO"):
        actions.append(EMAIL_ACTION)
    return actions


class MonitoringAddon:
    """Enables spidermon with newsbot's monitor suite and the configured alert actions."""

    def update_settings(self, settings: BaseSettings) -> None:
        """Bring secrets and plain values in from the environment; enable spidermon if asked."""
        leaked = [name for name in SECRETS if settings.get(name)]
        if leaked:
            raise MonitoringConfigError(
                f"{', '.join(leaked)} must come from the environment, not from settings"
            )
        for name in (*SECRETS, *FROM_ENV):
            if not settings.get(name) and os.environ.get(name):
                settings.set(name, os.environ[name], priority="addon")
        actions = alert_actions(settings)
        if not actions and not conf.getbool(settings, "NEWSBOT_MONITORING_ENABLED"):
            return
        try:
            importlib.import_module("spidermon")
        except ImportError as exc:
            raise MonitoringConfigError(
                f"alerts are configured but spidermon cannot be imported ({exc})"
            ) from None
        settings.set("SPIDERMON_ENABLED", True, priority="addon")
        settings.set("NEWSBOT_ALERT_ACTIONS", actions, priority="addon")
        extensions = settings.getdict("EXTENSIONS")
        extensions.setdefault(SPIDERMON_EXTENSION, 600)
        settings.set("EXTENSIONS", extensions, priority=settings.getpriority("EXTENSIONS"))
        suites = settings.getlist("SPIDERMON_ENGINE_STOP_MONITORS")
        if SUITE not in suites:
            settings.set("SPIDERMON_ENGINE_STOP_MONITORS", [*suites, SUITE], priority="addon")
        if not settings.get("SPIDERMON_EMAIL_SUBJECT"):
            settings.set("SPIDERMON_EMAIL_SUBJECT", DEFAULT_EMAIL_SUBJECT, priority="addon")
