"""Headlines without the site's name: "Headline | Site", "Site - Headline", "Headline – Section –
Site" become "Headline", for any site, registered or not.

A part of the title that a separator (see :data:`SEPARATORS`) cuts off at its start or end
goes when it names the site: one of the names the page or the registry gives
(``og:site_name``, ``application-name``, the publisher, the outlet's names), or the host name
the page lives on ("UKBDNEWS" on ukbdnews.com, "Belfast Telegraph" on
belfasttelegraph.co.uk). When the page's own ``<h1>`` is one of the parts, that part is the
headline.

A site that names itself nowhere else is learned across its pages (:class:`SiteNameLearner`):
a part at the start or end of the title that several pages of the same host share is the
site's name, and goes from the titles of that host's pages from then on.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable

from newsbot import default_settings
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


def _title_parts(title: str) -> tuple[str, list[str]]:
    """The title with its white space collapsed, and its separator-delimited parts."""
    title = " ".join(title.split())
    return title, [p.strip() for p in _SPLIT.split(title)]


class SiteNameLearner:
    """Site names learned from the titles of a site's pages during a crawl.

    :meth:`observe` notes the first and the last separator-delimited part of a page's title
    under the page's host; a part that the titles of ``min_pages`` different pages of that
    host share at the same edge is the site's name (or a template label beside it), and
    :meth:`strip` removes it from the host's titles. Memory stays bounded: at most
    ``max_hosts`` hosts (the least recently seen go first), ``max_parts`` candidate parts per
    host (the least seen go first), and at most ``min_pages`` page keys per candidate.
    """

    def __init__(self, min_pages: int = default_settings.NEWSBOT_TITLE_SITE_MIN_PAGES,
                 max_hosts: int = default_settings.NEWSBOT_TITLE_SITE_MAX_HOSTS,
                 max_parts: int = 32):
        self.min_pages = max(2, min_pages)
        self.max_hosts = max(1, max_hosts)
        self.max_parts = max(2, max_parts)
        # host -> (edge, part key) -> keys of the titles that had it (at most min_pages)
        self._hosts: OrderedDict[str, dict[tuple[str, str], set[str]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._hosts)

    def observe(self, host: str, title: str) -> None:
        """Note the edge parts of a page's ``title`` under ``host``."""
        if not host or not title:
            return
        title, parts = _title_parts(title)
        if len(parts) < 2 or not all(parts):
            return
        page = compare_key(title)
        counts = self._hosts.get(host)
        if counts is None:
            counts = self._hosts[host] = {}
            if len(self._hosts) > self.max_hosts:
                self._hosts.popitem(last=False)
        else:
            self._hosts.move_to_end(host)
        for edge, part in (("start", parts[0]), ("end", parts[-1])):
            key = compare_key(part)
            if not key or len(part.split()) > MAX_NAME_WORDS:
                continue
            pages = counts.get((edge, key))
            if pages is None:
                if len(counts) >= self.max_parts:
                    del counts[min(counts, key=lambda k: len(counts[k]))]
                pages = counts[(edge, key)] = set()
            if len(pages) < self.min_pages:
                pages.add(page)

    def learned(self, host: str) -> list[tuple[str, str]]:
        """(edge, part key) of the parts learned as the site's name for ``host``."""
        counts = self._hosts.get(host) or {}
        return [k for k, pages in counts.items() if len(pages) >= self.min_pages]

    def strip(self, host: str, title: str) -> str:
        """``title`` without the learned parts of ``host`` at its start and end (the headline
        itself, the last part standing, always stays)."""
        learned = set(self.learned(host)) if host else set()
        if not learned or not title:
            return title
        title, parts = _title_parts(title)
        if len(parts) < 2 or not all(parts):
            return title
        start, end = 0, len(parts)
        while end - start > 1 and ("end", compare_key(parts[end - 1])) in learned:
            end -= 1
        while end - start > 1 and ("start", compare_key(parts[start])) in learned:
            start += 1
        if (start, end) == (0, len(parts)):
            return title
        return _rejoin(title, parts[start:end])
