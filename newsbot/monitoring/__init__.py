"""Alerts on a run's outcome as a spidermon monitor suite: the canary, delivery and drop-rate
checks, with spidermon's e-mail and Slack actions and a generic webhook (see
:mod:`newsbot.monitoring.addon` for the settings). Nothing here is imported unless alerts are
configured."""
