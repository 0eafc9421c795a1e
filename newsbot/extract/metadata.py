"""Structured metadata of a page: JSON-LD, OpenGraph, ``article:*`` meta tags and microdata.

``read_metadata`` never raises on bad markup: a JSON-LD block that does not parse is skipped
(after a few common repairs), missing fields stay empty. Dates are returned as the page gives
them; :mod:`newsbot.dates` parses them.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from parsel import Selector

from newsbot.data import load_toml
from newsbot.text import valid_text
from newsbot.urls import absolute_url

log = logging.getLogger(__name__)

# schema.org types that mark a page as an article (CreativeWork > Article and its subtypes)
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "AnalysisNewsArticle",
        "AskPublicNewsArticle",
        "BackgroundNewsArticle",
        "OpinionNewsArticle",
        "ReportageNewsArticle",
        "ReviewNewsArticle",
        "SatiricalArticle",
        "ScholarlyArticle",
        "TechArticle",
        "AdvertiserContentArticle",
        "Report",
        "BlogPosting",
        "LiveBlogPosting",
        "SocialMediaPosting",
    }
)
PERSON_TYPES = frozenset({"Person"})
MAX_JSONLD_CHARS = 2_000_000
MAX_DEPTH = 12


@dataclass
class PageMetadata:
    """What a page says about itself. Empty strings/lists/None where it says nothing."""

    title: str | None = None
    description: str | None = None
    published: str | None = None
    updated: str | None = None
    published_values: list[str] = field(default_factory=list)
    updated_values: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image_url: str | None = None
    image_caption: str | None = None
    canonical_url: str | None = None
    article_body: str | None = None
    types: set[str] = field(default_factory=set)
    og_type: str | None = None
    language: str | None = None
    site_name: str | None = None


# --------------------------------------------------------------------------------------------
# JSON-LD

_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_WRAPPER = re.compile(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(?:-->|//\s*\]\]>|\]\]>)\s*$")


def _valid(value: Any) -> Any:
    """``value`` (parsed JSON) with invalid code points in its strings replaced."""
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, list):
        return [_valid(v) for v in value]
    if isinstance(value, dict):
        return {valid_text(str(k)): _valid(v) for k, v in value.items()}
    return value


def _load_json(text: str) -> Any:
    """Parse a JSON-LD block (lone surrogates from its escapes replaced), trying a few repairs
    of common breakage; None if hopeless."""
    return _valid(_parse_json(text))


def _parse_json(text: str) -> Any:
    text = text.strip()
    if not text or len(text) > MAX_JSONLD_CHARS:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    fixed = _WRAPPER.sub("", text).strip().rstrip(";")
    fixed = _CONTROL_CHARS.sub(" ", fixed)
    fixed = _TRAILING_COMMA.sub(r"\1", fixed)
    try:
        return json.loads(fixed, strict=False)
    except ValueError:
        pass
    # several objects pasted one after another in one script
    decoder = json.JSONDecoder(strict=False)
    items, pos = [], 0
    try:
        while pos < len(fixed):
            while pos < len(fixed) and fixed[pos] in " \t\r\n,;":
                pos += 1
            if pos >= len(fixed):
                break
            obj, pos = decoder.raw_decode(fixed, pos)
            items.append(obj)
    except ValueError:
        return items or None
    return items or None


def _type_names(node: dict) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    out = set()
    for v in values:
        if isinstance(v, str) and v.strip():
            out.add(re.split(r"[/:#]", v.strip())[-1])
    return out


def _nodes(data: Any, depth: int = 0) -> Iterator[dict]:
    """Every dict of a JSON-LD document that carries an @type, outermost first."""
    if depth > MAX_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for key, value in data.items():
            if isinstance(value, (dict, list)) and key not in ("@context",):
                yield from _nodes(value, depth + 1)


def _top_nodes(data: Any, depth: int = 0) -> Iterator[dict]:
    """The page-level nodes: top-level objects, members of @graph, and mainEntity objects."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _top_nodes(item, depth + 1)
    elif isinstance(data, dict):
        if "@type" in data:
            yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            value = data.get(key)
            if isinstance(value, (dict, list)):
                yield from _top_nodes(value, depth + 1)


def _text(value: Any) -> str | None:
    """A plain string from a JSON-LD value (string, number, {"name"/"@value"/"url"}, list)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = " ".join(value.split())
        return text or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "@value", "text", "url", "contentUrl", "@id"):
            text = _text(value.get(key))
            if text:
                return text
        return None
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
    return None


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out.extend(_texts(item))
        return out
    text = _text(value)
    return [text] if text else []


def _people(value: Any) -> list[str]:
    """Author names from a JSON-LD author value; organisations are left out."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            if _type_names(item) & {"Organization", "NewsMediaOrganization", "Corporation"}:
                continue
            name = _text(item.get("name"))
        else:
            name = _text(item)
        if name and not _looks_like_url(name):
            out.append(name)
    return out


