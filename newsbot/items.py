"""The record newsbot writes: one news article per feed line."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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


def related_link(
    title: str, url: str | None, label: str | None = None
) -> dict[str, Any]:
    """A related-link record before its outlet is known."""
    return {"title": title, "url": url, "label": label, "outlet_id": None, "outlet_name": None}
