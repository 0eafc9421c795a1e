"""Data model of the sample web: the host/URL table (``sites.toml``) joined with the content JSON.

Everything here is pure data: which outlets exist, which URL every article has, which odd pages
(redirects, 404s, robots-disallowed pages, duplicate URL variants, a legacy-charset page) a crawl
meets. The renderer, the server and the ground truth (``expected.py``) all read this one model, so
they cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newsbot import clock

# The content files' dates are written as seen from this instant. At load they move by the time
# between it and newsbot's clock (whole minutes), so every article keeps its age: a crawl sees the
# same relative dates on any day, and tests control them through the clock.
ANCHOR = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_BBC = "bcdfghjklmnpqrstvwxyz0123456789"


@dataclass(frozen=True)
class Feed:
    """A feed or news sitemap; ``url`` may hold ``{YYYY-MM-DD}`` (then it answers any date)."""

    url: str
    kind: str  # "rss" | "news_sitemap"


@dataclass(frozen=True)
class Site:
    """One outlet of the sample web, as described in ``sites.toml``."""

    id: str
    name_bn: str
    kind: str  # "full" | "small" | "aggregator"
    hosts: tuple[str, ...]
    listing: str
    page_url: str
    per_page: int
    article_url: dict[str, str]
    id_style: str
    feeds: tuple[Feed, ...]
    robots_disallow: tuple[str, ...]
    jsonld: str  # "plain" | "graph" | "none"
    published_format: str
    updated_format: str
    aggregator_label: str
    tag_page: str = ""
    video_page: str = ""
    promo: str = ""
    promo_after: int = -1
    caption_in_body: bool = False
    source_line: bool = False
    renders_byline: bool = True
    published_uses_updated: bool = False


@dataclass
class Article:
    """One sample article: its content fields plus the URL it lives at."""

    outlet: str
    key: str
    lang: str
    title: str
    summary: str
    body: list[str]
    published: str
    updated: str | None
    authors: list[str]
    desk: str | None
    section: str | None
    tags: list[str]
    image_caption: str | None
    related: list[str]
    inline_related: list[dict[str, Any]]
    trending: list[Any] = field(default_factory=list)
    num: str = ""  # stable id used in the URL
    url: str = ""  # canonical URL

    @property
    def ref(self) -> str:
        """The ``outlet/key`` reference other articles use."""
        return f"{self.outlet}/{self.key}"


def stable_id(seed: str, style: str) -> str:
    """A deterministic id for ``seed`` in the given ``id_style`` (see sites.toml)."""
    digest = int(hashlib.sha256(seed.encode("utf-8")).hexdigest(), 16)
    if style == "bbc":
        chars = []
        for _ in range(10):
            digest, rem = divmod(digest, len(_BBC))
            chars.append(_BBC[rem])
        return "c" + "".join(chars) + "o"
    kind, _, size = style.partition(":")
    n = int(size)
    if kind == "digits":
        low = 10 ** (n - 1)
        return str(low + digest % (9 * low))
    chars = []
    for _ in range(n - 1):
        digest, rem = divmod(digest, len(_ALNUM))
        chars.append(_ALNUM[rem])
    chars.insert(digest % n, str(digest % 10))  # at least one digit
    return "".join(chars)


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


@dataclass
class SampleWeb:
    """The whole sample web: sites, articles (by ref) and the odd-page table."""

    sites: dict[str, Site]
    articles: dict[str, Article]
    subsections: dict[str, str]
    odd: dict[str, dict[str, str]]
    shift: timedelta = timedelta(0)  # how far the content's dates were moved (see ANCHOR)

    def when(self, value: str) -> str:
        """A fixed content time (e.g. a fallback date) moved like the articles' dates."""
        return shift_iso(value, self.shift) or ""

    def site_articles(self, outlet: str, lang: str | None = "bn") -> list[Article]:
        """Articles of ``outlet`` in content order (only language ``lang`` unless None)."""
        return [
            a for a in self.articles.values()
            if a.outlet == outlet and (lang is None or a.lang == lang)
        ]

    def pick(self, spec: str) -> Article | None:
        """Resolve an odd-table spec ``"<outlet>/<index>"`` to an article (None if missing)."""
        outlet, _, index = spec.partition("/")
        items = self.site_articles(outlet)
        i = int(index)
        return items[i] if -len(items) <= i < len(items) else None

    def foreign(self) -> list[Article]:
        """Articles not in Bengali (English, Hindi, Assamese, romanised Bengali)."""
        return [a for a in self.articles.values() if a.lang != "bn"]

    def resolve(self, refs: list[str]) -> list[Article]:
        """Articles for ``outlet/key`` refs, skipping refs whose content does not exist."""
        return [self.articles[r] for r in refs if r in self.articles]

    def odd_num(self, name: str, article: Article) -> str:
        """A secondary numeric id for an odd page of ``article`` (old URL, print page)."""
        return stable_id(f"{name}:{article.ref}", "digits:7")

    def odd_url(self, name: str) -> tuple[Article, str] | None:
        """(article, URL) of an article-bound odd page (``redirect``, ``robots_disallowed``)."""
        spec = self.odd.get(name, {})
        article = self.pick(spec["article"]) if "article" in spec else None
        if article is None:
            return None
        template = spec.get("old_url") or spec.get("url", "")
        return article, template.format(num=self.odd_num(name, article))


