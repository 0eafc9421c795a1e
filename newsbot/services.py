"""Shared services a scaled-out crawl talks to (Redis, PostgreSQL): how they are named in
messages, and the error raised when one cannot be reached.

A service URL may carry a password (``redis://:secret@host``, ``postgresql://u:secret@host/db``);
:func:`redact_url` is the only form in which newsbot ever logs or prints one.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from newsbot import conf
from newsbot.errors import ConfigError

REDIS_URL_SETTING = "NEWSBOT_REDIS_URL"
STATE_URL_SETTING = "NEWSBOT_STATE_URL"


class ServiceUnavailable(ConfigError):
    """A service the run needs (state database, Redis) cannot be reached or refused us. The
    message names the service by its redacted URL and says why, in one line."""


def redact_url(url: str) -> str:
    """``url`` with any password (and query string, which may hold one) replaced by ``***``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user, sep, _password = userinfo.partition(":")
        netloc = f"{user}{':***' if sep else ''}@{hostport}"
    query = "***" if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def setting_or_env(settings: Any, name: str) -> str:
    """A setting's value, else the environment variable of the same name, else the setting's
    default (:mod:`newsbot.default_settings`), as a string."""
    value = settings.get(name) if settings is not None else None
    if value in (None, ""):
        value = os.environ.get(name, "")
    if value in (None, ""):
        value = conf.default(name)
    return str("" if value is None else value).strip()
