"""The record newsbot writes: one news article per feed line."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

# Marks a field that pipelines use but the record does not carry (see record_fields).
INTERNAL = {"internal": True}


@dataclass
class Article:
    """A news article as extracted from one page and cleaned by the item pipelines.

    ``body`` holds paragraphs in reading order. ``related_links`` holds the related-article links
    the page shows, each a dict with ``title``, ``url`` (None when the page gives none), ``label``
    (the outlet name printed next to it, if any), ``outlet_id`` and ``outlet_name``.
    """

    url: str
    canonical_url: str
    outlet_id: str | None = None
    outlet_name: str | None = None
    title: str = ""
    body: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    authors: list[str] = field(default_factory=list)
    desk: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: dict[str, Any] | None = None
    related_links: list[dict[str, Any]] = field(default_factory=list)
    language: str | None = None
    language_confidence: float | None = None
    language_method: str | None = None  # which detector decided (newsbot.language.METHODS)
    fetched_at: str = ""
    revision: int = 0
    # Fingerprint of the title and body as extracted, before cleaning (pipelines.source).
    source_fingerprint: str | None = field(default=None, metadata=INTERNAL)
    # Why the page's declared canonical URL was not believed (newsbot.canonical), if it was not.
    canonical_ignored: str | None = field(default=None, metadata=INTERNAL)


def record_fields() -> list[str]:
    """The fields of the record, in feed order (internal fields left out)."""
    return [f.name for f in fields(Article) if not f.metadata.get("internal")]


def record(item: Any) -> dict[str, Any]:
    """The record of ``item`` as the feed writes it: record fields only."""
    from itemadapter import ItemAdapter

    data = ItemAdapter(item).asdict()
    return {k: v for k, v in data.items() if k in _RECORD_FIELDS or k not in _ALL_FIELDS}


def related_link(
    title: str, url: str | None, label: str | None = None
) -> dict[str, Any]:
    """A related-link record before its outlet is known."""
    return {"title": title, "url": url, "label": label, "outlet_id": None, "outlet_name": None}


_RECORD_FIELDS = frozenset(record_fields())
_ALL_FIELDS = frozenset(f.name for f in fields(Article))