def _subsection(key: str, table: dict[str, str]) -> str:
    words = key.lower().split("-")
    for keyword, sub in table.items():
        if keyword in words:
            return sub
    return "international"


def article_url(site: Site, article: Article, subsections: dict[str, str]) -> str:
    """The canonical URL of ``article`` on ``site``."""
    pattern = site.article_url.get(article.lang) or site.article_url["bn"]
    day = article.published[:10]
    return pattern.format(
        id=article.num, slug=article.key, sub=_subsection(article.key, subsections),
        yyyy=day[:4], mm=day[5:7], dd=day[8:10],
    )


def _read_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _load_content(folder: Traversable) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if not folder.is_dir():
        return out
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            try:
                data = json.loads(entry.read_text(encoding="utf-8"))
            except json.JSONDecodeError:  # a file still being written
                continue
            out[data.get("outlet_id") or entry.name[:-5]] = data
    return out


def clock_shift() -> timedelta:
    """How far the content's dates move: from :data:`ANCHOR` to now, in whole minutes."""
    return timedelta(minutes=(clock.now() - ANCHOR) // timedelta(minutes=1))


def shift_iso(value: str | None, shift: timedelta) -> str | None:
    """An ISO 8601 time of the content moved by ``shift`` (its UTC offset kept)."""
    if not value:
        return value
    return (datetime.fromisoformat(value) + shift).isoformat()


def _article(outlet: str, raw: dict[str, Any], shift: timedelta) -> Article:
    raw = _nfc(raw)
    return Article(
        outlet=outlet, key=raw["key"], lang=raw.get("lang") or "bn", title=raw["title"],
        summary=raw.get("summary") or "", body=list(raw.get("body") or []),
        published=shift_iso(raw["published"], shift) or "",
        updated=shift_iso(raw.get("updated"), shift),
        authors=list(raw.get("authors") or []), desk=raw.get("desk"),
        section=raw.get("section"), tags=list(raw.get("tags") or []),
        image_caption=raw.get("image_caption"), related=list(raw.get("related") or []),
        inline_related=list(raw.get("inline_related") or []),
        trending=list(raw.get("trending") or []),
    )


@lru_cache(maxsize=4)
def load(content_dir: str | None = None) -> SampleWeb:
    """Load ``sites.toml`` and every ``content/*.json`` (cached; ``load.cache_clear()`` re-reads).

    Dates are moved from :data:`ANCHOR` to newsbot's clock at the time of loading.

    ``content_dir`` (or the environment variable ``NEWSBOT_SAMPLEWEB_CONTENT``) reads the content
    JSON from another folder instead of the package's own.
    """
    content_dir = content_dir or os.environ.get("NEWSBOT_SAMPLEWEB_CONTENT")
    folder: Traversable = (Path(content_dir) if content_dir
                           else resources.files(__package__).joinpath("content"))
    table = tomllib.loads(_read_text("sites.toml"))
    sites: dict[str, Site] = {}
    for oid, spec in table["outlets"].items():
        spec = dict(spec)
        spec["hosts"] = tuple(spec["hosts"])
        spec["feeds"] = tuple(Feed(**f) for f in spec.get("feeds", []))
        spec["robots_disallow"] = tuple(spec.get("robots_disallow", []))
        sites[oid] = Site(id=oid, **spec)
    articles: dict[str, Article] = {}
    shift = clock_shift()
    for oid, data in _load_content(folder).items():
        if oid not in sites:
            continue
        for raw in data.get("articles", []):
            try:
                art = _article(oid, raw, shift)
            except KeyError:  # incomplete entry
                continue
            site = sites[oid]
            art.num = stable_id(art.ref, site.id_style)
            art.url = article_url(site, art, table["subsections"])
            articles[art.ref] = art
    return SampleWeb(sites=sites, articles=articles, subsections=table["subsections"],
                     odd=table["odd"], shift=shift)


# ---------------------------------------------------------------- URLs of non-article pages


def listing_urls(web: SampleWeb, site: Site) -> list[str]:
    """URLs of the listing pages of ``site`` (first = the registry's world-section URL).

    Full outlets always have at least two pages.
    """
    count = len(web.site_articles(site.id))
    pages = max(1, -(-count // site.per_page))
    if site.kind == "full":
        pages = max(2, pages)
    return [site.listing] + [site.page_url.format(n=n) for n in range(2, pages + 1)]


def tag_url(site: Site, tag: str) -> str:
    """URL of the tag (topic) page for ``tag`` ('' when the outlet has no tag pages)."""
    if not site.tag_page:
        return ""
    return site.tag_page.format(slug=quote(tag, safe=""), id=stable_id("tag:" + tag, site.id_style))


def site_tags(web: SampleWeb, site: Site) -> list[str]:
    """Distinct tags used by the outlet's Bengali articles, in first-seen order."""
    seen: dict[str, None] = {}
    for art in web.site_articles(site.id):
        for tag in art.tags:
            seen.setdefault(tag, None)
    return list(seen)


def video_url(web: SampleWeb, site: Site) -> str:
    """URL of the outlet's one video page ('' when it has none)."""
    items = web.site_articles(site.id)
    if not site.video_page or not items:
        return ""
    first = items[0]
    day = first.published[:10]
    return site.video_page.format(
        id=stable_id("video:" + site.id, site.id_style), slug="video-" + first.key,
        yyyy=day[:4], mm=day[5:7], dd=day[8:10],
    )
