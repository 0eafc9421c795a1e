"""Outlet profiles: per-outlet selectors kept as data in ``newsbot/data/profiles/<outlet>.toml``.

A profile lists URL patterns of article pages, listing/next-page selectors for the spider, and
one or more layout *versions*. The newest version whose ``detect`` selector matches a page is
used; every field selector list is tried in order and the first non-empty result wins (the
extractor then falls back to structured metadata and the generic extractor field by field).
All profiles are loaded once per process.

Selectors: a string starting with "/" or "(" is XPath, otherwise CSS (parsel ``::text`` and
``::attr()``); ``<selector> >> <JMESPath>`` reads embedded JSON (see
:mod:`newsbot.extract.selectors`). Selectors that compile but match nothing on a page fail soft:
the extractor falls back field by field and counts the miss
(:func:`newsbot.statskeys.profile_miss`).

A profile file that cannot be read, or a selector or URL pattern in it that does not compile,
is a :class:`ProfileError` (a configuration error: the crawl does not start) naming the file and
line — never a silently skipped profile. ``NEWSBOT_PROFILES_DIR`` names a folder of profile files
that replace the bundled ones of the same outlets (a fix for a redesign without a release).
"""

from __future__ import annotations

import functools
import logging
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from parsel import Selector, SelectorList

from newsbot.errors import ConfigError
from newsbot.extract.metadata import is_article, read_metadata
from newsbot.extract.selectors import compile_check, select
from newsbot.registry import load_registry

log = logging.getLogger(__name__)


PROFILE_PACKAGE = "newsbot.data"
PROFILE_DIR = "profiles"

#: Single-value fields of a version (each a list of selectors, first non-empty wins).
TEXT_FIELDS = (
    "title", "published", "updated", "section", "image", "image_caption",
)
#: Multi-value fields (every value of the first selector that yields any).
LIST_FIELDS = ("authors", "desk", "tags")


@dataclass(frozen=True)
class RelatedRule:
    """One ``[[versions.related]]`` table: each element matching ``item`` is one related link."""

    item: str
    title: str = ""
    url: str = ""
    label: str = ""


@dataclass(frozen=True)
class ProfileVersion:
    """One layout of an outlet's article pages."""

    version: str
    detect: str
    fields: dict[str, tuple[str, ...]]
    body: tuple[str, ...] = ()
    paragraph: str = "p"
    drop: tuple[str, ...] = ()
    related: tuple[RelatedRule, ...] = ()

    def selectors(self, name: str) -> tuple[str, ...]:
        """The selector list of field ``name`` (empty when the profile gives none)."""
        return self.fields.get(name, ())


@dataclass(frozen=True)
class Profile:
    """Everything the profile file says about one outlet."""

    outlet_id: str
    article_url: tuple[re.Pattern[str], ...] = ()
    listing_links: tuple[str, ...] = ()
    next_page: tuple[str, ...] = ()
    versions: tuple[ProfileVersion, ...] = ()
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def version_for(self, sel: Selector) -> ProfileVersion | None:
        """The newest version whose ``detect`` selector matches ``sel`` (None if none does)."""
        for version in self.versions:
            if not version.detect or select(sel, version.detect):
                return version
        return None


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value if str(v).strip())


def _version_key(version: str) -> tuple[tuple[int, Any], ...]:
    """Natural sort key: digit runs compare as numbers ("v10" > "v9", "2024" > "2019")."""
    parts = re.findall(r"\d+|\D+", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def _parse_version(table: dict[str, Any]) -> ProfileVersion:
    fields = {name: _as_tuple(table.get(name)) for name in (*TEXT_FIELDS, *LIST_FIELDS)}
    rules = []
    for rule in table.get("related", []) or []:
        if rule.get("item"):
            rules.append(
                RelatedRule(
                    item=rule["item"],
                    title=rule.get("title", "") or "",
                    url=rule.get("url", "") or "",
                    label=rule.get("label", "") or "",
                )
            )
    return ProfileVersion(
        version=str(table.get("version", "")),
        detect=table.get("detect", "") or "",
        fields=fields,
        body=_as_tuple(table.get("body")),
        paragraph=table.get("paragraph", "p") or "p",
        drop=_as_tuple(table.get("drop")),
        related=tuple(rules),
    )


def parse_profile(data: dict[str, Any], source: str = "") -> Profile:
    """Build a :class:`Profile` from the parsed TOML of one profile file."""
    versions = [_parse_version(t) for t in data.get("versions", [])]
    if versions and all(re.search(r"\d", v.version) for v in versions):
        # Newest first; a stable sort keeps the file order between equal versions.
        versions.sort(key=lambda v: _version_key(v.version), reverse=True)
    known = {"outlet_id", "article_url", "listing_links", "next_page", "versions"}
    return Profile(
        outlet_id=data["outlet_id"],
        article_url=tuple(re.compile(p) for p in _as_tuple(data.get("article_url"))),
        listing_links=_as_tuple(data.get("listing_links")),
        next_page=_as_tuple(data.get("next_page")),
        versions=tuple(versions),
        source=source,
        extra={k: v for k, v in data.items() if k not in known},
    )


def _profile_files() -> Iterable[tuple[str, str]]:
    try:
        folder = resources.files(PROFILE_PACKAGE).joinpath(PROFILE_DIR)
        entries = sorted(folder.iterdir(), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError, ModuleNotFoundError):
        return
    for entry in entries:
        if entry.name.endswith(".toml"):
            yield entry.name, entry.read_text("utf-8")


def load_profiles_from(folder: Path) -> dict[str, Profile]:
    """Profiles read from every ``*.toml`` file in ``folder`` (for tests and tools)."""
    texts = [(p.name, p.read_text("utf-8")) for p in sorted(folder.glob("*.toml"))]
    return _build(texts)


class ProfileError(ConfigError):
    """A profile file that cannot be used; the message names the file and line."""


def _line_of(text: str, needle: str) -> int | None:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _where(name: str, text: str, needle: str) -> str:
    line = _line_of(text, needle)
    return f"{name}, line {line}" if line else name


def _check(profile: Profile, name: str, text: str) -> None:
    """Raise :class:`ProfileError` for the first selector of ``profile`` that does not compile."""
    exprs = [*profile.listing_links, *profile.next_page]
    for version in profile.versions:
        exprs += [version.detect, *version.body, *version.drop]
        exprs += [e for values in version.fields.values() for e in values]
        for rule in version.related:
            exprs += [rule.item, rule.title, rule.url, rule.label]
    for expr in exprs:
        problem = compile_check(expr)
        if problem:
            raise ProfileError(
                f"profile {_where(name, text, expr)}: selector {expr!r} does not compile: "
                f"{problem}"
            )


def _build(texts: Iterable[tuple[str, str]]) -> dict[str, Profile]:
    profiles: dict[str, Profile] = {}
    for name, text in texts:
        try:
            profile = parse_profile(tomllib.loads(text), source=name)
        except tomllib.TOMLDecodeError as exc:  # its message gives line and column…
            where = "" if "line" in str(exc) else f", line {text.rstrip().count(chr(10)) + 1}"
            raise ProfileError(f"profile {name}{where}: {exc}") from None  # …or "end of document"
        except KeyError as exc:
            raise ProfileError(f"profile {name}: missing {exc}") from None
        except re.error as exc:
            raise ProfileError(
                f"profile {_where(name, text, exc.pattern or '')}: bad URL pattern: {exc}"
            ) from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise ProfileError(f"profile {name}: {exc}") from None
        _check(profile, name, text)
        profiles[profile.outlet_id] = profile
    return profiles


def _folder_files(folder: Path) -> list[tuple[str, str]]:
    try:
        return [(str(p), p.read_text("utf-8")) for p in sorted(Path(folder).glob("*.toml"))]
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"profiles folder {folder}: {exc}") from None