def _image(value: Any) -> tuple[str | None, str | None]:
    """(url, caption) of a JSON-LD image value."""
    if isinstance(value, list):
        for item in value:
            url, caption = _image(item)
            if url:
                return url, caption
        return None, None
    if isinstance(value, dict):
        url = _text(value.get("url")) or _text(value.get("contentUrl")) or _text(value.get("@id"))
        caption = _text(value.get("caption")) or _text(value.get("description"))
        return url, caption
    return _text(value), None


def _keywords(value: Any) -> list[str]:
    out = []
    for text in _texts(value):
        out.extend(t.strip() for t in text.split(",") if t.strip())
    return out


def _article_score(node: dict, page_urls: set[str]) -> tuple[int, int, int]:
    url = _text(node.get("url")) or _text(node.get("mainEntityOfPage")) or ""
    return (
        int(bool(url) and url.rstrip("/") in page_urls),
        int(bool(_text(node.get("articleBody")))),
        int(bool(_text(node.get("headline")))),
    )


def _jsonld_blocks(root: Any) -> list[str]:
    return [
        s.text
        for s in root.iter("script")
        if s.text and (s.get("type") or "").strip().lower() == "application/ld+json"
    ]


def _read_jsonld(root: Any, page_urls: set[str]) -> tuple[dict, set[str], dict]:
    """(main article node or {}, all page-level types, first Organization/WebSite node or {})."""
    types: set[str] = set()
    articles: list[dict] = []
    org: dict = {}
    for raw in _jsonld_blocks(root):
        data = _load_json(raw)
        if data is None:
            continue
        for node in _top_nodes(data):
            names = _type_names(node)
            types |= names
            if names & ARTICLE_TYPES:
                articles.append(node)
            elif not org and names & {"NewsMediaOrganization", "Organization", "WebSite"}:
                org = node
        if not articles:
            # an article nested somewhere else (e.g. inside an ItemList or a WebPage "hasPart")
            for node in _nodes(data):
                if _type_names(node) & ARTICLE_TYPES:
                    types |= _type_names(node)
                    articles.append(node)
                    break
    if not articles:
        return {}, types, org
    best = max(articles, key=lambda n: _article_score(n, page_urls))
    return best, types, org


def jsonld_article_body(blocks: Iterable[str]) -> str | None:
    """The longest ``articleBody`` of the article nodes in raw JSON-LD blocks, if any."""
    best = ""
    for raw in blocks:
        data = _load_json(raw or "")
        if data is None:
            continue
        for node in _nodes(data):
            if _type_names(node) & ARTICLE_TYPES:
                body = node.get("articleBody")
                if isinstance(body, str) and len(body.strip()) > len(best):
                    best = body.strip()
    return best or None


# --------------------------------------------------------------------------------------------
# meta tags

def _looks_like_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "//", "/"))


def _meta_map(root: Any) -> dict[str, list[str]]:
    """All <meta> values keyed by lower-cased property/name/itemprop, in page order."""
    out: dict[str, list[str]] = {}
    for m in root.iter("meta"):
        content = " ".join((m.get("content") or "").split())
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (m.get(attr) or "").strip().lower()
            if key:
                out.setdefault(key, []).append(content)
    return out


def _present(*values: str | None) -> list[str]:
    """The values given, in order, each once."""
    return list(dict.fromkeys(v for v in values if v))


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        values = meta.get(key)
        if values:
            return values[0]
    return None


def _itemprop(root: Any, prop: str) -> str | None:
    """A microdata value: content/datetime attribute or text of the first non-meta element."""
    for el in root.xpath("//*[not(self::meta)][@itemprop=$p]", p=prop)[:3]:
        value = el.get("content") or el.get("datetime")
        if not value:
            if prop == "author":
                value = str(el.xpath("string(.//*[@itemprop='name'])"))
            value = value or str(el.xpath("string(.)"))
        value = " ".join(value.split())
        if value:
            return value
    return None


def _clean_list(values: list[str], limit: int = 50) -> list[str]:
    out: list[str] = []
    seen = set()
    for v in values:
        v = " ".join(v.split()).strip(" ,;|")
        if v and v.casefold() not in seen and len(v) <= 200:
            seen.add(v.casefold())
            out.append(v)
    return out[:limit]


def read_metadata(sel: Selector, url: str) -> PageMetadata:
    """Read the page's metadata from JSON-LD, OpenGraph/``article:*`` meta, microdata,
    ``<link rel=canonical>`` and ``<html lang>``. JSON-LD wins where both speak."""
    meta = PageMetadata()
    _fill(meta, sel, url)
    return meta


