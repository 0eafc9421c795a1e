"""Body paragraphs: read from a profile's containers, and filtered of what is not article
text (bylines, captions, the title, related-link lines, date lines, headings, link lists)."""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from parsel import Selector

from newsbot.extract.hygiene import invisible_elements
from newsbot.extract.profiles import ProfileVersion
from newsbot.extract.related import element_text, remove_elements
from newsbot.extract.selectors import select
from newsbot.text import clean_line, line_key
from newsbot.vocabulary.lines import PROFILE_BODY_CHECKS, LineContext, classify_line

#: A body paragraph made of link texts to this share is navigation.
MAX_LINK_SHARE = 0.7


def profile_body(sel: Selector, version: ProfileVersion) -> list[str]:
    """Paragraph texts of the first body selector that matches, after removing hidden
    elements, ads and embeds (:mod:`.hygiene`) and ``drop``."""
    for expr in version.body:
        containers = [c for c in select(sel, expr) if isinstance(getattr(c.root, "tag", None), str)]
        if not containers:
            continue
        for container in containers:
            remove_elements(invisible_elements(container.root))
            for drop in version.drop:
                remove_elements([d.root for d in select(container, drop)
                                 if isinstance(getattr(d.root, "tag", None), str)])
        paragraphs: list[str] = []
        taken: set[Any] = set()
        for container in containers:
            items = [p.root for p in select(container, version.paragraph or "p")]
            items = [p for p in items if isinstance(getattr(p, "tag", None), str)]
            if not items:
                items = [container.root]
            for node in items:
                if node in taken or any(a in taken for a in node.iterancestors()):
                    continue
                taken.add(node)
                text = element_text(node)
                if text:
                    paragraphs.append(text)
        if paragraphs:
            return paragraphs
    return []


def filter_body(paragraphs: list[str], drop_keys: set[str], title: str = "") -> list[str]:
    """Body paragraphs without bylines, captions, the title, related titles and "আরও পড়ুন"
    lines, date lines, and related/navigation headings."""
    out: list[str] = []
    ctx = LineContext(related_keys=drop_keys)
    for para in paragraphs:
        line = clean_line(para)
        if not line:
            continue
        key = line_key(line)  # remembered: the cleaning pipelines ask for it again
        if not key or key in drop_keys:
            continue
        if classify_line(line, PROFILE_BODY_CHECKS, ctx) is not None:
            continue
        out.append(line)
    return out


def split_body(text: str) -> list[str]:
    if not text:
        return []
    parts = re.split(r"\n\s*\n|\r\n\s*\r\n", text)
    if len(parts) == 1:
        parts = text.split("\n")
    return [clean_line(p) for p in parts if clean_line(p)]



def space_key(text: str) -> str:
    """A cheap matching key: the text without any white space."""
    return "".join(text.split())


def link_text_keys(root: lxml.html.HtmlElement) -> set[str]:
    """Keys (:func:`space_key`) of the texts of the page's links that are two words or more."""
    keys = set()
    for a in root.iter("a"):
        text = a.text_content()
        if text and " " in text.strip():
            key = space_key(text)
            if len(key) >= 4:
                keys.add(key)
    return keys


def mostly_links(paragraph: str, link_keys: set[str]) -> bool:
    """Whether link texts make up at least :data:`MAX_LINK_SHARE` of a paragraph."""
    if not link_keys:
        return False
    key = space_key(paragraph)
    if not key:
        return False
    if key in link_keys:
        return True
    need = MAX_LINK_SHARE * len(key)
    if sum(map(len, link_keys)) < need:
        return False  # all the page's link texts together could not cover it
    covered = sum(len(k) for k in link_keys if len(k) < len(key) and k in key)
    return covered >= need

