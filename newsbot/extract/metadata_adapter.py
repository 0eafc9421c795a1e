"""Field accessors over the structured metadata of a page.

:func:`read` calls :func:`newsbot.extract.metadata.read_metadata` (JSON-LD NewsArticle and
subtypes incl. ``@graph``, OpenGraph, ``article:*`` meta, itemprop); the accessors below give
each field as plain strings/lists so that the extractors do not depend on the metadata object's
exact shape. Every accessor accepts ``None`` (no metadata) and never raises.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from parsel import Selector

from newsbot.text import clean_line

log = logging.getLogger(__name__)


def read(sel: Selector, url: str) -> Any:
    """The page's metadata object, or None when it cannot be read."""
    try:
        from newsbot.extract.metadata import read_metadata
    except ImportError:  # pragma: no cover - the module is part of the package
        return None
    try:
        return read_metadata(sel, url)
    except Exception:  # metadata is evidence, never a reason to fail
        log.debug("metadata failed for %s", url, exc_info=True)
        return None


def _get(meta: Any, *names: str) -> Any:
    if meta is None:
        return None
    for name in names:
        value = meta.get(name) if isinstance(meta, dict) else getattr(meta, name, None)
        if value not in (None, "", [], {}):
            return value
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_line(value)
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("url") or value.get("@id"))
    if isinstance(value, (list, tuple)):
        return _text(value[0]) if value else ""
    return clean_line(str(value))


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [clean_line(value)] if clean_line(value) else []
    if isinstance(value, dict):
        text = _text(value)
        return [text] if text else []
    if isinstance(value, Iterable):
        out: list[str] = []
        for item in value:
            out.extend(_strings(item))
        return out
    return [clean_line(str(value))]


def title(meta: Any) -> str:
    """og:title / JSON-LD headline."""
    return _text(_get(meta, "title", "headline", "og_title"))


def description(meta: Any) -> str:
    """og:description / meta description / JSON-LD description."""
    return _text(_get(meta, "description", "og_description"))


def site_name(meta: Any) -> str:
    """og:site_name / JSON-LD publisher name."""
    return _text(_get(meta, "site_name", "publisher"))


def published(meta: Any) -> str:
    """Published date as the page gives it (ISO in practice)."""
    return _text(_get(meta, "published", "date_published", "datePublished"))


def updated(meta: Any) -> str:
    """Modified date as the page gives it."""
    return _text(_get(meta, "updated", "modified", "date_modified", "dateModified"))


def authors(meta: Any) -> list[str]:
    """Author names (people and organisations alike; the caller sorts them)."""
    return _strings(_get(meta, "authors", "author"))


def section(meta: Any) -> str:
    """article:section / JSON-LD articleSection."""
    return _text(_get(meta, "section", "article_section"))


def tags(meta: Any) -> list[str]:
    """article:tag / JSON-LD keywords."""
    value = _get(meta, "tags", "keywords")
    if isinstance(value, str) and "," in value:
        value = value.split(",")
    return _strings(value)


def image(meta: Any) -> str:
    """Lead image URL."""
    value = _get(meta, "image", "image_url")
    if isinstance(value, dict):
        return _text(value.get("url"))
    return _text(value)


def image_caption(meta: Any) -> str:
    """Lead image caption, when the metadata gives one."""
    value = _get(meta, "image_caption", "caption")
    if value:
        return _text(value)
    img = _get(meta, "image")
    if isinstance(img, dict):
        return _text(img.get("caption"))
    return ""


def article_body(meta: Any) -> str:
    """JSON-LD articleBody (often truncated; used only when the page shows no body)."""
    value = _get(meta, "article_body", "body", "articleBody")
    return value if isinstance(value, str) else ""


def canonical(meta: Any) -> str:
    """rel=canonical / og:url."""
    return _text(_get(meta, "canonical_url", "canonical", "url"))


def is_article(meta: Any) -> bool:
    """Whether the metadata marks the page as an article (JSON-LD type, og:type=article)."""
    if meta is None:
        return False
    try:
        from newsbot.extract.metadata import is_article as meta_is_article

        return bool(meta_is_article(meta))
    except (ImportError, AttributeError, TypeError):
        pass
    types = _strings(_get(meta, "types", "type", "og_type"))
    return any("article" in t.lower() or t in ("NewsArticle", "Report") for t in types)
