"""newsbot's checks as spidermon monitors, read from the run summary (the same judgement the
exit code comes from), and the suite that runs them with the configured alert actions."""

from __future__ import annotations

from typing import Any

from scrapy.utils.misc import load_object
from spidermon import Monitor, MonitorSuite, monitors

from newsbot import conf, default_settings
from newsbot.extensions.summary import summary_of


class _SummaryMonitor(Monitor):
    """Base: the run summary and the crawler's settings."""

    @property
    def summary(self) -> dict[str, Any]:
        """The run summary (the monitor is skipped when there is none)."""
        summary = summary_of(self.data.crawler)
        if summary is None:
            self.skipTest("no run summary (the summary extension is off)")
        return summary

    @property
    def settings(self) -> Any:
        """The crawler's settings."""
        return self.data.crawler.settings


@monitors.name("Outlet canary")
class CanaryMonitor(_SummaryMonitor):
    """No outlet fell to zero articles or lost field coverage."""

    @monitors.name("no outlet tripped the canary")
    def test_canary_not_tripped(self) -> None:
        """Fails with the canary's findings."""
        canary = self.summary.get("canary") or {}
        alerts = canary.get("alerts") or []
        if canary.get("tripped"):
            self.fail("\n".join(a["message"] for a in alerts))


@monitors.name("Delivery")
class DeliveryMonitor(_SummaryMonitor):
    """Every feed of the run was stored."""

    @monitors.name("every feed was stored")
    def test_feeds_stored(self) -> None:
        """Fails with each feed that was not stored and why."""
        delivery = self.summary["delivery"]
        if delivery["failed"]:
            bad = [f for f in delivery["feeds"] if f["status"] != "stored"]
            lines = [f"{f['uri']}: {f['status']} ({f.get('error') or 'no detail'})" for f in bad]
            lines.append(
                f"{delivery['spool_pending']} feed(s) wait in the spool; the next run or "
                "`python -m newsbot deliver` stores them"
            )
            self.fail("\n".join(lines))


@monitors.name("Drop rate")
class DropRateMonitor(_SummaryMonitor):
    """Most fetched articles and pages became feed lines."""

    @monitors.name("drop rate within NEWSBOT_MONITOR_MAX_DROP_RATE")
    def test_drop_rate(self) -> None:
        """Fails with the rate and the most frequent reasons."""
        rate, drops, total = drop_rate(
            self.summary,
            ignore=conf.getlist(self.settings, "NEWSBOT_MONITOR_DROP_RATE_IGNORE"),
        )
        limit = conf.getfloat(self.settings, "NEWSBOT_MONITOR_MAX_DROP_RATE")
        least = conf.getint(self.settings, "NEWSBOT_MONITOR_DROP_RATE_MIN")
        if total < least:
            self.skipTest(f"only {total} pages and items (judged from {least})")
        if rate > limit:
            worst = sorted(drops.items(), key=lambda kv: -kv[1])[:5]
            self.fail(
                f"{rate:.0%} of {total} pages and items were dropped (limit {limit:.0%}); "
                "most: " + ", ".join(f"{reason} {n}" for reason, n in worst)
            )


def drop_rate(
    summary: dict[str, Any],
    ignore: list[str] | tuple[str, ...] = tuple(default_settings.NEWSBOT_MONITOR_DROP_RATE_IGNORE),
) -> tuple[float, dict[str, int], int]:
    """(share dropped, counted drops by reason, pages and items in all) of a run summary. Drops
    whose reason is in ``ignore`` count as fine outcomes (an unchanged article was delivered
    before), like the articles written."""
    ignored = set(ignore)
    drops = {r: int(n) for r, n in summary.get("drops", {}).items() if r not in ignored}
    fine = int(summary["items"]["scraped"]) + sum(
        int(n) for r, n in summary.get("drops", {}).items() if r in ignored
    )
    total = fine + sum(drops.values())
    return (sum(drops.values()) / total if total else 0.0), drops, total


class RunMonitorSuite(MonitorSuite):
    """Canary, delivery and drop rate; on failure, the actions in ``NEWSBOT_ALERT_ACTIONS``."""

    monitors = [CanaryMonitor, DeliveryMonitor, DropRateMonitor]  # noqa: RUF012

    def __init__(self, *args: Any, crawler: Any = None, **kwargs: Any):
        names = conf.getlist(crawler.settings, "NEWSBOT_ALERT_ACTIONS") if crawler else []
        kwargs["monitors_failed_actions"] = [load_object(name) for name in names]
        super().__init__(*args, crawler=crawler, **kwargs)
