"""Normalise: every text field of an article in Unicode NFC with collapsed white space."""

from __future__ import annotations

import re
from typing import Any

from itemadapter import ItemAdapter

from newsbot import statskeys
from newsbot.pipelines.base import CountingPipeline
from newsbot.text import NFC_SAFE_CHARS, NFC_UNSAFE_PAIRS, clean_line, compare_key

# Invisible characters that carry nothing in Bengali text. ZWJ/ZWNJ (U+200D/U+200C) are not
# here: spelling needs them (র‍্যাব), so they stay in the text and only comparison keys drop them.
_INVISIBLE_RE = re.compile("[\u200b\u2060\ufeff\u00ad]")
# Text that clean_line could change (see NFC_SAFE_CHARS in newsbot.text): a character
# outside the NFC-safe set, a pair NFC changes, two spaces in a row, a space at either end.
_NOT_CLEAN_RE = re.compile(f"[^{NFC_SAFE_CHARS}]|{NFC_UNSAFE_PAIRS}|  |^ | $")
# A paragraph with none of these has nothing to read (spaces and punctuation only).
_CONTENT_RE = re.compile(r"[^\W_]|[\u0980-\u09ff]")
OPTIONAL_TEXT_FIELDS = ("desk", "section")
LIST_FIELDS = ("authors", "tags")


def normalise_text(value: Any) -> str:
    """``value`` as clean text: NFC, one space between words, no invisible characters except
    the joiners Bengali spelling needs; None becomes ''."""
    if value is None:
        return ""
    text = str(value)
    if _NOT_CLEAN_RE.search(text) is None:
        return text  # already NFC, single-spaced and trimmed
    return clean_line(_INVISIBLE_RE.sub("", text))


class NormalisePipeline(CountingPipeline):
    """NFC and collapsed white space on title, body, authors, desk, section, tags, the image
    caption and related-link titles and labels; removes empty paragraphs, authors and tags.

    Stats: ``newsbot/normalise/changed/<field>`` (items whose field changed),
    ``newsbot/normalise/empty_paragraph`` (paragraphs removed: nothing but space or punctuation),
    ``newsbot/normalise/duplicate_<field>`` (an author or tag listed twice).
    """

    stats_prefix = statskeys.NORMALISE_PREFIX

    def process_item(self, item: Any) -> Any:
        """Normalise ``item`` in place and return it."""
        adapter = ItemAdapter(item)
        for name in OPTIONAL_TEXT_FIELDS:
            if name in adapter and adapter.get(name) is not None:
                self._set(adapter, name, normalise_text(adapter[name]) or None)
        if "title" in adapter:
            self._set(adapter, "title", normalise_text(adapter.get("title")))
        body = [normalise_text(p) for p in adapter.get("body") or []]
        kept = [p for p in body if _CONTENT_RE.search(p)]
        self._inc("empty_paragraph", len(body) - len(kept))
        self._set(adapter, "body", kept)
        for name in LIST_FIELDS:
            if name in adapter:
                self._set(adapter, name, self._clean_list(adapter.get(name) or [], name))
        image = adapter.get("image")
        if isinstance(image, dict) and image.get("caption") is not None:
            caption = normalise_text(image["caption"]) or None
            if caption != image["caption"]:
                image["caption"] = caption
                self._inc("changed/image_caption")
        links = adapter.get("related_links") or []
        changed = False
        for link in links:
            for key in ("title", "label"):
                if link.get(key) is not None:
                    value = normalise_text(link[key]) or (None if key == "label" else "")
                    changed |= value != link[key]
                    link[key] = value
        if changed:
            self._inc("changed/related_links")
        return item

    def _clean_list(self, values: list[Any], name: str) -> list[str]:
        out: list[str] = []
        keys: set[str] = set()
        for raw in values:
            value = normalise_text(raw)
            key = compare_key(value)
            if not key:
                continue
            if key in keys:
                self._inc(f"duplicate_{name}")
                continue
            keys.add(key)
            out.append(value)
        return out

    def _set(self, adapter: ItemAdapter, name: str, value: Any) -> None:
        if adapter.get(name) != value:
            adapter[name] = value
            self._inc(f"changed/{name}")
