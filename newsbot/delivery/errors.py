"""Delivery errors."""

from __future__ import annotations

from newsbot.errors import ConfigError


class DeliveryError(Exception):
    """A feed could not be stored. The message says why in one line, without secrets.

    ``skipped`` is True when the store was not even attempted because the same target already
    failed earlier in the run.
    """

    def __init__(self, message: str, *, target: str = "", skipped: bool = False):
        super().__init__(message)
        self.target = target
        self.skipped = skipped


class FeedConfigError(ConfigError):
    """The feed configuration would lose or leak data; the crawl must not start."""
