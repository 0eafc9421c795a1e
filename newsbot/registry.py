"""The outlet registry: Bengali news outlets, their names, domains and start points.

The facts live in ``newsbot/data/outlets.tsv``; this module only loads and indexes them. A value
that ends in ``?`` in the file was not verified and is kept with ``verified=False``.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from newsbot.data import read_text
from newsbot.text import compare_key, nfc
from newsbot.urls import host_matches

REGISTRY_FILE = "outlets.tsv"
# Words a name may be printed with or without: "দৈনিক ইত্তেফাক" is ইত্তেফাক.
OPTIONAL_NAME_WORDS = ("দৈনিক", "দি", "দ্য", "the", "daily")


@dataclass(frozen=True)
class Fact:
    """One value from the registry and whether it was verified."""

    value: str
    verified: bool = True


@dataclass(frozen=True)
class Outlet:
    """A news outlet as the registry describes it."""

    id: str
    name_bn: str
    name_en: str
    names: tuple[Fact, ...]
    domains: tuple[Fact, ...]
    country: str
    timezone: str
    world_section: tuple[Fact, ...]
    feeds: tuple[Fact, ...]
    sitemaps: tuple[Fact, ...]
    status: str
    notes: str = ""
    name_keys: frozenset[str] = field(default=frozenset(), compare=False)

    def start_points(self, days: Iterable[date]) -> list[tuple[str, str]]:
        """(URL, kind) of the world-section listing ("listing"), the feeds ("feed") and the news
        sitemaps ("sitemap"), a dated sitemap once for each of ``days`` (``{YYYY-MM-DD}``)."""
        points = [(f.value, "listing") for f in self.world_section]
        points += [(f.value, "feed") for f in self.feeds]
        for day in days:
            for fact in self.sitemaps:
                point = (fact.value.replace("{YYYY-MM-DD}", day.isoformat()), "sitemap")
                if point not in points:
                    points.append(point)
        return points

    @property
    def hosts(self) -> list[str]:
        """Host names the outlet publishes under (without paths)."""
        return sorted({d.value.split("/", 1)[0] for d in self.domains})


def _facts(cell: str) -> tuple[Fact, ...]:
    facts = []
    for raw in cell.split("|"):
        raw = nfc(raw.strip())
        if raw:
            unverified = raw.endswith("?")
            facts.append(Fact(raw.rstrip("?").strip(), verified=not unverified))
    return tuple(facts)


def name_keys(name: str) -> set[str]:
    """Comparison keys of an outlet name, with and without optional words such as "দৈনিক"."""
    words = nfc(name).split()
    core = [w for w in words if w.casefold() not in OPTIONAL_NAME_WORDS]
    return {k for k in (compare_key(name), compare_key(" ".join(core))) if k}


def _read_rows() -> Iterator[dict[str, str]]:
    text = read_text(REGISTRY_FILE)
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t")


def _outlet(row: dict[str, str]) -> Outlet:
    names = _facts("|".join([row["name_bn"], row["name_variants"], row["name_en"]]))
    keys: set[str] = set()
    for fact in names:
        keys |= name_keys(fact.value)
    return Outlet(
        id=row["outlet_id"],
        name_bn=nfc(row["name_bn"]),
        name_en=row["name_en"],
        names=names,
        domains=tuple(Fact(f.value.lower(), f.verified) for f in _facts(row["domains"])),
        country=row["country"],
        timezone=row["timezone"],
        world_section=_facts(row["world_section"]),
        feeds=_facts(row["feeds"]),
        sitemaps=_facts(row["sitemaps"]),
        status=row["status"],
        notes=row.get("notes") or "",
        name_keys=frozenset(keys),
    )


class Registry:
    """Look-ups over a set of outlets: by id, by any spelling of a name, by URL or host."""

    def __init__(self, outlets: Iterable[Outlet]):
        self.outlets: tuple[Outlet, ...] = tuple(outlets)
        self._by_id = {o.id: o for o in self.outlets}
        self._by_key: dict[str, Outlet] = {}
        for outlet in self.outlets:
            for key in outlet.name_keys:
                self._by_key.setdefault(key, outlet)
        # Longest domain (and path) first, so www.bbc.com/bengali beats bbc.com.
        self._domains = sorted(
            ((d.value, o) for o in self.outlets for d in o.domains),
            key=lambda pair: len(pair[0]),
            reverse=True,
        )
        #: host -> its (path, outlet) candidates in ``_domains`` order; hosts are few (a
        #: crawl's outlets and the sites they link to), the cache is emptied when full.
        self._host_domains: dict[str, list[tuple[str, Outlet]]] = {}

    #: Hosts whose candidate domains :meth:`by_url` remembers.
    HOST_CACHE = 4096

    def _candidates(self, host: str) -> list[tuple[str, Outlet]]:
        found = self._host_domains.get(host)
        if found is None:
            found = []
            for domain, outlet in self._domains:
                dom_host, _, dom_path = domain.partition("/")
                if host_matches(host, dom_host):
                    found.append((dom_path, outlet))
            if len(self._host_domains) >= self.HOST_CACHE:
                self._host_domains.clear()
            self._host_domains[host] = found
        return found

    def by_id(self, outlet_id: str) -> Outlet | None:
        """The outlet with this id, or None."""
        return self._by_id.get(outlet_id)

    def by_name(self, name: str) -> Outlet | None:
        """The outlet printed under ``name`` (any registered spelling, with or without "দৈনিক",
        internal spaces or punctuation, precomposed or decomposed য়/ড়/ঢ়), or None."""
        for key in name_keys(name):
            if key in self._by_key:
                return self._by_key[key]
        return None

    def by_url(self, url_or_host: str) -> Outlet | None:
        """The outlet that publishes at this URL or host (subdomains included), or None."""
        text = url_or_host.strip()
        try:
            parts = urlsplit(text if "//" in text else f"//{text}")
            host = (parts.hostname or "").lower().rstrip(".")
        except ValueError:  # a URL that does not parse belongs to no outlet
            return None
        path = parts.path or "/"
        for dom_path, outlet in self._candidates(host):
            if dom_path and not (path + "/").startswith(f"/{dom_path}/"):
                continue
            return outlet
        return None

    def select(self, ids: Iterable[str]) -> list[Outlet]:
        """Outlets for the given ids, in that order; an unknown id raises ``KeyError``."""
        chosen = []
        for outlet_id in ids:
            outlet = self.by_id(outlet_id.strip())
            if outlet is None:
                raise KeyError(f"unknown outlet id {outlet_id!r}; see newsbot/data/{REGISTRY_FILE}")
            chosen.append(outlet)
        return chosen

    def __iter__(self) -> Iterator[Outlet]:
        return iter(self.outlets)

    def __len__(self) -> int:
        return len(self.outlets)


@functools.cache
def load_registry() -> Registry:
    """The bundled registry (loaded once)."""
    return Registry(_outlet(row) for row in _read_rows())
