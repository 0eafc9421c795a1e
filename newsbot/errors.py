"""Errors that stop newsbot before it does anything (exit code ``CONFIG_ERROR``)."""

from __future__ import annotations


class ConfigError(Exception):
    """A setting or a data file is wrong in a way that would lose or leak data, or hide an
    error; the crawl must not start. The message names the setting or the file (and line)."""
