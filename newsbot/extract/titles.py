"""Headlines without the site's name: "Headline | Site", "Site - Headline", "Headline – Section –
Site" become "Headline", for any site, registered or not.

A part of the title that a separator (see :data:`SEPARATORS`) cuts off at its start or end
goes when it names the site: one of the names the page or the registry gives
(``og:site_name``, ``application-name``, the publisher, the outlet's names), or the host name
the page lives on ("UKBDNEWS" on ukbdnews.com, "Belfast Telegraph" on
belfasttelegraph.co.uk). When the page's own ``<h1>`` is one of the parts, that part is the
headline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsbot.text import compare_key

SEPARATORS = (" || ", " | ", " - ", " – ", " — ", " :: ", " : ", " » ", " · ", " / ", " ।")
#: A site name is at most this many words.
MAX_NAME_WORDS = 6
#: A host name part shorter than this says too little to be the site's name.
MIN_HOST_KEY = 4
# cut at any separator (" ।" ends a Bengali sentence: the site name may follow it)
_SPLIT = re.compile("|".join(re.escape(s) if s != " ।" else r"\s+।\s*" for s in SEPARATORS))
_ASCII_KEY = re.compile(r"[^0-9a-z]+")
_HOST_NOISE = frozenset({"www", "m", "amp", "mobile", "en", "bn", "news", "com", "org", "net",
                         "co", "bd", "in", "uk", "info", "online", "tv"})


def _host_keys(host: str) -> set[str]:
    """Keys of a host's name parts that can stand for the site ("ukbdnews" of
    www.ukbdnews.com)."""
    labels = [p for p in host.lower().split(".") if p]
    return {label for label in labels if label not in _HOST_NOISE and len(label) >= MIN_HOST_KEY}


def _names_site(part: str, names: set[str], host_keys: set[str]) -> bool:
    if len(part.split()) > MAX_NAME_WORDS:
        return False
    key = compare_key(part)
    if not key:
        return False
    if key in names:
        return True
    ascii_key = _ASCII_KEY.sub("", part.casefold())
    if len(ascii_key) < MIN_HOST_KEY:
        return False
    # "Belfast Telegraph" on belfasttelegraph.co.uk, "UKBDNEWS.com" on ukbdnews.com
    return any(ascii_key == k or ascii_key == f"{k}com" or (len(ascii_key) >= 6 and
               ascii_key in k) for k in host_keys)


def strip_site_name(title: str, names: Iterable[str] = (), host: str = "",
                    headline: str = "") -> str:
    """``title`` without the site-name parts at its start or end (see the module docstring).

    ``names``: the site's names (page metadata, registry); ``host``: the page's host name;
    ``headline``: the page's ``<h1>`` text, which wins when it is one of the title's parts."""
    title = " ".join(title.split())
    parts = [p.strip() for p in _SPLIT.split(title)]
    if len(parts) < 2 or not all(parts):
        return title
    if headline:
        key = compare_key(headline)
        for part in parts:
            if key and compare_key(part) == key and len(part) < len(title):
                return part
    name_keys = {compare_key(n) for n in names if n and n.strip()}
    name_keys.discard("")
    host_keys = _host_keys(host) if host else set()
    start, end = 0, len(parts)
    while end - start > 1 and _names_site(parts[end - 1], name_keys, host_keys):
        end -= 1
    while end - start > 1 and _names_site(parts[start], name_keys, host_keys):
        start += 1
    if (start, end) == (0, len(parts)):
        return title
    return _rejoin(title, parts[start:end])


def _rejoin(title: str, kept: list[str]) -> str:
    """The kept parts with the separators the title had between them."""
    first, last = kept[0], kept[-1]
    begin = title.find(first)
    stop = title.rfind(last) + len(last)
    if begin < 0 or stop < begin:
        return " ".join(kept)
    return title[begin:stop].strip()
