"""Is a page's declared canonical URL believable?

A ``rel=canonical`` (or ``og:url``) is the site's word on which URL an article lives at, and
newsbot keeps one record per canonical URL. A site that points every article at its home page,
a section page or another host would collapse many articles into one record, so a declared URL
is ignored — and the fetched URL, cleaned, used — when it

* is on another site (``other_host``: neither the same host, nor a host of the same registered
  outlet, nor the same domain under ``www.``/``m.``/``amp.``),
* is the site's home page (``home``),
* is a section above the page (``section``: its path is a leading part of the page's path, or a
  single word where the page's path is longer), or one of the outlet's listing pages
  (``listing``).

That many distinct pages of one run share one canonical URL is judged in the crawl
(:mod:`newsbot.pipelines.canonical`, ``shared``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsbot.registry import load_registry
from newsbot.urls import canonicalize_url

_PREFIXES = ("www.", "m.", "amp.", "mobile.")
_WORD_RE = re.compile(r"[a-z]+")  # a section name; article slugs carry hyphens or digits


def _site(host: str) -> str:
    for prefix in _PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def _same_site(page: str, declared: str) -> bool:
    a, b = urlsplit(page).hostname or "", urlsplit(declared).hostname or ""
    if a == b or _site(a) == _site(b):
        return True
    registry = load_registry()
    outlet = registry.by_url(page)
    return outlet is not None and registry.by_url(declared) is outlet


def _segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s]


def _is_listing(declared: str) -> bool:
    outlet = load_registry().by_url(declared)
    if outlet is None:
        return False
    return declared in {canonicalize_url(fact.value) for fact in outlet.world_section}


def judge(page_url: str, declared: str | None) -> tuple[str, str | None]:
    """The canonical URL to use for a page fetched at ``page_url`` that declares ``declared``,
    and why the declaration was ignored (None when it was used or there was none)."""
    own = canonicalize_url(page_url)
    if not declared:
        return own, None
    try:
        target = canonicalize_url(declared)
    except ValueError:
        return own, "unparsable"
    if target == own:
        return own, None
    if not _same_site(own, target):
        return own, "other_host"
    theirs, ours = _segments(target), _segments(own)
    if not theirs:
        return own, "home"
    if len(theirs) < len(ours) and (
        ours[: len(theirs)] == theirs or (len(theirs) == 1 and _WORD_RE.fullmatch(theirs[0]))
    ):
        return own, "section"
    if _is_listing(target):
        return own, "listing"
    return target, None