def _fill(meta: PageMetadata, sel: Selector, url: str) -> None:
    root = sel.root
    if not hasattr(root, "iter"):
        return
    tags = _meta_map(root)
    canonical = next(iter(root.xpath("//link[@rel='canonical']/@href")), None)
    canonical = absolute_url(url, canonical) if canonical and canonical.strip() else None
    og_url = _first(tags, "og:url")
    page_urls = {u.rstrip("/") for u in (url, canonical, og_url) if u}
    art, types, org = _read_jsonld(root, page_urls)
    meta.types = types
    meta.og_type = _first(tags, "og:type")

    meta.title = (
        _text(art.get("headline"))
        or _first(tags, "og:title")
        or _itemprop(root, "headline")
        or _first(tags, "twitter:title")
        or _text(art.get("name"))
        or _norm(str(root.xpath("string((//h1)[1])")))
        or _norm(str(root.xpath("string((//title)[1])")))
    )
    meta.description = (
        _text(art.get("description"))
        or _first(tags, "og:description", "description", "twitter:description")
    )
    # Every value each source gives, in order of trust: the first is the date, a later one
    # may still give the time of day a date-only first value lacks.
    meta.published_values = _present(
        _text(art.get("datePublished")),
        *(_first(tags, key) for key in (
            "article:published_time", "datepublished", "og:published_time", "pubdate",
            "publishdate", "publish-date", "date", "dc.date.issued", "dc.date",
            "parsely-pub-date", "sailthru.date")),
        _itemprop(root, "datePublished"),
        _text(art.get("dateCreated")),
    )
    meta.updated_values = _present(
        _text(art.get("dateModified")),
        *(_first(tags, key) for key in (
            "article:modified_time", "og:updated_time", "datemodified", "last-modified")),
        _itemprop(root, "dateModified"),
    )
    meta.published = next(iter(meta.published_values), None)
    meta.updated = next(iter(meta.updated_values), None)
    authors = _people(art.get("author")) if art else []
    if not authors:
        authors = [a for a in tags.get("article:author", []) if not _looks_like_url(a)]
    if not authors:
        authors = tags.get("author", []) or tags.get("dc.creator", [])
    if not authors:
        value = _itemprop(root, "author")
        authors = [value] if value else []
    meta.authors = _clean_list(authors, limit=20)

    meta.section = _text(art.get("articleSection")) or _first(tags, "article:section", "section")
    keywords = _keywords(art.get("keywords")) if art else []
    keywords = keywords or tags.get("article:tag", [])
    if not keywords:
        keywords = _keywords(_first(tags, "news_keywords", "keywords"))
    meta.tags = _clean_list(keywords)

    image_url, caption = _image(art.get("image")) if art else (None, None)
    meta.image_url = image_url or _first(tags, "og:image", "og:image:url", "og:image:secure_url",
                                         "twitter:image", "twitter:image:src")
    if meta.image_url:
        meta.image_url = absolute_url(url, meta.image_url)
    meta.image_caption = caption or _first(tags, "og:image:alt", "twitter:image:alt")
    meta.canonical_url = canonical or (absolute_url(url, og_url) if og_url else None)
    body = art.get("articleBody") if art else None
    meta.article_body = body.strip() if isinstance(body, str) and body.strip() else None

    html_el = root if root.tag == "html" else next(root.iter("html"), None)
    lang = None
    if html_el is not None:
        lang = html_el.get("lang") or html_el.get("{http://www.w3.org/XML/1998/namespace}lang")
    lang = lang or _text(art.get("inLanguage")) or _first(tags, "og:locale", "language",
                                                          "content-language")
    if not lang:
        lang = next(iter(root.xpath("//meta[translate(@http-equiv, 'CONTENTLAGU', "
                                    "'contentlagu')='content-language']/@content")), None)
    meta.language = lang.strip().replace("_", "-") if lang and lang.strip() else None
    publisher = art.get("publisher") if art else None
    meta.site_name = (
        _first(tags, "og:site_name")
        or _text(publisher)
        or _text(org.get("name"))
        or _first(tags, "application-name")
    )


def _norm(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    return text or None


@functools.cache
def _non_article_kinds() -> tuple[tuple[str, ...], frozenset[str]]:
    rules = load_toml("discovery.toml")
    return tuple(rules["non_article_og_types"]), frozenset(rules["non_article_jsonld_types"])


def non_article_kind(meta: PageMetadata) -> str | None:
    """What the page says it is when that is explicitly not an article (``og:type`` such as
    ``video.other``, a JSON-LD ``ProfilePage`` …) and no article type is declared; else None."""
    if is_article(meta):
        return None
    og_prefixes, page_types = _non_article_kinds()
    og_type = (meta.og_type or "").strip().lower()
    if og_type and og_type.startswith(og_prefixes):
        return og_type
    declared = meta.types & page_types
    return min(declared) if declared else None


def is_article(meta: PageMetadata) -> bool:
    """Whether the page calls itself an article: a JSON-LD article type or og:type=article."""
    if meta.types & ARTICLE_TYPES:
        return True
    return (meta.og_type or "").strip().lower() == "article"
