"""Reading newsbot's settings: a ``NEWSBOT_*`` setting's value, else its default from
:mod:`newsbot.default_settings` — so a bare ``Settings()``, a CLI command or a test crawler sees
the same defaults as a crawl with the project settings, and no component repeats a default.

``getint(settings, "NEWSBOT_MAX_LISTING_PAGES")`` is ``settings.getint(name, <the default>)``; a
name without a default raises ``KeyError`` (a misspelt or undeclared setting fails loudly).
"""

from __future__ import annotations

from typing import Any

from newsbot import default_settings

#: Every NEWSBOT_* setting and its default.
DEFAULTS: dict[str, Any] = {
    name: value for name, value in vars(default_settings).items() if name.startswith("NEWSBOT_")
}


def default(name: str) -> Any:
    """The default of setting ``name`` (a fresh copy of a list, so callers may change it)."""
    value = DEFAULTS[name]
    return list(value) if isinstance(value, list) else value


def get(settings: Any, name: str) -> Any:
    """The setting's value (None or missing: its default)."""
    return settings.get(name, default(name))


def get_or_default(settings: Any, name: str) -> Any:
    """The setting's value; its default when it is missing, None or empty (paths, names)."""
    value = settings.get(name) if settings is not None else None
    return default(name) if value in (None, "") else value


def getint(settings: Any, name: str) -> int:
    """The setting as an int."""
    return settings.getint(name, default(name))


def getfloat(settings: Any, name: str) -> float:
    """The setting as a float."""
    return settings.getfloat(name, default(name))


def getbool(settings: Any, name: str) -> bool:
    """The setting as a bool (``"0"``, ``"False"``, … are false, as in Scrapy)."""
    return settings.getbool(name, default(name))


def getlist(settings: Any, name: str) -> list[Any]:
    """The setting as a list (a comma-separated string is split, as in Scrapy)."""
    return settings.getlist(name, default(name))