@functools.cache
def load_profiles(folder: str | None = None) -> dict[str, Profile]:
    """Profiles by outlet id: the bundled ones, replaced by those in ``folder`` (if given) for
    the same outlets. Read and checked once per process and folder; raises ProfileError."""
    profiles = _build(_profile_files())
    if folder:
        if not Path(folder).is_dir():
            raise ProfileError(f"NEWSBOT_PROFILES_DIR {folder} is not a folder")
        profiles.update(_build(_folder_files(Path(folder))))
    return profiles


_folder: str | None = None


def use_profiles(folder: str | None) -> dict[str, Profile]:
    """Load and check the profiles (bundled plus ``folder``) and use them from now on in this
    process. Called at start-up, so a broken profile stops the crawl before it begins."""
    global _folder
    profiles = load_profiles(folder or None)
    _folder = folder or None
    return profiles


def profile_for(outlet_id: str | None) -> Profile | None:
    """The profile of ``outlet_id`` in use, or None."""
    if not outlet_id:
        return None
    return load_profiles(_folder).get(outlet_id)


def profile_for_url(url: str) -> Profile | None:
    """The profile of the outlet that publishes ``url`` (via the registry), or None."""
    outlet = load_registry().by_url(url)
    return profile_for(outlet.id) if outlet else None


# ---------------------------------------------------------------------------------------------
# Helpers for the spider
# ---------------------------------------------------------------------------------------------


def article_url_patterns(outlet_id: str) -> list[re.Pattern[str]]:
    """Regexes that mark an outlet's article URLs (canonical form); [] without a profile."""
    profile = profile_for(outlet_id)
    return list(profile.article_url) if profile else []


def listing_link_selectors(outlet_id: str) -> list[str]:
    """Selectors for article links on the outlet's listing pages; [] without a profile."""
    profile = profile_for(outlet_id)
    return list(profile.listing_links) if profile else []


def next_page_selectors(outlet_id: str) -> list[str]:
    """Selectors for the next-page link of the outlet's listing pages; [] without a profile."""
    profile = profile_for(outlet_id)
    return list(profile.next_page) if profile else []


# ---------------------------------------------------------------------------------------------
# Is this page an article?
# ---------------------------------------------------------------------------------------------

def _selector_and_url(obj: Any, url: str | None) -> tuple[Selector | None, str | None]:
    if isinstance(obj, (Selector, SelectorList)):
        return (obj if isinstance(obj, Selector) else obj[0] if obj else None), url
    selector = getattr(obj, "selector", None)
    return selector, url or getattr(obj, "url", None)


def page_is_article(sel: Any, url: str | None = None) -> bool:
    """Whether a page is an article: a JSON-LD article ``@type``, ``og:type=article``, or its
    outlet profile detects it and finds a title and a body.

    ``sel`` is a parsel ``Selector`` or a Scrapy response (whose URL is then used)."""
    selector, url = _selector_and_url(sel, url)
    if selector is None:
        return False
    if is_article(read_metadata(selector, url or "")):
        return True
    profile = profile_for_url(url) if url else None
    version = profile.version_for(selector) if profile else None
    if version is None or not version.detect:
        return False
    title = any(select(selector, expr).get() for expr in version.selectors("title"))
    body = any(select(selector, expr) for expr in version.body)
    return title and body
